"""Deterministic job ids and enqueueing, shared by the API, the sweeper and the cron.

A job id names the work, not the attempt: enqueueing the same report twice (a double
click, two workers' cron ticks, the sweeper racing the mutation) leaves one job,
because arq refuses an id it already holds (queued, running or with a kept result).
Arguments are the tenant's slug and ids as strings: the job looks the tenant up in
the registry and never builds a schema name from what it was given.
"""

from __future__ import annotations

import asyncio
import uuid
from datetime import date

from arq.connections import ArqRedis
from arq.jobs import Job, JobStatus

from jobs.metrics import REPORTS_ENQUEUED
from jobs.tracing import enqueue_span

READINESS_TASK = "build_readiness_report"
HEALTH_TASK = "build_health_report"
WEBHOOK_TASK = "deliver_webhook"
EXPORT_TASK = "build_export"
HEALTH_CREATED = "health_report.created"
READINESS_SUCCEEDED = "readiness_report.succeeded"
READINESS_FAILED = "readiness_report.failed"
ENQUEUE_TIMEOUT_S = 5.0


def id_argument(value: str) -> uuid.UUID | None:
    """An id a job was given (as a string, see above); None when it is no UUID, which only a
    job enqueued by hand can be, and the job ends at once saying so."""
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


def readiness_job_id(tenant: str, report_id: uuid.UUID) -> str:
    return f"readiness:{tenant}:{report_id}"


def health_job_id(tenant: str, client_id: uuid.UUID, period_start: date) -> str:
    return f"health:{tenant}:{client_id}:{period_start.isoformat()}"


def webhook_job_id(tenant: str, subject_id: uuid.UUID, event: str = HEALTH_CREATED) -> str:
    return f"webhook:{tenant}:{event}:{subject_id}"


async def _enqueue_once(
    redis: ArqRedis, task: str, *args: str, job_id: str, timeout_s: float | None
) -> bool:
    """Enqueue `task` under its deterministic `job_id`, traced; False when arq already holds
    a job with that id. `timeout_s` bounds an enqueue a request waits on (None: no bound)."""
    with enqueue_span(task, redis.default_queue_name) as tracing:
        async with asyncio.timeout(timeout_s):
            job = await redis.enqueue_job(task, *args, _job_id=job_id, **tracing)
    return job is not None


async def enqueue_webhook(
    redis: ArqRedis, *, tenant: str, event: str, subject_id: uuid.UUID
) -> None:
    """Queue one webhook event (once: its job id names the event and its report)."""
    job_id = webhook_job_id(tenant, subject_id, event)
    await _enqueue_once(
        redis, WEBHOOK_TASK, tenant, str(subject_id), event, job_id=job_id, timeout_s=None
    )


async def enqueue_health(
    redis: ArqRedis, *, tenant: str, client_id: uuid.UUID, period_start: date
) -> bool:
    """Queue one client's health report for the period (once); False if it exists."""
    job_id = health_job_id(tenant, client_id, period_start)
    args = (tenant, str(client_id), period_start.isoformat())
    return await _enqueue_once(redis, HEALTH_TASK, *args, job_id=job_id, timeout_s=None)


async def enqueue_readiness(redis: ArqRedis, *, tenant: str, report_id: uuid.UUID) -> bool:
    """Enqueue the report's job; False when a job with its id already exists.

    Raises the Redis error when Redis is unreachable: the report stays QUEUED in the
    database and the sweeper (jobs/sweeper.py) enqueues it once Redis is back."""
    job_id = readiness_job_id(tenant, report_id)
    queued = await _enqueue_once(
        redis, READINESS_TASK, tenant, str(report_id), job_id=job_id, timeout_s=ENQUEUE_TIMEOUT_S
    )
    if queued:
        REPORTS_ENQUEUED.labels("readiness").inc()
    return queued


def export_job_id(tenant: str, export_id: uuid.UUID) -> str:
    return f"export:{tenant}:{export_id}"


async def enqueue_export(redis: ArqRedis, *, tenant: str, export_id: uuid.UUID) -> bool:
    """Enqueue the export's job (once: its id names the export); False if it exists.

    Raises the Redis error when Redis is unreachable: the export stays QUEUED and the
    export sweeper (jobs/exports/sweeper.py) enqueues it once Redis is back."""
    job_id = export_job_id(tenant, export_id)
    return await _enqueue_once(
        redis, EXPORT_TASK, tenant, str(export_id), job_id=job_id, timeout_s=ENQUEUE_TIMEOUT_S
    )


async def job_status(redis: ArqRedis, job_id: str) -> JobStatus:
    return await Job(job_id, redis, _queue_name=redis.default_queue_name).status()


async def forget_result(redis: ArqRedis, job_id: str) -> None:
    """Drop a finished job's kept result so the same id can be enqueued again."""
    from arq.constants import result_key_prefix

    await redis.delete(result_key_prefix + job_id)
