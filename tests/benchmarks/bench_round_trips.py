"""Benchmark: PostgreSQL round trips per GraphQL request, counted on the wire.

Run: `python -m tests.benchmarks.bench_round_trips` (DATABASE_URL, else the local
server at 127.0.0.1:5432; REDIS_URL, else the local one at 127.0.0.1:6379). The app
is served by a real uvicorn whose DATABASE_URL names a TCP proxy in front of
PostgreSQL. The proxy counts each point where the client must wait for the server:
a simple-query message (`Q`) or an extended-protocol `Sync` (`S`), labelled with
the statement text it carried (the ping is asyncpg's empty `;`). Figures are
printed per request, after warm-up (asyncpg's statement cache is then hot).
"""

from __future__ import annotations

import asyncio
import os
import sys
from collections import Counter
from urllib.parse import urlsplit

import httpx

from server.settings import Settings
from tenants.engine import make_engine
from tenants.fleet import migrate_shared
from tenants.provisioning import create_tenant
from tenants.tokens import issue_token
from tests.support import scratch_database, serving, unique_slug
from tests.wire import StatementCounter, kind, through_proxy

QUERIES = {
    "viewer": "{ viewer { name role } }",
    "clients": "{ clientOrganisations(first: 5) { totalCount edges { node { name } } } }",
}


async def main(requests: int = 20) -> None:
    async with scratch_database("steward_bench_rtt") as url:
        engine = make_engine(url)
        try:
            await migrate_shared(engine)
            tenant = await create_tenant(engine, slug=unique_slug("rtt"), name="RTT")
            async with engine.connect() as conn, conn.begin():
                token = (await issue_token(conn, tenant=tenant, role="admin", name="b")).secret
        finally:
            await engine.dispose()
        upstream = urlsplit(url)
        async with StatementCounter(upstream.hostname or "127.0.0.1", upstream.port or 5432) as rt:
            settings = Settings(  # type: ignore[call-arg]
                DATABASE_URL=through_proxy(url, rt.port),
                REDIS_URL=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
                STEWARD_ENV="test",
                STEWARD_LOG_LEVEL="WARNING",
                # The ordinary executor: the compiled read path has its own statement count.
                STEWARD_READ_PATH=os.environ.get("STEWARD_READ_PATH", "ordinary"),
                STEWARD_RATE_LIMIT_PER_PRINCIPAL=1_000_000,
                STEWARD_RATE_LIMIT_PER_ADDRESS=1_000_000,
            )
            headers = {"authorization": f"Bearer {token}"}
            async with serving(settings) as base, httpx.AsyncClient(base_url=base) as client:
                for name, query in QUERIES.items():
                    for _ in range(3):  # warm-up: connections opened, statements prepared
                        await client.post("/graphql", json={"query": query}, headers=headers)
                    mark = rt.tally.mark()
                    for _ in range(requests):
                        response = await client.post(
                            "/graphql", json={"query": query}, headers=headers
                        )
                        assert response.status_code == 200 and "errors" not in response.json()
                    statements, trips = rt.tally.since(mark)
                    kinds = Counter(kind(s) for s in statements)
                    detail = ", ".join(f"{k} {v / requests:g}" for k, v in sorted(kinds.items()))
                    print(
                        f"{name}: {trips / requests:g} round trips per request "
                        f"(statements: {detail})"
                    )


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
