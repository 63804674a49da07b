"""`requestEngagementHealthReport`: a client's health report, produced now.

The report covers the seven days up to today in the tenant's schedule time zone (from
the engagement start, if that is later) and is written in the request's own
transaction, so one request makes exactly one report: there is no job to run twice.
Requests for one client take turns on the client row and are rate-limited to one per
`REQUEST_INTERVAL_S`, measured by PostgreSQL's clock on the reports themselves, so the
limit holds across server processes. No report is made before the engagement starts.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from jobs.health.compose import compose_health
from jobs.health.schedule import load_schedule
from tenants import models as m
from tenants.errors import DomainError, ErrorCode, not_found, validation
from tenants.services.audit import Actor, record_audit
from tenants.services.persistence import guarded_write
from tenants.services.validation import Collector

REQUEST_INTERVAL_S = 60
FIELD = "clientOrganisationId"


async def _seconds_since_last_request(db: AsyncSession, client_id: uuid.UUID) -> float | None:
    h = m.EngagementHealthReport
    last = await db.scalar(
        select(func.extract("epoch", func.now() - func.max(h.created_at))).where(
            h.client_id == client_id, h.request_id.is_not(None)
        )
    )
    return None if last is None else float(last)


def _period(today: date, engagement_start: date | None) -> tuple[date, date]:
    start = today - timedelta(days=6)
    if engagement_start is not None and engagement_start > start:
        start = engagement_start
    return start, today


async def request_health_report(
    db: AsyncSession, *, actor: Actor, client_id: uuid.UUID, now: datetime
) -> m.EngagementHealthReport:
    """Assess, render and store one health report for the client, now."""
    c = Collector()
    await c.load(db, m.ClientOrganisation, client_id, FIELD)
    c.raise_if_any()
    client = await db.scalar(
        select(m.ClientOrganisation)
        .where(m.ClientOrganisation.id == client_id)
        .with_for_update(key_share=True)
    )
    if client is None or client.archived_at is not None:
        raise not_found(FIELD)
    today = now.astimezone((await load_schedule(db)).zone).date()
    if client.engagement_start is not None and client.engagement_start > today:
        raise validation(
            FIELD,
            f"the engagement starts on {client.engagement_start.isoformat()}: "
            "there is nothing to report before then",
        )
    since = await _seconds_since_last_request(db, client_id)
    if since is not None and since < REQUEST_INTERVAL_S:
        wait = max(1, int(REQUEST_INTERVAL_S - since))
        raise DomainError.one(
            FIELD,
            ErrorCode.UNAVAILABLE,
            f"a health report was requested for this client less than a minute ago; "
            f"try again in {wait} seconds",
        )
    start, end = _period(today, client.engagement_start)
    composed = await compose_health(db, client_id=client_id, start=start, end=end, as_of=today)
    if composed is None:
        raise not_found(FIELD)
    report = m.EngagementHealthReport(
        **composed.values(client_id, start, end), request_id=uuid.uuid4()
    )
    async with guarded_write(db):
        db.add(report)
    # The audit keeps what was decided, not the rendered document.
    after = {
        "client_id": client_id,
        "period_start": start,
        "period_end": end,
        "status": report.status,
        "reasons": [r.code for r in composed.health.reasons],
    }
    await record_audit(db, actor=actor, action="request", obj=report, before=None, after=after)
    await db.flush()
    await db.refresh(report, ["created_at"])
    return report
