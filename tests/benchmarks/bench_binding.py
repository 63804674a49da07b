"""Benchmark: binding a session to a tenant by schema_translate_map vs search_path.

Run: `python -m tests.benchmarks.bench_binding` (DATABASE_URL, else the local
server at 127.0.0.1:5432). It creates a scratch database, N tenant schemas with
the same small tables, and measures, in one process:

1. throughput of a request-shaped mix of statements with tenants taken round
   robin, for each mechanism and asyncpg statement-cache size, as a ratio to
   `search_path` with the default cache (the baseline);
2. "migration skew": a migration has changed a column's type in tenant A, not yet in B; the same
   ORM statement runs alternately for A and B on one pooled connection, and we
   count the failures each mechanism produces.

Figures are printed, not asserted: they depend on the machine.
"""

from __future__ import annotations

import asyncio
import time

from sqlalchemy import Column, Integer, MetaData, String, Table, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine

from tests.support import scratch_database

META = MetaData()
ITEMS = Table("items", META, Column("id", Integer, primary_key=True), Column("name", String))
NOTES = Table(
    "notes",
    META,
    Column("id", Integer, primary_key=True),
    Column("item_id", Integer),
    Column("body", String),
)


async def _bind(conn: AsyncConnection, schema: str, mechanism: str) -> AsyncConnection:
    if mechanism == "translate":
        return await conn.execution_options(schema_translate_map={None: schema})
    await conn.execute(text("SELECT set_config('search_path', :p, true)"), {"p": schema})
    return conn


async def _request(engine: AsyncEngine, schema: str, mechanism: str) -> None:
    async with engine.connect() as raw, raw.begin():
        conn = await _bind(raw, schema, mechanism)
        await conn.execute(select(ITEMS).where(ITEMS.c.id < 5))
        await conn.execute(select(NOTES).where(NOTES.c.item_id == 1))
        await conn.execute(select(ITEMS.c.name).where(ITEMS.c.id == 2))
        await conn.execute(ITEMS.update().where(ITEMS.c.id == 3).values(name="x"))


async def _throughput(
    url: str, schemas: list[str], mechanism: str, cache: int, rounds: int
) -> float:
    engine = create_async_engine(
        url, pool_size=4, connect_args={"prepared_statement_cache_size": cache}
    )
    try:
        for schema in schemas[:4]:  # warm the pool
            await _request(engine, schema, mechanism)
        started = time.perf_counter()
        count = 0
        for _ in range(rounds):
            batch = [_request(engine, s, mechanism) for s in schemas]
            for i in range(0, len(batch), 4):
                await asyncio.gather(*batch[i : i + 4])
            count += len(schemas)
        return count / (time.perf_counter() - started)
    finally:
        await engine.dispose()


async def _skew(url: str, a: str, b: str, mechanism: str, attempts: int = 50) -> int:
    engine = create_async_engine(url, pool_size=1, max_overflow=0)
    failures = 0
    try:
        for i in range(attempts):
            schema = a if i % 2 == 0 else b
            try:
                async with engine.connect() as raw, raw.begin():
                    conn = await _bind(raw, schema, mechanism)
                    await conn.execute(select(ITEMS).where(ITEMS.c.id < 3))
            except DBAPIError:
                failures += 1
    finally:
        await engine.dispose()
    return failures


async def main(tenant_counts: tuple[int, ...] = (20, 200), rounds: int = 8) -> None:
    async with scratch_database("bench_binding") as url:
        setup = create_async_engine(url)
        schemas = [f"tenant_b{i:03d}" for i in range(max(tenant_counts))]
        async with setup.begin() as c:
            for s in schemas:
                await c.execute(text(f'CREATE SCHEMA "{s}"'))
                t = await c.execution_options(schema_translate_map={None: s})
                await t.run_sync(META.create_all)
                await t.execute(ITEMS.insert(), [{"id": i, "name": f"n{i}"} for i in range(10)])
        print(
            "binding benchmark: requests/s, ratio to search_path with asyncpg's default cache (100)"
        )
        for n in tenant_counts:
            subset = schemas[:n]
            baseline = await _throughput(url, subset, "search_path", 100, rounds)
            print(f"  {n:4d} tenants  search_path cache=100   {baseline:8.1f}/s  1.00x (baseline)")
            for mechanism, cache in (
                ("search_path", 2000),
                ("translate", 100),
                ("translate", 2000),
            ):
                rate = await _throughput(url, subset, mechanism, cache, rounds)
                label = f"{mechanism:11s} cache={cache:<5d}"
                print(f"  {n:4d} tenants  {label} {rate:8.1f}/s  {rate / baseline:.2f}x")
        # Migration skew: a migration has widened items.id in tenant 0, not yet in tenant 1.
        async with setup.begin() as c:
            await c.execute(text(f'ALTER TABLE "{schemas[0]}".items ALTER COLUMN id TYPE bigint'))
        for mechanism in ("search_path", "translate"):
            failures = await _skew(url, schemas[0], schemas[1], mechanism)
            print(f"  migration skew, {mechanism:11s}: {failures} failed transactions of 50")
        await setup.dispose()


if __name__ == "__main__":
    asyncio.run(main())
