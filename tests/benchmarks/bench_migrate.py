"""Benchmark: `steward tenants migrate` over 200 tenants.

Run: `python -m tests.benchmarks.bench_migrate [N]` (DATABASE_URL, else the local server).
It creates a scratch database with N tenants (default 200), then times the real CLI:
once with every schema already at head, then from the first revision to head at
concurrency 1, 2 and 4 (processes). Prints seconds and the ratio to concurrency 1.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time

from tenants.engine import make_engine
from tenants.fleet import migrate_shared
from tenants.migrate import downgrade_tenant
from tenants.provisioning import create_tenant
from tenants.registry import list_tenants
from tests.support import scratch_database


def _cli(url: str, *args: str) -> float:
    env = os.environ | {"DATABASE_URL": url, "STEWARD_ENV": "test"}
    env.setdefault("REDIS_URL", "redis://127.0.0.1:6379/0")
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "server.cli", "tenants", "migrate", *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter() - started
    assert done.returncode == 0 and " 0 failed" in done.stdout, done.stdout + done.stderr
    return elapsed


async def main(count: int) -> None:
    async with scratch_database("bench_migrate") as url:
        await _run(url, count)


async def _run(url: str, count: int) -> None:
    engine = make_engine(url)
    try:
        await migrate_shared(engine)
        started = time.perf_counter()
        for i in range(count):
            await create_tenant(engine, slug=f"bench{i:04d}", name=f"Bench {i}")
        print(f"{count} tenants created in {time.perf_counter() - started:.1f}s")
        print(f"migrate, all at head (concurrency 4): {_cli(url, '--concurrency', '4'):.1f}s")
        baseline = None
        for concurrency in (1, 2, 4):
            async with engine.connect() as conn:
                tenants = await list_tenants(conn)
            for tenant in tenants:
                async with engine.connect() as conn, conn.begin():
                    await downgrade_tenant(conn, tenant, "0001")
            seconds = _cli(url, "--concurrency", str(concurrency))
            baseline = baseline or seconds
            print(
                f"migrate 0001 -> head, concurrency {concurrency}: {seconds:.1f}s "
                f"({seconds / baseline:.2f}x of concurrency 1)"
            )
    finally:
        await engine.dispose()


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 200))
