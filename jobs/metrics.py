"""The worker's Prometheus metrics, and the sampler that keeps its gauges current.

No series carries a tenant: the endpoint is operator-only, but a figure per tenant
would still tell whoever reads it one consultancy's activity (and 1,000 tenants
would be 1,000 series per metric). Task names and outcomes are closed sets.

Queue-wide figures (jobs queued, tenants behind the migration head) are the same
on every worker: aggregate them with max(), not sum().
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

import structlog
from prometheus_client import (
    REGISTRY,
    Counter,
    Gauge,
    Histogram,
    disable_created_metrics,
    start_http_server,
)
from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncEngine

from tenants.migrate import TENANT, head_of
from tenants.pool_stats import pool_stats
from tenants.registry import Tenant

log = structlog.get_logger("steward.jobs.metrics")
# No `_created` sample beside each counter and histogram: it doubles the series.
disable_created_metrics()  # type: ignore[no-untyped-call]

JOB_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0)

JOBS_RUNNING = Gauge(
    "steward_jobs_running", "Jobs running now, by task", ["task"], multiprocess_mode="livesum"
)
JOBS_FINISHED = Counter(
    "steward_jobs_finished",
    "Job runs that ended, by task and outcome (succeeded, failed, retried, cancelled)",
    ["task", "outcome"],
)
JOB_DURATION = Histogram(
    "steward_job_duration_seconds",
    "Time a job run took, by task and outcome",
    ["task", "outcome"],
    buckets=JOB_BUCKETS,
)
REPORTS_ENQUEUED = Counter(
    "steward_reports_enqueued",
    "Report jobs newly queued (not already present), by kind (readiness, health)",
    ["kind"],
)
HEALTH_REPORTS = Counter(
    "steward_health_reports_produced",
    "Engagement health reports written, by status (red, amber, green)",
    ["status"],
)
WEBHOOK_DELIVERIES = Counter(
    "steward_webhook_deliveries",
    "Health-report webhook attempts, by outcome (delivered, retry, gave_up, skipped, error)",
    ["outcome"],
)

_WEBHOOK_RESULTS = {"delivered": "delivered", "gave up": "gave_up"}


def _same_on_every_worker(name: str, documentation: str) -> Gauge:
    """A queue-wide figure each worker measures alike: exposed as the max, never summed."""
    return Gauge(name, f"{documentation} (same on every worker)", multiprocess_mode="max")


def _this_worker(name: str, documentation: str) -> Gauge:
    """A figure of the worker's own (its connection pool): summed over the live workers."""
    return Gauge(name, documentation, multiprocess_mode="livesum")


class _Gauges:
    """The worker's own gauges, made when a worker starts its metrics: the API imports this
    module too (it enqueues), and must not show a queue or migration figure it never sets."""

    def __init__(self) -> None:
        self.queued = _same_on_every_worker("steward_jobs_queued", "Jobs waiting in the arq queue")
        self.tenants_behind = _same_on_every_worker(
            "steward_tenants_behind_head", "Tenant schemas not at the tenant migration head"
        )
        self.pool_open = _this_worker(
            "steward_worker_db_pool_open", "Worker database connections open"
        )
        self.pool_in_use = _this_worker(
            "steward_worker_db_pool_in_use", "Worker database connections checked out"
        )
        self.pool_waiting = _this_worker(
            "steward_worker_db_pool_waiting", "Worker callers waiting for a database connection"
        )


_gauges: list[_Gauges] = []


def gauges() -> _Gauges:
    if not _gauges:
        _gauges.append(_Gauges())
    return _gauges[0]


def webhook_outcome(result: Any) -> str:
    """A delivery job's return value as a bounded label."""
    return _WEBHOOK_RESULTS.get(str(result), "skipped")


async def sample(engine: AsyncEngine, redis: Any, queue_name: str) -> None:
    """Set the gauges from the queue, the registry and the pool (one round trip each)."""
    g = gauges()
    stats = pool_stats(engine)
    g.pool_open.set(stats.open)
    g.pool_in_use.set(stats.in_use)
    g.pool_waiting.set(stats.waiting)
    g.queued.set(await redis.zcard(queue_name))
    async with engine.connect() as conn:
        behind = await conn.scalar(
            select(func.count())
            .select_from(Tenant)
            .where(or_(Tenant.schema_revision.is_(None), Tenant.schema_revision != head_of(TENANT)))
        )
    g.tenants_behind.set(int(behind or 0))


async def sample_forever(engine: AsyncEngine, redis: Any, queue_name: str, every_s: float) -> None:
    while True:
        try:
            await sample(engine, redis, queue_name)
        except Exception as exc:  # the database or Redis is down: keep the last figures
            log.warning("metrics.sample_failed", error=type(exc).__name__)
        await asyncio.sleep(every_s)


class WorkerMetrics:
    """The worker's metrics port and sampler, started and stopped with the worker."""

    def __init__(self, port: int | None, host: str, every_s: float) -> None:
        self.port, self.host, self.every_s = port, host, every_s
        self._server: Any = None
        self._sampler: asyncio.Task[None] | None = None

    def start(self, engine: AsyncEngine, redis: Any, queue_name: str) -> None:
        if self.port is None:
            return
        gauges()  # shown from the first scrape
        self._server, _thread = start_http_server(self.port, addr=self.host, registry=REGISTRY)
        self._sampler = asyncio.create_task(sample_forever(engine, redis, queue_name, self.every_s))

    async def stop(self) -> None:
        if self._sampler is not None:
            self._sampler.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._sampler
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
