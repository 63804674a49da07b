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
import contextlib
import os
import struct
import sys
from collections import Counter
from urllib.parse import urlsplit, urlunsplit

import httpx

from server.settings import Settings
from tenants.engine import make_engine
from tenants.fleet import migrate_shared
from tenants.provisioning import create_tenant
from tenants.tokens import issue_token
from tests.support import scratch_database, serving, unique_slug

SSL_REQUEST, GSSENC_REQUEST = 80877103, 80877104
QUERIES = {
    "viewer": "{ viewer { name role } }",
    "clients": "{ clientOrganisations(first: 5) { totalCount edges { node { name } } } }",
}


def _label(sql: str) -> str:
    stripped = sql.strip().rstrip(";").strip()
    if not stripped:
        return "ping"
    head = stripped.split()[0].upper()
    if head in ("BEGIN", "COMMIT", "ROLLBACK", "SET", "SAVEPOINT", "RELEASE"):
        return " ".join(stripped.split()[:2]).upper() if head == "SET" else head
    return "api_tokens lookup" if "api_tokens" in stripped else "data"


class RoundTripCounter:
    """A TCP proxy to PostgreSQL that counts the client's round trips by label."""

    def __init__(self, upstream: tuple[str, int]) -> None:
        self.upstream = upstream
        self.trips: list[str] = []
        self.port = 0
        self._server: asyncio.Server | None = None

    async def __aenter__(self) -> RoundTripCounter:
        self._server = await asyncio.start_server(self._client, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self._server is not None
        self._server.close()

    async def _client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while True:  # startup: refuse encryption so the stream stays readable
            (length,) = struct.unpack("!i", await reader.readexactly(4))
            rest = await reader.readexactly(length - 4)
            if struct.unpack("!i", rest[:4])[0] not in (SSL_REQUEST, GSSENC_REQUEST):
                break
            writer.write(b"N")
        up_reader, up_writer = await asyncio.open_connection(*self.upstream)
        up_writer.write(struct.pack("!i", length) + rest)
        back = asyncio.create_task(self._pump(up_reader, writer))
        prepared: dict[str, str] = {}  # statement name -> SQL text (asyncpg's cache)
        pending = ""  # the first statement text since the last Sync
        with contextlib.suppress(asyncio.IncompleteReadError, ConnectionError):
            while True:
                header = await reader.readexactly(5)
                payload = await reader.readexactly(struct.unpack("!i", header[1:])[0] - 4)
                up_writer.write(header + payload)
                tag = header[:1]
                if tag == b"Q":
                    self.trips.append(_label(payload.split(b"\0", 1)[0].decode()))
                elif tag == b"P":
                    name, sql = payload.split(b"\0")[:2]
                    prepared[name.decode()] = sql.decode()
                    pending = pending or sql.decode()
                elif tag == b"B" and not pending:
                    pending = prepared.get(payload.split(b"\0")[1].decode(), "?")
                elif tag == b"S":
                    self.trips.append(_label(pending))
                    pending = ""
                elif tag == b"X":
                    break
                await up_writer.drain()
        back.cancel()
        up_writer.close()
        writer.close()

    @staticmethod
    async def _pump(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with contextlib.suppress(ConnectionError):
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()


def _via(url: str, port: int) -> str:
    parts = urlsplit(url)
    user = parts.netloc.rsplit("@", 1)[0] + "@" if "@" in parts.netloc else ""
    return urlunsplit(parts._replace(netloc=f"{user}127.0.0.1:{port}"))


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
        async with RoundTripCounter(
            (upstream.hostname or "127.0.0.1", upstream.port or 5432)
        ) as rt:
            settings = Settings(  # type: ignore[call-arg]
                DATABASE_URL=_via(url, rt.port),
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
                    start = len(rt.trips)
                    for _ in range(requests):
                        response = await client.post(
                            "/graphql", json={"query": query}, headers=headers
                        )
                        assert response.status_code == 200 and "errors" not in response.json()
                    trips = Counter(rt.trips[start:])
                    total = sum(trips.values()) / requests
                    detail = ", ".join(f"{k} {v / requests:g}" for k, v in sorted(trips.items()))
                    print(f"{name}: {total:g} round trips per request ({detail})")


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
