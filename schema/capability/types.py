"""The CapabilityDimension and CapabilityAssessment nodes."""

from __future__ import annotations

import uuid
from datetime import date
from typing import TYPE_CHECKING

import strawberry
from sqlalchemy.orm import join

from schema.common_fields import CHANGED, CREATED, Versioned
from schema.compiled.sql import Related, Row, Source, lateral_row, sql
from schema.context import Info
from schema.links import link
from schema.node import Node, node_type, register_node
from tenants import models as m

if TYPE_CHECKING:
    pass


@node_type(
    "CapabilityDimension",
    description="A scored skill (tenant data); a score below `bar` is a capability gap.",
    stamps=CHANGED,
)
class CapabilityDimensionNode(Node, Versioned):
    key: str = strawberry.field(description="Stable machine name, fixed at creation.")
    name: str = strawberry.field(description="The name shown to people.")
    description: str | None = strawberry.field(
        description="What the dimension measures; null: not described."
    )
    bar: int = strawberry.field(description="The lowest acceptable score, 1-5.")
    position: int = strawberry.field(description="Display order, ascending.")


def _scores(row: Row) -> Source:
    """The assessment's scores in dimension display order (position, then key)."""
    s, d = Row.of(m.CapabilityScore).entity, Row.of(m.CapabilityDimension).entity
    source = lateral_row(
        s.dimension_id.label("dimension_db_id"),
        s.score.label("score"),
        d.position.label("position"),
        d.key.label("key"),
        froms=[join(s, d, d.id == s.dimension_id)],
        where=[s.assessment_id == row.col("id")],
    )
    lat = source.row.entity
    return Source(source.row, froms=source.froms, order_by=[lat.c.position, lat.c.key])


@strawberry.type(description="One dimension's score (1-5) within an assessment.")
class CapabilityScore:
    dimension_db_id: strawberry.Private[uuid.UUID]
    score: int = strawberry.field(description="1 (none) to 5 (expert).")

    dimension = link(
        m.CapabilityDimension,
        "dimension_db_id",
        "schema.capability.types:CapabilityDimensionNode",
        "The dimension scored; null if you may not see it.",
        attr="dimension_db_id",
    )


@node_type(
    "CapabilityAssessment",
    description="An owner's capability on one date: a score per dimension assessed.",
    stamps=CREATED,
)
class CapabilityAssessmentNode(Node, Versioned):
    owner_db_id: strawberry.Private[uuid.UUID]
    assessed_on: date = strawberry.field(description="The date of the assessment.")
    assessor: str = strawberry.field(description="Who assessed (a name, free text).")
    notes: str | None = strawberry.field(description="The assessor's notes; null: none.")
    training_recommendations: str | None = strawberry.field(
        description="Training the assessor recommends; null: none."
    )

    @strawberry.field(
        description="Scores in dimension display order.",
        metadata=sql(Related(lambda row, _: _scores(row))),
    )
    async def scores(self, info: Info) -> list[CapabilityScore]:
        from schema.capability import resolvers

        return await resolvers.scores(info, self.db_id)

    owner = link(
        m.Owner,
        "owner_id",
        "schema.owners.types:OwnerNode",
        "The owner assessed.",
    )


register_node(CapabilityDimensionNode, m.CapabilityDimension)
register_node(CapabilityAssessmentNode, m.CapabilityAssessment)
