"""Report requests: the rows jobs fill in."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tenants.models import ClientOrganisation, ReadinessReport, ReportStatus
from tenants.services.audit import Actor, add_audited
from tenants.services.validation import Collector


async def request_readiness_report(
    session: AsyncSession, *, actor: Actor, client_id: uuid.UUID, locale: str | None = None
) -> tuple[ReadinessReport, bool]:
    """Queue a readiness report for a client; returns (report, created).

    A report already queued or running for the client is returned instead of a new
    one, so a double click enqueues one job. The caller enqueues the job after commit
    only when `created` is true.
    """
    c = Collector()
    await c.load(session, ClientOrganisation, client_id, "clientOrganisationId")
    c.raise_if_any()
    # Requests for one client take turns: without the lock, two at once would both find
    # nothing pending and both queue a report. The second now waits for the first to
    # commit, and its check below (a new statement) sees the first one's report.
    # NO KEY UPDATE: rows that merely reference the client are not held up.
    await session.execute(
        select(ClientOrganisation.id)
        .where(ClientOrganisation.id == client_id)
        .with_for_update(key_share=True)
    )
    pending = await session.scalar(
        select(ReadinessReport)
        .where(
            ReadinessReport.client_id == client_id,
            ReadinessReport.status.in_([ReportStatus.QUEUED, ReportStatus.RUNNING]),
        )
        .order_by(ReadinessReport.requested_at.desc())
        .limit(1)
    )
    if pending is not None:
        return pending, False
    report = ReadinessReport(
        client_id=client_id, status=ReportStatus.QUEUED, requested_by=actor.label, locale=locale
    )
    await add_audited(session, report, actor=actor, action="request")
    return report, True
