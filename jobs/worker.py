"""arq worker settings. The server's CLI builds them from its validated settings."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import Any

from arq.connections import RedisSettings

from jobs.config import DEFAULT_EXPORT_TTL_S, DEFAULT_JOB_TIMEOUT_S
from jobs.liveness import HEALTH_CHECK_INTERVAL_S, health_check_key
from jobs.metrics import WorkerMetrics
from jobs.observed import observed
from jobs.serialization import deserialize, serialize
from jobs.tasks import TASKS, cron_jobs
from jobs.tracing import trace_engine
from tenants.engine import make_engine
from tenants.services.secret_box import SecretBox

# The same for every worker: msgpack (never pickle), five tries, results kept an hour.
_FIXED: dict[str, Any] = {
    "job_serializer": serialize,
    "job_deserializer": deserialize,
    "max_tries": 5,
    "keep_result": 3600,
    "handle_signals": True,
    "health_check_interval": HEALTH_CHECK_INTERVAL_S,
}


def worker_settings(
    *,
    database_url: str,
    redis_settings: RedisSettings,
    queue_name: str,
    secret_box: SecretBox,
    statement_timeout_ms: int = 60_000,
    max_jobs: int = 8,
    job_timeout_s: int = DEFAULT_JOB_TIMEOUT_S,
    test_job_delay_s: float = 0.0,
    burst: bool = False,
    with_cron: bool = True,
    webhook_backoff_s: float = 2.0,
    export_ttl_s: float = DEFAULT_EXPORT_TTL_S,
    metrics_port: int | None = None,
    metrics_host: str = "127.0.0.1",
    metrics_every_s: float = 5.0,
    shutdown_grace_s: int = 0,
    signin_attempt_retention_days: int = 90,
) -> dict[str, Any]:
    """Settings for `arq.run_worker` / `arq.Worker`. A job killed with its worker is re-run
    by another 10 s after `job_timeout_s`; `test_job_delay_s` is for tests only.

    On SIGTERM the worker takes no new job and gives running ones `shutdown_grace_s`; then
    it cancels them, and arq puts each back on the queue (counted as a try) for another
    worker at once. Its health key (jobs/liveness.py) is fresh while its poll loop runs.
    """
    observer = WorkerMetrics(metrics_port, metrics_host, metrics_every_s)
    # What every job finds in its ctx besides arq's own (`redis`, `job_id`, ...).
    shared = {
        "job_timeout_s": job_timeout_s,
        # STEWARD_SIGNIN_ATTEMPT_RETENTION_DAYS, for the sweeper's pruning (jobs/sweeper.py).
        "signin_attempt_retention_days": signin_attempt_retention_days,
        "test_job_delay_s": test_job_delay_s,
        "webhook_backoff_s": webhook_backoff_s,
        "export_ttl_s": export_ttl_s,  # STEWARD_EXPORT_TTL_HOURS (jobs/exports/job.py)
        "secret_box": secret_box,  # decrypts webhook secrets (jobs/webhooks.py)
    }

    on_startup, on_shutdown = _lifecycle(
        database_url, statement_timeout_ms, queue_name, observer, shared
    )
    return {
        **_FIXED,
        # Each task and cron runs in jobs/observed.py: its span, its metrics.
        "functions": [observed(task) for task in TASKS],
        "cron_jobs": [replace(c, coroutine=observed(c.coroutine)) for c in cron_jobs()]
        if with_cron
        else None,
        "redis_settings": redis_settings,
        "queue_name": queue_name,
        "on_startup": on_startup,
        "on_shutdown": on_shutdown,
        "max_jobs": max_jobs,
        "job_timeout": job_timeout_s,
        "burst": burst,
        "job_completion_wait": shutdown_grace_s,
        "health_check_key": health_check_key(queue_name),
    }


Hook = Callable[[dict[str, Any]], Awaitable[None]]


def _lifecycle(
    database_url: str,
    statement_timeout_ms: int,
    queue_name: str,
    observer: WorkerMetrics,
    shared: dict[str, Any],
) -> tuple[Hook, Hook]:
    """The worker's startup (engine, metrics, `shared` into ctx) and shutdown hooks."""

    async def on_startup(ctx: dict[str, Any]) -> None:
        ctx.update(shared)
        ctx["engine"] = make_engine(
            database_url,
            statement_timeout_ms=statement_timeout_ms,
            application_name="steward-worker",
        )
        trace_engine(ctx["engine"])
        # Prometheus text on `metrics_port` (jobs/metrics.py); nothing when it is None.
        observer.start(ctx["engine"], ctx["redis"], queue_name)

    async def on_shutdown(ctx: dict[str, Any]) -> None:
        await observer.stop()
        await ctx["engine"].dispose()

    return on_startup, on_shutdown
