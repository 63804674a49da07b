"""`ClientOrganisation.incidents / kpis / reviews / milestones` (ClientOrganisationNode's mixin)."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Annotated

import strawberry

from schema.change_plans.types import MilestoneNode
from schema.client_lists.specs import INCIDENTS, KPIS, MILESTONES, REVIEWS, incident_where
from schema.compiled.sql import sql
from schema.context import Info
from schema.feedback.resolvers import incident_conditions
from schema.feedback.types import IncidentFilter, IncidentNode, ProcessReviewNode
from schema.pagination import After, Connection, First
from schema.processes.types import ProcessKpiNode


@strawberry.type
class ClientOrganisationLists:
    """Lists of the client's processes' and plans' children, one per kind."""

    if TYPE_CHECKING:
        db_id: uuid.UUID

    @strawberry.field(
        description="Incidents of all the client's processes (archived ones included), most "
        "recent first (occurredAt, then id); `filter` keeps given statuses and severities.",
        metadata=sql(INCIDENTS.client_page(incident_where)),
    )
    async def incidents(
        self,
        info: Info,
        first: First = 20,
        after: After = None,
        filter: Annotated[
            IncidentFilter | None,
            strawberry.argument(
                description="Keep only incidents matching every given condition; null: all."
            ),
        ] = None,
    ) -> Connection[IncidentNode]:
        where, key = incident_conditions(filter)
        return await INCIDENTS.for_client(
            info, self.db_id, first, after, IncidentNode.from_model, where, key
        )

    @strawberry.field(
        description="KPIs of all the client's processes (archived ones included), oldest "
        "first (createdAt, then id).",
        metadata=sql(KPIS.client_page()),
    )
    async def kpis(
        self, info: Info, first: First = 20, after: After = None
    ) -> Connection[ProcessKpiNode]:
        return await KPIS.for_client(info, self.db_id, first, after, ProcessKpiNode.from_model)

    @strawberry.field(
        description="Performance reviews of all the client's processes (archived ones "
        "included), newest first (reviewedOn, then id).",
        metadata=sql(REVIEWS.client_page()),
    )
    async def reviews(
        self, info: Info, first: First = 20, after: After = None
    ) -> Connection[ProcessReviewNode]:
        return await REVIEWS.for_client(
            info, self.db_id, first, after, ProcessReviewNode.from_model
        )

    @strawberry.field(
        description="Milestones of all the client's change plans, oldest first (createdAt, "
        "then id); ChangePlan.milestones has them in plan order.",
        metadata=sql(MILESTONES.client_page()),
    )
    async def milestones(
        self, info: Info, first: First = 20, after: After = None
    ) -> Connection[MilestoneNode]:
        return await MILESTONES.for_client(info, self.db_id, first, after, MilestoneNode.from_model)
