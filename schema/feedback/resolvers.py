"""Reviews and incidents of a process (AIProcess.reviews / AIProcess.incidents)."""

from __future__ import annotations

from typing import Any

from schema.feedback.types import IncidentFilter
from schema.node_lists import NodeList
from schema.pagination import Ordering
from tenants import models as m

REVIEW_ORDERING = Ordering(m.ProcessReview.reviewed_on, descending=True)
INCIDENT_ORDERING = Ordering(m.Incident.occurred_at, descending=True)


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


# Newest review first (reviewedOn descending, then id).
PROCESS_REVIEWS = NodeList(
    m.ProcessReview,
    m.ProcessReview.process_id,
    REVIEW_ORDERING,
    "schema.feedback.types:ProcessReviewNode",
)
# Most recent incident first (occurredAt descending, then id).
PROCESS_INCIDENTS = NodeList(
    m.Incident,
    m.Incident.process_id,
    INCIDENT_ORDERING,
    "schema.feedback.types:IncidentNode",
    incident_conditions,
)
