"""Scheduled engagement health reports: the per-minute fan-out and the per-client job.

`schedule_health_reports` (arq cron, every minute, unique per tick across workers)
finds, for each tenant, the period due by its schedule (jobs/health/schedule.py) and
the active clients without a report for it, and enqueues one `build_health_report`
per client under a deterministic id (tenant, client, period). Several workers,
duplicate ticks or a re-run after a crash therefore enqueue each report once; the
insert is `ON CONFLICT DO NOTHING` on unique (client_id, period_start), the final
guard. A period that ends before the client's engagement start gets no report.
A new report is sent to the tenant's webhook, if one is configured.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

import structlog
from arq import Retry
from arq.connections import ArqRedis
from sqlalchemy import or_, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncEngine

from jobs.enqueue import HEALTH_CREATED, enqueue_health, enqueue_webhook
from jobs.health.compose import compose_health
from jobs.health.schedule import due_period, load_schedule
from jobs.metrics import HEALTH_REPORTS, REPORTS_ENQUEUED
from jobs.retry import MAX_TRIES, backoff_s, is_transient
from tenants import models as m
from tenants.registry import TenantRef, list_tenants, lookup_tenant
from tenants.session import tenant_session

log = structlog.get_logger("steward.jobs.health")


async def _due_clients(
    engine: AsyncEngine, tenant: TenantRef, now: datetime
) -> tuple[date, list[uuid.UUID]]:
    async with tenant_session(engine, tenant) as db:
        schedule = await load_schedule(db)
        period = due_period(schedule, now)
        if not schedule.enabled:
            return period.start, []
        c, h = m.ClientOrganisation, m.EngagementHealthReport
        reported = select(h.client_id).where(h.period_start == period.start, h.request_id.is_(None))
        ids = await db.scalars(
            select(c.id)
            .where(
                c.engagement_status == m.EngagementStatus.ACTIVE,
                c.archived_at.is_(None),
                # No report for a period that ends before the engagement starts.
                or_(c.engagement_start.is_(None), c.engagement_start <= period.end),
                c.id.not_in(reported),
            )
            .order_by(c.id)
        )
        return period.start, list(ids)


async def schedule_health_reports(ctx: dict[str, Any], now: str | None = None) -> int:
    """Enqueue the due, missing health reports of every tenant; returns how many."""
    engine: AsyncEngine = ctx["engine"]
    redis: ArqRedis = ctx["redis"]
    moment = datetime.fromisoformat(now) if now else datetime.now(UTC)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    async with engine.connect() as conn:
        tenants = await list_tenants(conn)
    enqueued = 0
    for ref in tenants:
        try:
            start, clients = await _due_clients(engine, ref, moment)
        except Exception:
            # One tenant's trouble (a schema mid-migration) must not stop the others.
            log.exception("health.schedule_failed", tenant=ref.slug)
            continue
        for client_id in clients:
            enqueued += await enqueue_health(
                redis, tenant=ref.slug, client_id=client_id, period_start=start
            )
    REPORTS_ENQUEUED.labels("health").inc(enqueued)
    if enqueued:
        log.info("health.scheduled", jobs=enqueued)
    return enqueued


async def _create(
    engine: AsyncEngine, tenant: TenantRef, client_id: uuid.UUID, start: date
) -> tuple[str, uuid.UUID | None, bool]:
    end = start + timedelta(days=6)
    async with tenant_session(engine, tenant) as db:
        h = m.EngagementHealthReport
        found = await db.scalar(
            select(h.id).where(
                h.client_id == client_id, h.period_start == start, h.request_id.is_(None)
            )
        )
        if found is not None:
            # A re-run after the report was written but before its webhook was queued.
            schedule = await load_schedule(db)
            attempted = await db.scalar(
                select(m.WebhookDelivery.id)
                .where(
                    m.WebhookDelivery.report_id == found,
                    m.WebhookDelivery.event == HEALTH_CREATED,
                )
                .limit(1)
            )
            return "exists", found, bool(schedule.webhook_url) and attempted is None
        started = await db.scalar(
            select(m.ClientOrganisation.engagement_start).where(
                m.ClientOrganisation.id == client_id
            )
        )
        if started is not None and started > end:
            # The last guard, whoever enqueued it: never a report before the engagement.
            return "before engagement start", None, False
        composed = await compose_health(
            db, client_id=client_id, start=start, end=end, as_of=end + timedelta(days=1)
        )
        if composed is None:
            return "missing client", None, False
        health = composed.health
        report_id = await db.scalar(
            insert(h)
            .values(**composed.values(client_id, start, end))
            .on_conflict_do_nothing(
                index_elements=[h.client_id, h.period_start],
                index_where=h.request_id.is_(None),
            )
            .returning(h.id)
        )
        schedule = await load_schedule(db)
    if report_id is None:
        return "exists", None, False
    log.info("health.created", tenant=tenant.slug, client_id=str(client_id), status=health.status)
    HEALTH_REPORTS.labels(health.status.lower()).inc()
    return "created", report_id, bool(schedule.webhook_url)


async def build_health_report(
    ctx: dict[str, Any], tenant: str, client_id: str, period_start: str
) -> str:
    """Produce one client's health report for the period starting `period_start`."""
    engine: AsyncEngine = ctx["engine"]
    try:
        cid, start = uuid.UUID(client_id), date.fromisoformat(period_start)
    except ValueError:
        return "invalid arguments"
    job_try = int(ctx.get("job_try", 1))
    try:
        ref = await lookup_tenant(engine, tenant)
        if ref is None:
            return "unknown tenant"
        outcome, report_id, deliver = await _create(engine, ref, cid, start)
        if deliver and report_id is not None:
            await enqueue_webhook(
                ctx["redis"], tenant=ref.slug, event=HEALTH_CREATED, subject_id=report_id
            )
        return outcome
    except Exception as exc:
        if is_transient(exc) and job_try < MAX_TRIES:
            raise Retry(defer=backoff_s(job_try)) from exc
        raise
