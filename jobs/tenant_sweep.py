"""The loop both sweepers (`jobs/sweeper.py`, `jobs/exports/sweeper.py`) run every minute:
every registered tenant in turn, one tenant's failure logged and never stopping the
others, since a cron run that gave up at the first broken schema would leave every tenant
after it unswept."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

import structlog
from arq.connections import ArqRedis
from sqlalchemy.ext.asyncio import AsyncEngine

from jobs.config import DEFAULT_JOB_TIMEOUT_S
from tenants.registry import TenantRef, list_tenants

#: One tenant's sweep: (engine, redis, tenant, now, job timeout in s) -> jobs enqueued.
TenantSweep = Callable[[AsyncEngine, ArqRedis, TenantRef, datetime, float], Awaitable[int]]


async def sweep_every_tenant(
    ctx: dict[str, Any], sweep: TenantSweep, *, log: structlog.stdlib.BoundLogger, failed_event: str
) -> int:
    """Run `sweep` on every tenant with the worker's engine and Redis; returns the total
    enqueued. A tenant that raises is logged on the sweeper's own `log` and skipped."""
    engine: AsyncEngine = ctx["engine"]
    redis: ArqRedis = ctx["redis"]
    timeout_s = float(ctx.get("job_timeout_s", DEFAULT_JOB_TIMEOUT_S))
    now = datetime.now(UTC)
    async with engine.connect() as conn:
        tenants = await list_tenants(conn)
    total = 0
    for ref in tenants:
        try:
            total += await sweep(engine, redis, ref, now, timeout_s)
        except Exception:
            log.exception(failed_event, tenant=ref.slug)
    return total
