"""One health report's content: the status, reasons and HTML for a client and period.

Shared by the scheduled job (jobs/health/job.py) and the on-demand request
(jobs/health/request.py), so both tell the same truth.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from jobs.health import Health, assess_health
from jobs.i18n import normalize_locale
from jobs.readiness.loader import load_snapshot
from jobs.rendering import HealthReportDocument, render_health_html
from tenants import models as m
from tenants.services.branding import BRANDING_ID


@dataclass(frozen=True, slots=True)
class Composed:
    health: Health
    html: str
    locale: str

    def values(self, client_id: uuid.UUID, start: date, end: date) -> dict[str, object]:
        """The row's columns, for an insert."""
        return {
            "id": uuid.uuid4(),
            "client_id": client_id,
            "period_start": start,
            "period_end": end,
            "status": m.HealthStatus(self.health.status.lower()),
            "reasons": [r.to_dict(self.locale) for r in self.health.reasons],
            "html": self.html,
        }


async def readiness_scores(db: AsyncSession, client_id: uuid.UUID) -> list[float]:
    """The two latest succeeded readiness scores, newest first."""
    r = m.ReadinessReport
    rows = await db.scalars(
        select(r.score)
        .where(
            r.client_id == client_id,
            r.status == m.ReportStatus.SUCCEEDED,
            r.score.is_not(None),
        )
        .order_by(r.finished_at.desc(), r.id.desc())
        .limit(2)
    )
    return [float(s) for s in rows if s is not None]


async def compose_health(
    db: AsyncSession, *, client_id: uuid.UUID, start: date, end: date, as_of: date
) -> Composed | None:
    """Assess and render the client's health for start..end; None if the client is gone."""
    snapshot = await load_snapshot(db, client_id=client_id, as_of=as_of)
    if snapshot is None:
        return None
    scores = await readiness_scores(db, client_id)
    health = assess_health(snapshot, scores)
    # The tenant's report language and time zone (configureReportBranding).
    branding = await db.get(m.ReportBranding, BRANDING_ID)
    locale = normalize_locale(branding.locale if branding else None)
    doc = HealthReportDocument(
        client_name=snapshot.client_name,
        generated_at=datetime.now(UTC),
        status=health.status,
        reasons=[r.message_in(locale) for r in health.reasons],
        period_start=start,
        period_end=end,
        readiness_score=scores[0] if scores else None,
        metrics=health.metrics,
    )
    html = render_health_html(doc, locale, branding.timezone if branding else None)
    return Composed(health, html, locale)
