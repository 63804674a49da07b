"""Where creating a tenant spends its time: per step, statements, prepares, PostgreSQL CPU.

Run: `python -m tests.benchmarks.tenants_provisioning [--tenants 30]` (DATABASE_URL, else
the local server). In a scratch database, `create_tenant` N times one after the other, as
bench_tenants does; for each step of tenants/provisioning.py (and the checks before and the
read-back after, "outside") it prints the median wall time, the statements sent through
SQLAlchemy and how many of them were prepared first (asyncpg prepares every statement it
has not seen on that connection: one more round trip each), and for the whole run the CPU
of this process against that of the database's PostgreSQL backends, so the wall time splits
into Python, PostgreSQL and waiting (fsync at each commit, a loaded machine).
A step's statements are counted from the end of the step before, so the role step's
show under "outside" (with the checks before it); its wall time is its own.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import time
from collections import defaultdict
from typing import Any

import asyncpg
from sqlalchemy import event
from sqlalchemy.dialects.postgresql import asyncpg as sa_asyncpg

from tenants.engine import make_engine
from tenants.fleet import migrate_shared
from tenants.provisioning import create_tenant
from tests.benchmarks.bench_tenants import _dsn, scratch
from tests.benchmarks.usage import backend_cpu, backend_delta


class Counter:
    """Statements and prepares, attributed to the step running when they were sent."""

    def __init__(self) -> None:
        self.step = "outside"
        self.statements: dict[str, int] = defaultdict(int)
        self.prepares: dict[str, int] = defaultdict(int)
        self.seconds: dict[str, list[float]] = defaultdict(list)
        self.mark = time.perf_counter()

    def statement(self, *_: Any) -> None:
        self.statements[self.step] += 1

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.seconds[name].append(now - self.mark)
        self.mark = now


def count_prepares(counter: Counter) -> None:
    adapter: Any = sa_asyncpg.AsyncAdapt_asyncpg_connection
    original = adapter._prepare

    async def _prepare(self: Any, operation: str, invalidate: Any) -> Any:
        cache = self._prepared_statement_cache
        if cache is None or operation not in cache:
            counter.prepares[counter.step] += 1
        return await original(self, operation, invalidate)

    adapter._prepare = _prepare


async def run(tenants: int) -> None:
    counter = Counter()
    count_prepares(counter)
    steps = ("role", "schema", "grants", "tables")
    async with scratch("bench_provisioning") as url:
        engine = make_engine(url)
        pg = await asyncpg.connect(_dsn(url))
        try:
            await migrate_shared(engine)
            event.listen(engine.sync_engine, "before_cursor_execute", counter.statement)

            async def after_step(name: str) -> None:
                counter.lap(name)
                following = steps.index(name) + 1
                counter.step = steps[following] if following < len(steps) else "outside"

            cpu0, pg0, wall0 = time.process_time(), await backend_cpu(pg), time.perf_counter()
            for i in range(tenants):
                counter.step, counter.mark = "outside", time.perf_counter()
                before = counter.mark
                await create_tenant(
                    engine, slug=f"prof{i:04d}", name="Profile", after_step=after_step
                )
                counter.step = "outside"
                counter.lap("outside")
                counter.seconds["total"].append(time.perf_counter() - before)
            wall = time.perf_counter() - wall0
            python_cpu = time.process_time() - cpu0
            pg_cpu = backend_delta(pg0, await backend_cpu(pg))
        finally:
            await pg.close()
            await engine.dispose()
    print(f"{tenants} tenants, load average {os.getloadavg()[0]:.1f}")
    for name in (*steps, "outside", "total"):
        seconds = counter.seconds[name]
        extra = ""
        if name != "total":
            statements, prepared = counter.statements[name], counter.prepares[name]
            extra = f"  statements {statements / tenants:5.1f}  prepared {prepared / tenants:5.1f}"
        print(f"  {name:<8} median {1000 * statistics.median(seconds):7.1f} ms{extra}")
    print(
        f"  per tenant: wall {1000 * wall / tenants:.1f} ms, Python CPU "
        f"{1000 * python_cpu / tenants:.1f} ms, PostgreSQL CPU {1000 * pg_cpu / tenants:.1f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tenants", type=int, default=30)
    asyncio.run(run(parser.parse_args().tenants))


if __name__ == "__main__":
    main()
