"""`ClientOrganisation.incidents / kpis / reviews / milestones` (ClientOrganisationNode's mixin)."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

import strawberry

from schema.change_plans.types import MilestoneNode
from schema.client_lists.specs import INCIDENTS, KPIS, MILESTONES, REVIEWS
from schema.feedback.types import IncidentFilter, IncidentNode, ProcessReviewNode
from schema.node_lists import ListArgument
from schema.processes.types import ProcessKpiNode

# The incident lists' filter, here and at the root.
INCIDENT_FILTER = ListArgument(
    IncidentFilter | None, "Keep only incidents matching every given condition; null: all."
)


@strawberry.type
class ClientOrganisationLists:
    """Lists of the client's processes' and plans' children, one per kind."""

    if TYPE_CHECKING:
        db_id: uuid.UUID

    incidents = INCIDENTS.client_field(
        "Incidents of all the client's processes (archived ones included), most "
        "recent first (occurredAt, then id); `filter` keeps given statuses and severities.",
        IncidentNode,
        INCIDENT_FILTER,
    )
    kpis = KPIS.client_field(
        "KPIs of all the client's processes (archived ones included), oldest "
        "first (createdAt, then id).",
        ProcessKpiNode,
    )
    reviews = REVIEWS.client_field(
        "Performance reviews of all the client's processes (archived ones "
        "included), newest first (reviewedOn, then id).",
        ProcessReviewNode,
    )
    milestones = MILESTONES.client_field(
        "Milestones of all the client's change plans, oldest first (createdAt, "
        "then id); ChangePlan.milestones has them in plan order.",
        MilestoneNode,
    )
