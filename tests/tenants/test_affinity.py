"""Tenant-affine checkout: a tenant goes back to its lane's backends, and never waits for them.

tenants/affinity.py: each pooled connection has a lane, each tenant a lane by a stable hash;
a checkout for a tenant takes an idle connection of its lane when there is one. Backends are
told apart by `pg_backend_pid()`.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from server.settings import Settings
from tenants.affinity import TenantAffinePool, lane_of
from tenants.engine import make_engine
from tenants.registry import TenantRef
from tenants.session import tenant_connection, tenant_session
from tests.conftest import TenantFactory

POOL = 4  # two lanes of two connections


@pytest.fixture
async def pool4(settings: Settings) -> AsyncIterator[AsyncEngine]:
    assert settings.database_url
    engine = make_engine(settings.database_url, pool_size=POOL, max_overflow=0)
    yield engine
    await engine.dispose()


def _lanes(engine: AsyncEngine) -> int:
    pool = engine.sync_engine.pool
    assert isinstance(pool, TenantAffinePool)
    return pool.lanes


async def _open_all(engine: AsyncEngine) -> dict[int, int]:
    """Open every connection of the pool at once; {backend pid: lane}."""
    async with AsyncExitStack() as stack:
        conns: list[AsyncConnection] = [
            await stack.enter_async_context(engine.connect()) for _ in range(POOL)
        ]
        lanes = {}
        for conn in conns:
            pid = int(await conn.scalar(text("SELECT pg_backend_pid()")) or 0)
            raw = await conn.get_raw_connection()
            lanes[pid] = raw.info["steward_lane"]
        return lanes


async def _pid(engine: AsyncEngine, tenant: TenantRef) -> int:
    async with tenant_connection(engine, tenant) as conn:
        return int(await conn.scalar(text("SELECT pg_backend_pid()")) or 0)


async def _two_tenants_in_other_lanes(
    make_tenant: TenantFactory, lanes: int
) -> tuple[TenantRef, TenantRef]:
    first = await make_tenant()
    while True:  # lanes are a hash of the schema name: draw until the second differs
        second = await make_tenant()
        if lane_of(second.schema_name, lanes) != lane_of(first.schema_name, lanes):
            return first, second


async def test_each_tenant_returns_to_the_backends_of_its_lane(
    pool4: AsyncEngine, make_tenant: TenantFactory
) -> None:
    lanes = _lanes(pool4)
    assert lanes == POOL // 2
    backends = await _open_all(pool4)
    assert sorted(backends.values()) == [0, 0, 1, 1]  # lanes dealt in turn
    a, b = await _two_tenants_in_other_lanes(make_tenant, lanes)
    seen: dict[str, set[int]] = {a.slug: set(), b.slug: set()}
    for _ in range(6):
        for tenant in (a, b):
            seen[tenant.slug].add(await _pid(pool4, tenant))
    for tenant in (a, b):
        lane = lane_of(tenant.schema_name, lanes)
        assert {backends[pid] for pid in seen[tenant.slug]} == {lane}
    assert not seen[a.slug] & seen[b.slug]
    pool = pool4.sync_engine.pool
    assert isinstance(pool, TenantAffinePool)
    assert (pool.in_lane, pool.spilled) == (12, 0)  # the metrics' counters


async def test_a_busy_lane_spills_to_another_connection_without_waiting(
    pool4: AsyncEngine, make_tenant: TenantFactory
) -> None:
    backends = await _open_all(pool4)
    tenant = await make_tenant()
    lane = lane_of(tenant.schema_name, _lanes(pool4))
    async with AsyncExitStack() as stack:
        held = [await stack.enter_async_context(tenant_connection(pool4, tenant)) for _ in range(2)]
        held_pids = {int(await c.scalar(text("SELECT pg_backend_pid()")) or 0) for c in held}
        assert {backends[p] for p in held_pids} == {lane}  # both of its lane, now busy
        # A third transaction of the same tenant gets another lane's idle backend at once
        # (the pool has no overflow: waiting for the lane would time out the test).
        pool = pool4.sync_engine.pool
        assert isinstance(pool, TenantAffinePool)
        before = pool.spilled
        spilled = await asyncio.wait_for(_pid(pool4, tenant), timeout=5)
        assert backends[spilled] != lane
        assert pool.spilled == before + 1


async def test_isolation_holds_on_whichever_backend_a_tenant_lands(
    pool4: AsyncEngine, make_tenant: TenantFactory
) -> None:
    await _open_all(pool4)
    a, b = await _two_tenants_in_other_lanes(make_tenant, _lanes(pool4))
    async with AsyncExitStack() as stack:
        # Hold every connection of a's lane, so a's next session lands in b's lane.
        for _ in range(2):
            await stack.enter_async_context(tenant_connection(pool4, a))
        await _pid(pool4, b)
        async with tenant_session(pool4, a) as db:
            assert await db.scalar(text("SELECT current_user")) == a.role_name
            path = str(await db.scalar(text("SELECT current_setting('search_path')")))
            assert a.schema_name in path and b.schema_name not in path


async def test_checkouts_without_a_tenant_take_any_connection(pool4: AsyncEngine) -> None:
    backends = await _open_all(pool4)
    seen = set()
    for _ in range(POOL * 2):
        async with pool4.connect() as conn:
            seen.add(int(await conn.scalar(text("SELECT pg_backend_pid()")) or 0))
    assert seen == set(backends)  # FIFO over all of them, as a plain pool
