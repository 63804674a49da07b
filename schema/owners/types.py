"""The Owner and OwnershipAssignment nodes."""

from __future__ import annotations

import uuid
from datetime import date
from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from sqlalchemy import Numeric, cast, func, literal, select
from sqlalchemy.orm import join

from schema.common_fields import ARCHIVABLE, CHANGED, Versioned
from schema.compiled.sql import Expr, Related, Row, Source, lateral_row, sql
from schema.context import Info
from schema.enums import DecisionAuthority, RaciRole, Responsibility
from schema.from_model import float_of, items_of
from schema.links import link
from schema.node import Node, node_type, register_node
from schema.node_lists import NodeList
from schema.numbers import to_float
from schema.owners.filters import CURRENT, OWNER_ASSIGNMENTS
from schema.pagination import Ordering
from tenants import models as m

if TYPE_CHECKING:
    from schema.capability.types import CapabilityAssessmentNode


def latest_assessment(owner_id: Any) -> Any:
    """SQL: a one-row LATERAL with the `id` of the owner's latest assessment (by date,
    then creation), as tenants.services.assessments.latest_assessment_by_owner picks it.

    A LATERAL, not a scalar subquery: `id = (SELECT ...)` correlated to the owner
    cannot use the primary key, and PostgreSQL scans the table for every owner.
    """
    a = Row.of(m.CapabilityAssessment).entity
    return (
        select(a.id.label("id"))
        .where(a.owner_id == owner_id)
        .order_by(a.assessed_on.desc(), a.created_at.desc())
        .limit(1)
        .correlate_except(a)
        .lateral()
    )


def _latest_assessment(row: Row) -> Source:
    target = Row.of(m.CapabilityAssessment)
    latest = latest_assessment(row.col("id"))
    return Source(
        target,
        froms=[latest, target.entity],
        where=[target.entity.id == latest.c.id],
        model=m.CapabilityAssessment,
    )


def _capability_gaps(row: Row) -> Source:
    """Scores of the latest assessment below their dimension's bar, in display order."""
    s, d = Row.of(m.CapabilityScore).entity, Row.of(m.CapabilityDimension).entity
    latest = latest_assessment(row.col("id"))
    source = lateral_row(
        s.dimension_id.label("dimension_db_id"),
        s.score.label("score"),
        d.bar.label("bar"),
        d.position.label("position"),
        d.key.label("key"),
        froms=[latest, join(s, d, d.id == s.dimension_id)],
        where=[s.assessment_id == latest.c.id, s.score < d.bar],
    )
    lat = source.row.entity
    return Source(source.row, froms=source.froms, order_by=[lat.c.position, lat.c.key])


def _total_hours(row: Row) -> Any:
    """Hours a week of the owner's assignments in effect today (0 without any)."""
    from tenants.services.assignments import in_effect

    assignment = Row.of(m.OwnershipAssignment)
    a = assignment.entity
    total = (
        select(func.sum(a.hours_per_week))
        .where(a.owner_id == row.col("id"), *assignment.adapt(in_effect(date.today())))
        .correlate_except(a)
        .scalar_subquery()
    )
    return func.coalesce(total, cast(literal(0), Numeric))


def _assignment_current(row: Row) -> Any:
    from tenants.services.assignments import in_effect

    return row.adapt(in_effect(date.today()))[0]


@strawberry.type(description="A dimension on which the owner's latest score is below its bar.")
class CapabilityGap:
    dimension_db_id: strawberry.Private[uuid.UUID]
    score: int = strawberry.field(description="The owner's latest score on the dimension, 1-5.")
    bar: int = strawberry.field(description="The lowest acceptable score.")

    dimension = link(
        m.CapabilityDimension,
        "dimension_db_id",
        "schema.capability.types:CapabilityDimensionNode",
        "The dimension scored below its bar; null if you may not see it.",
        attr="dimension_db_id",
    )


# An owner's assessments, newest first.
ASSESSMENT_ORDERING = Ordering(m.CapabilityAssessment.assessed_on, descending=True)
# Owner.assessments
OWNER_ASSESSMENTS = NodeList(
    m.CapabilityAssessment,
    m.CapabilityAssessment.owner_id,
    ASSESSMENT_ORDERING,
    "schema.capability.types:CapabilityAssessmentNode",
)


