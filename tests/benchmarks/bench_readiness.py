"""Benchmark: the readiness job for clients of 50, 500 and 5,000 processes.

Run: `python -m tests.benchmarks.bench_readiness` (DATABASE_URL, else the local server
at 127.0.0.1:5432). It creates a scratch database with one tenant and three seeded
clients (tests/jobs/seed.py: owners, assignments, KPIs, reviews, incidents, a vendor
agreement, a change plan), then runs the real job function on a QUEUED report for each
and prints the wall time of the whole job (claim, snapshot, rules, HTML, PDF, store)
and the SQL statements it sent. Best of `ROUNDS` runs per size, each on a new report.

Checked, not only printed: the statement count is the same for every size, and the
time at 5,000 processes is at most 12 times the time at 500. Exit status 1 otherwise.
"""

from __future__ import annotations

import asyncio
import sys
import time
import uuid

from sqlalchemy.ext.asyncio import AsyncEngine

from jobs.readiness.job import build_readiness_report
from tenants.engine import make_engine
from tenants.fleet import migrate_shared
from tenants.provisioning import create_tenant
from tests.jobs.seed import queue_report, seed_client
from tests.support import count_statements, scratch_database

SIZES = (50, 500, 5_000)
ROUNDS = 3
MAX_RATIO = 12.0


async def _measure(engine: AsyncEngine, tenant: object, client_id: uuid.UUID) -> tuple[float, int]:
    best, statements = float("inf"), -1
    ctx = {"engine": engine, "job_try": 1, "job_timeout_s": 600}
    for _ in range(ROUNDS):
        report_id = await queue_report(engine, tenant, client_id)  # type: ignore[arg-type]
        with count_statements(engine) as counter:
            started = time.perf_counter()
            outcome = await build_readiness_report(ctx, tenant.slug, str(report_id))  # type: ignore[attr-defined]
            elapsed = time.perf_counter() - started
        assert outcome == "succeeded", outcome
        best, statements = min(best, elapsed), counter.count
    return best, statements


async def main() -> int:
    async with scratch_database("steward_bench") as url:
        engine = make_engine(url, statement_timeout_ms=600_000)
        try:
            return await _run(engine)
        finally:
            await engine.dispose()


async def _run(engine: AsyncEngine) -> int:
    slug = f"bench{uuid.uuid4().hex[:8]}"
    await migrate_shared(engine)
    tenant = await create_tenant(engine, slug=slug, name="Benchmark")
    results: dict[int, tuple[float, int]] = {}
    for size in SIZES:
        seeded = await seed_client(engine, tenant, processes=size, name=f"Client {size}")
        results[size] = await _measure(engine, tenant, seeded.client_id)
    print(f"{'processes':>10} {'job time (s)':>13} {'SQL statements':>15}")
    for size, (elapsed, statements) in results.items():
        print(f"{size:>10} {elapsed:>13.3f} {statements:>15}")
    ratio = results[5_000][0] / results[500][0]
    counts = {s for _, s in results.values()}
    print(f"time ratio 5,000 / 500: {ratio:.2f} (limit {MAX_RATIO:g})")
    print(f"statement count identical across sizes: {len(counts) == 1}")
    return 0 if ratio <= MAX_RATIO and len(counts) == 1 else 1


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
