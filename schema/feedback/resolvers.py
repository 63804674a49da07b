"""Reviews and incidents of a process (AIProcess.reviews / AIProcess.incidents)."""

from __future__ import annotations

import uuid
from typing import Any

from schema.context import Info
from schema.feedback.types import IncidentFilter, IncidentNode, ProcessReviewNode
from schema.pagination import Connection, Ordering, child_connection
from tenants import models as m

REVIEW_ORDERING = Ordering(m.ProcessReview.reviewed_on, descending=True)
INCIDENT_ORDERING = Ordering(m.Incident.occurred_at, descending=True)


async def process_reviews(
    info: Info, process_id: uuid.UUID, *, first: int | None, after: str | None
) -> Connection[ProcessReviewNode]:
    """Newest review first (reviewedOn descending, then id)."""
    return await child_connection(
        info,
        m.ProcessReview,
        m.ProcessReview.process_id,
        process_id,
        where=[],
        where_key=None,
        ordering=REVIEW_ORDERING,
        first=first,
        after=after,
        to_node=ProcessReviewNode.from_model,
    )


def incident_conditions(filter: IncidentFilter | None) -> tuple[list[Any], tuple[Any, ...]]:
    """SQL conditions for the filter, and a hashable key identifying them."""
    statuses = tuple(sorted(m.IncidentStatus(s) for s in (filter.status or []))) if filter else ()
    severities = (
        tuple(sorted(m.IncidentSeverity(s) for s in (filter.severity or []))) if filter else ()
    )
    where: list[Any] = []
    if statuses:
        where.append(m.Incident.status.in_(statuses))
    if severities:
        where.append(m.Incident.severity.in_(severities))
    return where, (statuses, severities)


async def process_incidents(
    info: Info,
    process_id: uuid.UUID,
    *,
    first: int | None,
    after: str | None,
    filter: IncidentFilter | None,
) -> Connection[IncidentNode]:
    """Most recent incident first (occurredAt descending, then id)."""
    where, key = incident_conditions(filter)
    return await child_connection(
        info,
        m.Incident,
        m.Incident.process_id,
        process_id,
        where=where,
        where_key=key,
        ordering=INCIDENT_ORDERING,
        first=first,
        after=after,
        to_node=IncidentNode.from_model,
    )
