"""The sweeper (arq cron, every minute): no readiness report stays pending for ever.

* A QUEUED report whose job is not in Redis (the request came while Redis was down,
  or Redis lost its data) is enqueued, under its deterministic id.
* A RUNNING report whose job is gone and whose start is older than the job timeout
  plus arq's in-progress grace (its worker died and nothing will re-run it, or the
  job could not even record its own failure) is enqueued again, or FAILED once it
  has used up its attempts.

A job that is queued, deferred for a retry or in progress is left alone; a job whose
result is still kept while its report is pending ended without settling the report,
so its result is dropped and it is enqueued again.

It also prunes each tenant's sign-in attempts older than
STEWARD_SIGNIN_ATTEMPT_RETENTION_DAYS (an indexed delete, nothing to do most minutes).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import structlog
from arq.connections import ArqRedis
from arq.jobs import JobStatus
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from jobs.enqueue import (
    READINESS_FAILED,
    enqueue_readiness,
    enqueue_webhook,
    forget_result,
    job_status,
    readiness_job_id,
)
from jobs.readiness.job import fail_report
from jobs.retry import MAX_TRIES
from jobs.tenant_sweep import sweep_every_tenant
from tenants.models import ReadinessReport, ReportStatus
from tenants.registry import TenantRef
from tenants.services.sign_in_attempts import prune_sign_in_attempts, retention_cutoff
from tenants.session import tenant_session

log = structlog.get_logger("steward.jobs.sweeper")
DEFAULT_SIGNIN_RETENTION_DAYS = 90
_GONE = (JobStatus.not_found, JobStatus.complete)
# arq lets another worker take a job 10 s after the longest timeout; then some slack.
_RUNNING_GRACE_S = 10 + 50


async def _sweep_tenant(
    engine: AsyncEngine, redis: ArqRedis, tenant: TenantRef, now: datetime, timeout_s: float
) -> int:
    r = ReadinessReport
    async with tenant_session(engine, tenant) as db:
        rows = (
            await db.execute(
                select(r.id, r.status, r.started_at, r.attempts).where(
                    r.status.in_([ReportStatus.QUEUED, ReportStatus.RUNNING])
                )
            )
        ).all()
    stale_before = now - timedelta(seconds=timeout_s + _RUNNING_GRACE_S)
    enqueued = 0
    for report_id, status, started_at, attempts in rows:
        job_id = readiness_job_id(tenant.slug, report_id)
        state = await job_status(redis, job_id)
        if state not in _GONE:
            continue
        if status is ReportStatus.RUNNING:
            if started_at is not None and started_at > stale_before:
                continue
            if attempts >= MAX_TRIES:
                reason = f"abandoned after {attempts} attempts"
                if await fail_report(engine, tenant, report_id, reason):
                    # Ended here, not in its job: announce it as the job would have.
                    await enqueue_webhook(
                        redis, tenant=tenant.slug, event=READINESS_FAILED, subject_id=report_id
                    )
                continue
        if state is JobStatus.complete:
            await forget_result(redis, job_id)
        if await enqueue_readiness(redis, tenant=tenant.slug, report_id=report_id):
            enqueued += 1
            log.info("sweeper.enqueued", tenant=tenant.slug, report_id=str(report_id))
    return enqueued


async def prune_tenant_sign_ins(
    engine: AsyncEngine, tenant: TenantRef, now: datetime, days: int
) -> int:
    """Delete the tenant's sign-in attempts older than `days`; returns how many."""
    async with tenant_session(engine, tenant) as db:
        pruned = await prune_sign_in_attempts(db, before=retention_cutoff(now, days))
    if pruned:
        log.info("sweeper.sign_in_attempts_pruned", tenant=tenant.slug, count=pruned)
    return pruned


async def sweep_reports(ctx: dict[str, Any]) -> int:
    """Enqueue pending readiness reports that have no job; returns how many."""
    days = int(ctx.get("signin_attempt_retention_days", DEFAULT_SIGNIN_RETENTION_DAYS))

    async def sweep_and_prune(
        engine: AsyncEngine, redis: ArqRedis, tenant: TenantRef, now: datetime, timeout_s: float
    ) -> int:
        enqueued = await _sweep_tenant(engine, redis, tenant, now, timeout_s)
        await prune_tenant_sign_ins(engine, tenant, now, days)
        return enqueued

    return await sweep_every_tenant(
        ctx, sweep_and_prune, log=log, failed_event="sweeper.tenant_failed"
    )
