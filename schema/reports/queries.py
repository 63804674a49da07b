"""`engagementHealthReports`: the latest health report of every client, tenant-wide."""

from __future__ import annotations

from typing import Any

import strawberry
from sqlalchemy import select
from sqlalchemy.dialects.postgresql import distinct_on
from sqlalchemy.orm import aliased

from schema.enums import HealthStatus
from schema.node_lists import ListArgument, NodeList, unkeyed
from schema.reports.resolvers import HEALTH_ORDER
from tenants import models as m


def latest_health_conditions(status: list[m.HealthStatus] | None) -> list[Any]:
    """Each non-archived client's latest health report, of one of `status` if given."""
    # An alias inside, so the compiled path's adapting the outer table leaves it be.
    h, c = aliased(m.EngagementHealthReport), m.ClientOrganisation
    latest = (
        select(h.id)
        .join(c, c.id == h.client_id)
        .where(c.archived_at.is_(None))
        .ext(distinct_on(h.client_id))
        .order_by(h.client_id, h.period_start.desc())
    )
    where: list[Any] = [m.EngagementHealthReport.id.in_(latest)]
    if status:
        where.append(m.EngagementHealthReport.status.in_(status))
    return where


# Each client's latest report only, so not the client list of schema.reports.resolvers.
LATEST_HEALTH_REPORTS = NodeList(
    m.EngagementHealthReport,
    None,
    HEALTH_ORDER,
    "schema.reports.types:EngagementHealthReportNode",
    unkeyed(latest_health_conditions),
    argument="status",
)


@strawberry.type
class ReportQuery:
    engagement_health_reports = LATEST_HEALTH_REPORTS.field(
        "The latest engagement health report of each client the principal may "
        "see (archived clients left out), newest period first; `status` keeps only those "
        "with one of the given statuses (e.g. [RED] for the clients slipping now).",
        argument=ListArgument(
            list[HealthStatus] | None,  # type: ignore[valid-type]
            "Keep only reports with one of these statuses; null: all.",
        ),
    )
