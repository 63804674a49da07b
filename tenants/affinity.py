"""Tenant-affine connection checkout: a tenant's transactions go back to the same few backends.

Every PostgreSQL backend pays once for each tenant it serves: the first statement against a
tenant's tables loads their relations and catalog entries into that backend's caches, which
PostgreSQL never shares between backends. With a plain pool, round robin over many tenants
sends each tenant to every pooled backend in turn, so each backend pays for (and keeps
memory for) every tenant, and at a thousand tenants almost every visit is a first one
(infra/SCALE_OUT.md, `make bench-tenants`).

So each pooled connection gets a lane when it connects (lanes taken in turn), and each tenant
a lane from a stable hash of its schema name. A checkout made for a tenant (`preferring`)
takes an idle connection of the tenant's lane when there is one, and otherwise whatever the
pool would have given (an idle connection of another lane, a new one, or a wait): affinity
never makes a request wait or adds connections, it only chooses among the idle ones. Each
backend then warms for about 1/lanes of the tenants. A lane the pool has not grown to yet
(few connections open, at low load) has no connection, and its tenants spill: the pool's
`in_lane` and `spilled` counts (metric `steward_db_tenant_checkouts_total`) show how often.

Nothing here is about isolation: the role and search_path are still set per transaction
(tenants/session.py), whichever backend a transaction lands on.
"""

from __future__ import annotations

import itertools
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from sqlalchemy.pool import AsyncAdaptedQueuePool, ConnectionPoolEntry
from sqlalchemy.util.queue import AsyncAdaptedQueue

from tenants.registry import TenantRef

# False: checkouts ignore tenants, as a plain pool (bench_tenants compares both in one run).
AFFINITY = True

# The lane a checkout in this context prefers; None: no tenant, any connection.
_PREFERRED: ContextVar[str | None] = ContextVar("steward_preferred_tenant", default=None)
_LANE = "steward_lane"  # key in a connection record's `info`, which lives as its backend does


def lane_of(schema_name: str, lanes: int) -> int:
    """A tenant's lane: the same in every process, so the figures are reproducible."""
    return zlib.crc32(schema_name.encode()) % lanes


@contextmanager
def preferring(tenant: TenantRef) -> Iterator[None]:
    """Checkouts inside this block prefer `tenant`'s lane."""
    token = _PREFERRED.set(tenant.schema_name)
    try:
        yield
    finally:
        _PREFERRED.reset(token)


async def connect_for(engine: AsyncEngine, tenant: TenantRef) -> AsyncConnection:
    """A started connection from `engine`'s pool, preferring `tenant`'s lane; the caller
    closes it (an `async with` on it would start it a second time)."""
    conn = engine.connect()
    with preferring(tenant):
        await conn.start()
    return conn


class _LaneQueue(AsyncAdaptedQueue[ConnectionPoolEntry]):
    def take_lane(self, lane: int) -> ConnectionPoolEntry | None:
        """Remove and return an idle record of `lane`, or None.

        The idle records are the deque inside asyncio.Queue; taking one out of the middle
        is what `get_nowait` does at the front. No putter is ever waiting to be woken: the
        pool returns connections without blocking (QueuePool._do_return_conn).
        """
        idle = self._queue._queue  # type: ignore[attr-defined]
        for i, record in enumerate(idle):
            if record.info.get(_LANE) == lane:
                del idle[i]
                taken: ConnectionPoolEntry = record
                return taken
        return None


class TenantAffinePool(AsyncAdaptedQueuePool):
    """AsyncAdaptedQueuePool whose tenant checkouts prefer the tenant's lane."""

    _queue_class = _LaneQueue

    def __init__(self, *args: Any, lanes: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Two connections a lane by default: a tenant's second concurrent request still
        # finds a warm backend, and a backend warms for 2/pool_size of the tenants.
        self.lanes = lanes or max(1, self.size() // 2)
        self._next_lane = itertools.count()
        # Tenant checkouts served by the tenant's lane, and those that took another
        # connection because the lane had none idle (metrics: steward_db_tenant_checkouts).
        self.in_lane = 0
        self.spilled = 0
        # recreate() hands the new pool the old one's listeners (this one included, whose
        # counter then goes on), so a recreated pool does not listen twice.
        if "_dispatch" not in kwargs:
            event.listen(self, "connect", self._assign_lane)

    def _assign_lane(self, dbapi_connection: Any, record: ConnectionPoolEntry) -> None:
        # Fired on every (re)connect: `info` is cleared when a record's backend is replaced.
        record.info[_LANE] = next(self._next_lane) % self.lanes

    def _do_get(self) -> ConnectionPoolEntry:
        schema = _PREFERRED.get()
        if schema is not None and AFFINITY:
            queue: _LaneQueue = self._pool  # type: ignore[assignment]
            record = queue.take_lane(lane_of(schema, self.lanes))
            if record is not None:
                self.in_lane += 1
                return record
            self.spilled += 1
        return super()._do_get()

    def recreate(self) -> TenantAffinePool:
        # QueuePool.recreate builds `self.__class__` without our keyword; keep the lanes.
        fresh = super().recreate()
        assert isinstance(fresh, TenantAffinePool)
        fresh.lanes = self.lanes
        fresh.in_lane, fresh.spilled = self.in_lane, self.spilled  # counters never go back
        return fresh
