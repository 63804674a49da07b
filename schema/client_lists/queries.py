"""Root `incidents / kpis / reviews / milestones(clientOrganisationId:)`: tenant-wide lists."""

from __future__ import annotations

from typing import Annotated

import strawberry

from schema.change_plans.types import MilestoneNode
from schema.client_lists.specs import INCIDENTS, KPIS, MILESTONES, REVIEWS, incident_where
from schema.compiled.sql import sql
from schema.context import Info
from schema.feedback.resolvers import incident_conditions
from schema.feedback.types import IncidentFilter, IncidentNode, ProcessReviewNode
from schema.pagination import After, Connection, First
from schema.processes.types import ProcessKpiNode

CLIENT_ARGUMENT = strawberry.argument(
    description="Only this client organisation's (a ClientOrganisation id); null: every "
    "client you can see (a client principal sees only its own organisation's)."
)
VISIBLE = " Lists what you can see: the whole tenant for staff, your organisation for a client."


@strawberry.type
class ClientListsQuery:
    @strawberry.field(
        description="Incidents of every process, most recent first (occurredAt, then id); "
        "`filter` keeps given statuses and severities." + VISIBLE,
        metadata=sql(INCIDENTS.root_page(incident_where)),
    )
    async def incidents(
        self,
        info: Info,
        client_organisation_id: Annotated[strawberry.ID | None, CLIENT_ARGUMENT] = None,
        first: First = 20,
        after: After = None,
        filter: Annotated[
            IncidentFilter | None,
            strawberry.argument(
                description="Keep only incidents matching every given condition; null: all."
            ),
        ] = None,
    ) -> Connection[IncidentNode]:
        where, _ = incident_conditions(filter)
        return await INCIDENTS.across_tenant(
            info, client_organisation_id, first, after, IncidentNode.from_model, where
        )

    @strawberry.field(
        description="KPIs of every process, oldest first (createdAt, then id)." + VISIBLE,
        metadata=sql(KPIS.root_page()),
    )
    async def kpis(
        self,
        info: Info,
        client_organisation_id: Annotated[strawberry.ID | None, CLIENT_ARGUMENT] = None,
        first: First = 20,
        after: After = None,
    ) -> Connection[ProcessKpiNode]:
        return await KPIS.across_tenant(
            info, client_organisation_id, first, after, ProcessKpiNode.from_model
        )

    @strawberry.field(
        description="Performance reviews of every process, newest first (reviewedOn, then "
        "id)." + VISIBLE,
        metadata=sql(REVIEWS.root_page()),
    )
    async def reviews(
        self,
        info: Info,
        client_organisation_id: Annotated[strawberry.ID | None, CLIENT_ARGUMENT] = None,
        first: First = 20,
        after: After = None,
    ) -> Connection[ProcessReviewNode]:
        return await REVIEWS.across_tenant(
            info, client_organisation_id, first, after, ProcessReviewNode.from_model
        )

    @strawberry.field(
        description="Milestones of every change plan, oldest first (createdAt, then id)." + VISIBLE,
        metadata=sql(MILESTONES.root_page()),
    )
    async def milestones(
        self,
        info: Info,
        client_organisation_id: Annotated[strawberry.ID | None, CLIENT_ARGUMENT] = None,
        first: First = 20,
        after: After = None,
    ) -> Connection[MilestoneNode]:
        return await MILESTONES.across_tenant(
            info, client_organisation_id, first, after, MilestoneNode.from_model
        )
