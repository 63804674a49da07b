"""The ChangePlan and Milestone nodes."""

from __future__ import annotations

import uuid
from datetime import date
from typing import TYPE_CHECKING, Any

import strawberry

from schema.common_fields import CHANGED, Versioned
from schema.compiled.sql import (
    Expr,
    Related,
    Row,
    Source,
    document_rows,
    sql,
)
from schema.context import Info
from schema.enums import ChangePlanStatus, MilestoneStatus
from schema.links import link
from schema.loaders import loader
from schema.node import Node, node_type, register_node
from schema.node_lists import NodeList
from schema.pagination import Ordering
from tenants import models as m
from tenants.services.change_plans import overdue_by_plan, overdue_condition

if TYPE_CHECKING:
    pass


@strawberry.type(description="Someone the change affects or who must back it.")
class Stakeholder:
    name: str = strawberry.field(description="Who they are.")
    role: str | None = strawberry.field(
        description="Their role at the client, free text; null: not stated."
    )
    impact: str | None = strawberry.field(description="How the change affects them.")


@strawberry.input(description="A stakeholder of a change plan.")
class StakeholderInput:
    name: str = strawberry.field(description="Who they are.")
    role: str | None = strawberry.field(
        default=None, description="Their role at the client, free text; null: not stated."
    )
    impact: str | None = strawberry.field(default=None, description="How the change affects them.")


@strawberry.input(description="Narrow a list of change plans; all given conditions must hold.")
class ChangePlanFilter:
    status: list[ChangePlanStatus] | None = strawberry.field(  # type: ignore[valid-type]
        default=None, description="Any of these statuses."
    )


MILESTONE_ORDERING = Ordering(m.Milestone.position)
# ChangePlan.milestones
PLAN_MILESTONES = NodeList(
    m.Milestone, m.Milestone.plan_id, MILESTONE_ORDERING, "schema.change_plans.types:MilestoneNode"
)


def _overdue(row: Row) -> Any:
    return row.adapt(overdue_condition(date.today()))[0]


def _overdue_milestones(row: Row) -> Source:
    """The plan's overdue milestones by position, then id (as overdue_by_plan reads them)."""
    milestone = Row.of(m.Milestone)
    ms = milestone.entity
    return Source(
        milestone,
        froms=[ms],
        where=[ms.plan_id == row.col("id"), _overdue(milestone)],
        order_by=[ms.position, ms.id],
        model=m.Milestone,
    )


@node_type("Milestone", description="A dated step of a change plan.", stamps=CHANGED)
class MilestoneNode(Node, Versioned):
    plan_id: strawberry.Private[uuid.UUID]
    title: str = strawberry.field(description="What the milestone is.")
    due_on: date | None = strawberry.field(
        description="When it is due; null: no date (then never overdue)."
    )
    completed_on: date | None = strawberry.field(description="Set exactly when COMPLETED.")
    status: MilestoneStatus = strawberry.field(description="Where it stands.")  # type: ignore[valid-type]
    position: int = strawberry.field(description="Order within the plan, ascending.")
    overdue: bool = strawberry.field(
        description="Due before today and neither COMPLETED nor CANCELLED.",
        metadata=sql(Expr(lambda row, _: _overdue(row))),
    )

    FROM_MODEL = {
        "overdue": lambda o: o.overdue_on(date.today()),
    }

    plan = link(
        m.ChangePlan,
        "plan_id",
        "schema.change_plans.types:ChangePlanNode",
        "The plan this milestone belongs to.",
        attr="plan_id",
    )


@node_type(
    "ChangePlan",
    description="Change management for a client (optionally one process): stakeholders, "
    "communication, readiness and milestones.",
    stamps=CHANGED,
)
class ChangePlanNode(Node, Versioned):
    client_id: strawberry.Private[uuid.UUID]
    process_id: strawberry.Private[uuid.UUID | None]
    objective: str = strawberry.field(description="What the change should achieve.")
    stakeholders: list[Stakeholder] = strawberry.field(
        description="People the change affects or who must back it, in the order given.",
        metadata=sql(document_rows("stakeholders", ["name", "role", "impact"])),
    )
    communication_plan: str | None = strawberry.field(
        description="How the change is communicated; null: not written yet."
    )
    readiness: int = strawberry.field(description="How ready the organisation is, 0-100.")
    status: ChangePlanStatus = strawberry.field(description="Where the plan stands.")  # type: ignore[valid-type]
    due_on: date | None = strawberry.field(
        description="When the change should be done; null: no date."
    )

    FROM_MODEL = {
        "stakeholders": lambda o: [
            Stakeholder(name=s["name"], role=s.get("role"), impact=s.get("impact"))
            for s in o.stakeholders
        ],
    }

    client_organisation = link(
        m.ClientOrganisation,
        "client_id",
        "schema.clients.types:ClientOrganisationNode",
        "The client organisation the plan is for.",
        attr="client_id",
    )

    process = link(
        m.AIProcess,
        "process_id",
        "schema.processes.types:AIProcessNode",
        "The process the plan is about, or null for a client-wide plan.",
        attr="process_id",
    )

    milestones = PLAN_MILESTONES.field("The plan's milestones, ordered by position (then id).")

    @strawberry.field(
        description="Milestones due before today that are neither COMPLETED nor CANCELLED, "
        "ordered by position.",
        metadata=sql(Related(lambda row, _: _overdue_milestones(row))),
    )
    async def overdue_milestones(self, info: Info) -> list[MilestoneNode]:
        async def batch(ids: list[uuid.UUID]) -> list[list[m.Milestone]]:
            found = await overdue_by_plan(info.context.db, plan_ids=ids)
            return [found[i] for i in ids]

        rows = await loader(info, "change_plan.overdue", batch).load(self.db_id)
        return [MilestoneNode.from_model(r) for r in rows]


register_node(ChangePlanNode, m.ChangePlan)
register_node(MilestoneNode, m.Milestone)
