"""Root `incidents / kpis / reviews / milestones(clientOrganisationId:)`: tenant-wide lists."""

from __future__ import annotations

import strawberry

from schema.change_plans.types import MilestoneNode
from schema.client_lists.fields import INCIDENT_FILTER
from schema.client_lists.specs import INCIDENTS, KPIS, MILESTONES, REVIEWS
from schema.feedback.types import IncidentNode, ProcessReviewNode
from schema.processes.types import ProcessKpiNode

VISIBLE = " Lists what you can see: the whole tenant for staff, your organisation for a client."


@strawberry.type
class ClientListsQuery:
    incidents = INCIDENTS.root_field(
        "Incidents of every process, most recent first (occurredAt, then id); "
        "`filter` keeps given statuses and severities." + VISIBLE,
        IncidentNode,
        INCIDENT_FILTER,
    )
    kpis = KPIS.root_field(
        "KPIs of every process, oldest first (createdAt, then id)." + VISIBLE, ProcessKpiNode
    )
    reviews = REVIEWS.root_field(
        "Performance reviews of every process, newest first (reviewedOn, then id)." + VISIBLE,
        ProcessReviewNode,
    )
    milestones = MILESTONES.root_field(
        "Milestones of every change plan, oldest first (createdAt, then id)." + VISIBLE,
        MilestoneNode,
    )