@node_type("Owner", description="A person at the client who can own processes.", stamps=ARCHIVABLE)
class OwnerNode(Node, Versioned):
    client_db_id: strawberry.Private[uuid.UUID]
    name: str = strawberry.field(description="The person's name.")
    email: str | None = strawberry.field(description="Their e-mail; null: not given.")
    title: str | None = strawberry.field(description="Their job title; null: not given.")
    business_unit: str | None = strawberry.field(
        description="Their business unit; null: not given."
    )
    decision_authority: DecisionAuthority = strawberry.field(  # type: ignore[valid-type]
        description="What they may decide about the processes they own."
    )
    member_db_id: strawberry.Private[uuid.UUID | None]

    member = link(
        m.Member,
        "member_id",
        "schema.members.types:MemberNode",
        "The login (member) this person signs in as, if linked and visible; a "
        "linked client_owner may record feedback on the processes this owner is assigned to.",
    )

    client_organisation = link(
        m.ClientOrganisation,
        "client_id",
        "schema.clients.types:ClientOrganisationNode",
        "The client organisation the owner works for.",
    )

    assignments = OWNER_ASSIGNMENTS.field(
        "The owner's assignments, history included, by start date (newest first). "
        "Filter `current: true` for those in effect today, `false` for the others.",
        argument=CURRENT,
    )

    @strawberry.field(
        description="Hours a week of the assignments in effect today.",
        metadata=sql(Expr(lambda row, _: _total_hours(row))),
    )
    async def total_hours_per_week(self, info: Info) -> float:
        from schema.owners import resolvers

        return to_float(await resolvers.total_hours(info, self.db_id))

    @strawberry.field(
        description="Dimensions scored below their bar in the latest assessment.",
        metadata=sql(Related(lambda row, _: _capability_gaps(row))),
    )
    async def capability_gaps(self, info: Info) -> list[CapabilityGap]:
        from schema.owners import resolvers

        return await resolvers.capability_gaps(info, self.db_id)

    assessments = OWNER_ASSESSMENTS.field("Capability assessments, newest first.")

    @strawberry.field(
        description="The most recent assessment (by date assessed), if any.",
        metadata=sql(Related(lambda row, _: _latest_assessment(row))),
    )
    async def latest_assessment(
        self, info: Info
    ) -> Annotated[CapabilityAssessmentNode, strawberry.lazy("schema.capability.types")] | None:
        from schema.capability import resolvers

        return await resolvers.latest_assessment(info, self.db_id)


@node_type(
    "OwnershipAssignment",
    description=(
        "An owner's RACI role on a process for a period: in effect from `startsOn` "
        "until the day before `endsOn` (open-ended when null). Ended, never deleted."
    ),
    stamps=CHANGED,
)
class OwnershipAssignmentNode(Node, Versioned):
    owner_db_id: strawberry.Private[uuid.UUID]
    process_db_id: strawberry.Private[uuid.UUID]
    raci_role: RaciRole = strawberry.field(description="The owner's RACI role on the process.")  # type: ignore[valid-type]
    responsibilities: list[Responsibility] = strawberry.field(  # type: ignore[valid-type]
        description="The duties it covers; may be empty."
    )
    hours_per_week: float = strawberry.field(
        description="Hours a week the owner gives it, 0-80 (at most two decimals)."
    )
    starts_on: date = strawberry.field(description="The first day it applies.")
    ends_on: date | None = strawberry.field(
        description="Exclusive: the first day it no longer applies."
    )
    current: bool = strawberry.field(
        description="In effect today.",
        metadata=sql(Expr(lambda row, _: _assignment_current(row))),
    )

    FROM_MODEL = {
        "responsibilities": items_of("responsibilities", m.Responsibility),
        "hours_per_week": float_of("hours_per_week"),
        "current": lambda o: o.in_effect_on(date.today()),
    }

    owner = link(
        m.Owner,
        "owner_id",
        "schema.owners.types:OwnerNode",
        "The owner assigned; null if you may not see them.",
    )

    process = link(
        m.AIProcess,
        "process_id",
        "schema.processes.types:AIProcessNode",
        "The process owned; null if you may not see it.",
    )


register_node(OwnerNode, m.Owner)
register_node(OwnershipAssignmentNode, m.OwnershipAssignment)
