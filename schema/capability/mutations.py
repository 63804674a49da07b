"""Record capability assessments; create and update capability dimensions."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession

from schema.capability.types import CapabilityAssessmentNode, CapabilityDimensionNode
from schema.context import Info
from schema.errors import UserError
from schema.ids import decode_id
from schema.mutation_support import WRITE_INPUT, input_values, payload_of, run_write, updating
from tenants import models as m
from tenants.errors import DomainError
from tenants.services import assessments as service
from tenants.services.audit import Actor


@strawberry.input(description="One dimension's score within an assessment.")
class CapabilityScoreInput:
    dimension_id: strawberry.ID = strawberry.field(
        description="The global id of a CapabilityDimension."
    )
    score: int = strawberry.field(description="1 (none) to 5 (expert).")


@strawberry.input(description="A capability assessment of an owner on one date.")
class RecordCapabilityAssessmentInput:
    owner_id: strawberry.ID = strawberry.field(description="The global id of an Owner.")
    assessed_on: date = strawberry.field(description="Not in the future.")
    assessor: str = strawberry.field(description="Who assessed (a name, free text).")
    scores: list[CapabilityScoreInput] = strawberry.field(
        description="At least one; each dimension at most once."
    )
    notes: str | None = strawberry.field(
        default=None, description="The assessor's notes; null: none."
    )
    training_recommendations: str | None = strawberry.field(
        default=None, description="Training the assessor recommends; null: none."
    )


@strawberry.input(description="A new dimension owners are assessed on.")
class CreateCapabilityDimensionInput:
    key: str = strawberry.field(description="Lowercase letters, digits and underscores; unique.")
    name: str = strawberry.field(description="The name shown to people.")
    description: str | None = strawberry.field(
        default=None, description="What the dimension measures; null: not described."
    )
    bar: int | None = strawberry.field(default=None, description="1-5, default 3.")
    position: int | None = strawberry.field(default=None, description="0-1000, default 0.")


@strawberry.input(description="Omitted fields are unchanged; the key cannot change.")
@updating(
    CreateCapabilityDimensionInput,
    exclude=["key"],
    described={
        "bar": "The lowest acceptable score, 1-5.",
        "position": "Display order, ascending.",
    },
)
class UpdateCapabilityDimensionInput:
    id: strawberry.ID = strawberry.field(
        description="The global id of the CapabilityDimension to change."
    )
    version: int = strawberry.field(description="The version you last saw.")


@strawberry.type(
    description=("The result of recordCapabilityAssessment: the object written, or `errors`.")
)
class CapabilityAssessmentPayload:
    capability_assessment: CapabilityAssessmentNode | None = strawberry.field(
        description="The CapabilityAssessment as written; null when there are errors."
    )
    errors: list[UserError] = strawberry.field(
        description=(
            "What went wrong, each naming its input field; empty on success. With "
            "errors nothing was written."
        )
    )


@strawberry.type(
    description=(
        "The result of createCapabilityDimension, updateCapabilityDimension: "
        "the object written, or `errors`."
    )
)
class CapabilityDimensionPayload:
    capability_dimension: CapabilityDimensionNode | None = strawberry.field(
        description="The CapabilityDimension as written; null when there are errors."
    )
    errors: list[UserError] = strawberry.field(
        description=(
            "What went wrong, each naming its input field; empty on success. With "
            "errors nothing was written."
        )
    )


_assessment = payload_of(
    CapabilityAssessmentPayload, "capability_assessment", CapabilityAssessmentNode.from_model
)
_dimension = payload_of(
    CapabilityDimensionPayload, "capability_dimension", CapabilityDimensionNode.from_model
)


def _scores(values: list[CapabilityScoreInput]) -> list[service.ScoreInput]:
    errors = DomainError()
    out = []
    for i, s in enumerate(values):
        try:
            dimension_id = decode_id(
                s.dimension_id, "CapabilityDimension", f"scores[{i}].dimensionId"
            )
        except DomainError as exc:
            errors.errors.extend(exc.errors)
            continue
        out.append(service.ScoreInput(dimension_id=dimension_id, score=s.score))
    if errors.errors:
        raise errors
    return out


@strawberry.type
class CapabilityMutation:
    @strawberry.mutation(
        description="Record an owner's capability scores on a date. Staff writers."
    )
    async def record_capability_assessment(
        self, info: Info, input: Annotated[RecordCapabilityAssessmentInput, WRITE_INPUT]
    ) -> CapabilityAssessmentPayload:
        async def write(db: AsyncSession, actor: Actor) -> m.CapabilityAssessment:
            owner_id = decode_id(input.owner_id, "Owner", "ownerId")
            return await service.record_assessment(
                db,
                actor=actor,
                owner_id=owner_id,
                assessed_on=input.assessed_on,
                assessor=input.assessor,
                scores=_scores(input.scores),
                notes=input.notes,
                training_recommendations=input.training_recommendations,
            )

        return await run_write(info, _assessment, write)

    @strawberry.mutation(description="Add a dimension owners are assessed on. Staff writers.")
    async def create_capability_dimension(
        self, info: Info, input: Annotated[CreateCapabilityDimensionInput, WRITE_INPUT]
    ) -> CapabilityDimensionPayload:
        return await run_write(
            info,
            _dimension,
            lambda db, actor: service.create_dimension(db, actor=actor, **input_values(input)),
        )

    @strawberry.mutation(description="Change a dimension (not its key). Staff writers.")
    async def update_capability_dimension(
        self, info: Info, input: Annotated[UpdateCapabilityDimensionInput, WRITE_INPUT]
    ) -> CapabilityDimensionPayload:
        return await run_write(
            info,
            _dimension,
            lambda db, actor: service.update_dimension(
                db,
                actor=actor,
                dimension_id=decode_id(input.id, "CapabilityDimension", "id"),
                expected_version=input.version,
                **input_values(input),
            ),
        )
