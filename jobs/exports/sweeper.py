"""The export sweeper (arq cron, every minute): a QUEUED export whose job is not in
Redis (the request came while Redis was down) is enqueued under its deterministic id,
one left RUNNING by a dead worker past the job timeout is enqueued again (its job
starts the file over), and the file of an expired export is deleted (the row stays,
SUCCEEDED with `expiresAt` in the past, so the history still says what was exported)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import structlog
from arq.connections import ArqRedis
from arq.jobs import JobStatus
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncEngine

from jobs.enqueue import enqueue_export, export_job_id, forget_result, job_status
from jobs.tenant_sweep import sweep_every_tenant
from tenants import models as m
from tenants.registry import TenantRef
from tenants.session import tenant_session

log = structlog.get_logger("steward.jobs.exports")
_GONE = (JobStatus.not_found, JobStatus.complete)
_RUNNING_GRACE_S = 60


async def _sweep_tenant(
    engine: AsyncEngine, redis: ArqRedis, tenant: TenantRef, now: datetime, timeout_s: float
) -> int:
    e = m.Export
    async with tenant_session(engine, tenant) as db:
        expired = select(e.id).where(e.expires_at < now)
        await db.execute(delete(m.ExportChunk).where(m.ExportChunk.export_id.in_(expired)))
        pending = (
            await db.execute(
                select(e.id, e.status, e.started_at).where(
                    e.status.in_([m.ReportStatus.QUEUED, m.ReportStatus.RUNNING])
                )
            )
        ).all()
    stale_before = now - timedelta(seconds=timeout_s + _RUNNING_GRACE_S)
    enqueued = 0
    for export_id, status, started_at in pending:
        job_id = export_job_id(tenant.slug, export_id)
        state = await job_status(redis, job_id)
        if state not in _GONE:
            continue
        running = status is m.ReportStatus.RUNNING
        if running and started_at is not None and started_at > stale_before:
            continue
        if state is JobStatus.complete:
            await forget_result(redis, job_id)
        if await enqueue_export(redis, tenant=tenant.slug, export_id=export_id):
            enqueued += 1
    return enqueued


async def sweep_exports(ctx: dict[str, Any]) -> int:
    """Enqueue pending exports that have no job, delete expired files; returns enqueued."""
    return await sweep_every_tenant(
        ctx, _sweep_tenant, log=log, failed_event="exports.sweep_failed"
    )
