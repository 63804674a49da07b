"""What a connection pool is doing right now: open, in use, and callers waiting for one."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine


@dataclass(frozen=True, slots=True)
class PoolStats:
    open: int  # connections the pool holds, idle or checked out
    in_use: int  # checked out
    waiting: int  # callers blocked until a connection is returned


def pool_stats(engine: AsyncEngine) -> PoolStats:
    """Read without locking or I/O; call it on the engine's event loop."""
    pool: Any = engine.sync_engine.pool
    in_use = int(pool.checkedout()) if hasattr(pool, "checkedout") else 0
    idle = int(pool.checkedin()) if hasattr(pool, "checkedin") else 0
    return PoolStats(open=in_use + idle, in_use=in_use, waiting=_waiting(pool))


def _waiting(pool: Any) -> int:
    # SQLAlchemy exposes no waiter count: the async queue pool parks callers as
    # futures on its asyncio.Queue once pool_size + max_overflow are checked out.
    # Only a queue that exists is read (reading the memoized attribute creates one).
    queue = getattr(pool, "_pool", None)
    inner = getattr(queue, "__dict__", {}).get("_queue")
    getters = getattr(inner, "_getters", None)
    if getters is None:
        return 0
    return sum(1 for future in getters if not future.done())
