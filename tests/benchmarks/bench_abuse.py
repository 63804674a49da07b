"""Benchmark: a normal client's latency while four abusive clients hammer the server.

Run: `python -m tests.benchmarks.bench_abuse` (DATABASE_URL / REDIS_URL, else the local
servers). It creates a scratch database with a demo-seeded tenant, starts `steward serve`
as its own process, measures a normal client's p50/p99 alone (the baseline), then again
while four abusive processes send, as fast as they can: 101-alias documents, circular
fragments, deep nesting, oversized bodies, unauthenticated token guesses and `first: 100`
nested queries. Prints the loaded p99 as a ratio of the quiet p99 (target: at most 3x).
Figures, not assertions: they depend on the machine.
"""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tenants.demo_seed import seed_demo
from tenants.engine import make_engine
from tenants.fleet import migrate_shared
from tenants.provisioning import create_tenant
from tenants.tokens import issue_token
from tests.support import free_port, scratch_database

NORMAL = """{ clientOrganisations(first: 5) { totalCount edges { node { name
  ownershipCoverage { ratio } processes(first: 10) { edges { node { name orphaned } } } } } } }"""
ABUSE = [
    {"query": "{" + " ".join(f"a{i}: viewer {{ name }}" for i in range(101)) + "}"},
    {"query": "fragment A on Query { ...B } fragment B on Query { ...A } query { ...A }"},
    {
        "query": "{ clientOrganisations { edges { node { "
        + "processes { edges { node { clientOrganisation { " * 6
        + "name"
        + " } } } }" * 6
        + " } } } }"
    },
    {
        "query": "{ clientOrganisations(first: 100) { edges { node { processes(first: 100) {"
        " edges { node { name accountableOwner { name latestAssessment { scores { score } } } }"
        " } } } } } }"
    },
    {"query": "{ viewer { name } }", "padding": "x" * 2_000_000},
]
QUIET_REQUESTS = 300
ROOT = Path(__file__).resolve().parents[2]


def _abuser(base_url: str, token: str, stop_at: float) -> None:
    with httpx.Client(base_url=base_url, timeout=30) as client:
        i = 0
        while time.time() < stop_at:
            body = ABUSE[i % len(ABUSE)]
            auth = f"Bearer {token}" if i % 7 else f"Bearer stw_guess_{i}"
            with contextlib.suppress(httpx.HTTPError):
                client.post("/graphql", json=body, headers={"authorization": auth})
            i += 1


async def _latencies(base_url: str, token: str, count: int) -> list[float]:
    out = []
    async with httpx.AsyncClient(base_url=base_url, timeout=30) as client:
        for _ in range(count):
            started = time.perf_counter()
            response = await client.post(
                "/graphql", json={"query": NORMAL}, headers={"authorization": f"Bearer {token}"}
            )
            out.append(time.perf_counter() - started)
            assert response.status_code == 200 and "errors" not in response.json(), response.text
    return out


def _p(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100)[int(q) - 1] * 1000


async def main() -> None:
    async with scratch_database("bench_abuse") as url:
        await _run(url)


async def _run(url: str) -> None:
    redis_url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    name = url.rsplit("/", 1)[-1]
    engine = make_engine(url)
    server: subprocess.Popen[bytes] | None = None
    try:
        await migrate_shared(engine)
        tenant = await create_tenant(engine, slug="abuse", name="Abuse", after_migrate=seed_demo)
        async with engine.connect() as conn, conn.begin():
            tokens = [
                (await issue_token(conn, tenant=tenant, role="viewer", name=f"t{i}")).secret
                for i in range(5)
            ]
        port = free_port()
        env = os.environ | {
            "DATABASE_URL": url,
            "REDIS_URL": redis_url,
            "STEWARD_ENV": "test",
            "STEWARD_PORT": str(port),
            "STEWARD_LOG_LEVEL": "WARNING",
            "STEWARD_QUEUE_NAME": f"bench:{name}",
        }
        server = subprocess.Popen([sys.executable, "-m", "server.cli", "serve"], env=env, cwd=ROOT)
        base_url = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                if httpx.get(f"{base_url}/healthz").status_code == 200:
                    break
            except httpx.HTTPError:
                await asyncio.sleep(0.1)
        await _latencies(base_url, tokens[0], 20)  # warm up
        quiet = await _latencies(base_url, tokens[0], QUIET_REQUESTS)
        stop_at = time.time() + 60
        ctx = multiprocessing.get_context("spawn")
        abusers = [ctx.Process(target=_abuser, args=(base_url, t, stop_at)) for t in tokens[1:]]
        for p in abusers:
            p.start()
        await asyncio.sleep(2)
        loaded = await _latencies(base_url, tokens[0], QUIET_REQUESTS)
        for p in abusers:
            p.terminate()
            p.join()
        q50, q99 = _p(quiet, 50), _p(quiet, 99)
        l50, l99 = _p(loaded, 50), _p(loaded, 99)
        print("normal client, nested query, ms (ratio to the quiet run)")
        print(f"  quiet            p50 {q50:7.1f}  p99 {q99:7.1f}  (baseline)")
        ratio = f"p99 ratio {l99 / q99:.2f}x (target <= 3x)"
        print(f"  4 abusers        p50 {l50:7.1f}  p99 {l99:7.1f}  {ratio}")
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        await engine.dispose()


if __name__ == "__main__":
    asyncio.run(main())
