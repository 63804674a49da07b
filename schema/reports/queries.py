"""`engagementHealthReports`: the latest health report of every client, tenant-wide."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry
from sqlalchemy import select
from sqlalchemy.dialects.postgresql import distinct_on
from sqlalchemy.orm import aliased

from schema.compiled.sql import Page, sql
from schema.context import Info
from schema.enums import HealthStatus
from schema.pagination import After, Connection, First, paginate
from schema.reports.resolvers import HEALTH_ORDER
from schema.reports.types import EngagementHealthReportNode
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


@strawberry.type
class ReportQuery:
    @strawberry.field(
        description="The latest engagement health report of each client the principal may "
        "see (archived clients left out), newest period first; `status` keeps only those "
        "with one of the given statuses (e.g. [RED] for the clients slipping now).",
        metadata=sql(
            Page(
                m.EngagementHealthReport,
                None,
                conditions=lambda a: latest_health_conditions(a.get("status")),
                ordering=lambda _: HEALTH_ORDER,
            )
        ),
    )
    async def engagement_health_reports(
        self,
        info: Info,
        first: First = 20,
        after: After = None,
        status: Annotated[
            list[HealthStatus] | None,  # type: ignore[valid-type]
            strawberry.argument(
                description="Keep only reports with one of these statuses; null: all."
            ),
        ] = None,
    ) -> Connection[EngagementHealthReportNode]:
        return await paginate(
            info,
            m.EngagementHealthReport,
            where=latest_health_conditions(status),
            ordering=HEALTH_ORDER,
            first=first,
            after=after,
            to_node=EngagementHealthReportNode.from_model,
        )
