"""Record capability assessments; create and update capability dimensions."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import strawberry

from schema.capability.types import CapabilityAssessmentNode, CapabilityDimensionNode
from schema.context import Info
from schema.errors import UserError, atomic
from schema.ids import decode_id
from schema.mutation_support import given, or_default, required
from schema.permissions import actor_of, authorize
from tenants import models as m
from tenants.errors import DomainError
from tenants.services import assessments as service


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
class UpdateCapabilityDimensionInput:
    id: strawberry.ID = strawberry.field(
        description="The global id of the CapabilityDimension to change."
    )
    version: int = strawberry.field(description="The version you last saw.")
    name: str | None = strawberry.field(
        default=strawberry.UNSET, description="The name shown to people."
    )
    description: str | None = strawberry.field(
        default=strawberry.UNSET, description="What the dimension measures; null: not described."
    )
    bar: int | None = strawberry.field(
        default=strawberry.UNSET, description="The lowest acceptable score, 1-5."
    )
    position: int | None = strawberry.field(
        default=strawberry.UNSET, description="Display order, ascending."
    )


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


def _dimension(
    obj: m.CapabilityDimension | None, errors: list[UserError]
) -> CapabilityDimensionPayload:
    node = CapabilityDimensionNode.from_model(obj) if obj is not None and not errors else None
    return CapabilityDimensionPayload(capability_dimension=node, errors=errors)


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
        self,
        info: Info,
        input: Annotated[
            RecordCapabilityAssessmentInput,
            strawberry.argument(
                description=(
                    "What to write; each error names its field within it (e.g. `name`, "
                    "`scores[0].score`)."
                )
            ),
        ],
    ) -> CapabilityAssessmentPayload:
        obj = None
        async with atomic(info) as outcome:
            await authorize(info)
            obj = await service.record_assessment(
                info.context.db,
                actor=actor_of(info.context.principal),
                owner_id=decode_id(input.owner_id, "Owner", "ownerId"),
                assessed_on=input.assessed_on,
                assessor=input.assessor,
                scores=_scores(input.scores),
                notes=input.notes,
                training_recommendations=input.training_recommendations,
            )
        errors = outcome.errors
        node = CapabilityAssessmentNode.from_model(obj) if obj is not None and not errors else None
        return CapabilityAssessmentPayload(capability_assessment=node, errors=errors)

    @strawberry.mutation(description="Add a dimension owners are assessed on. Staff writers.")
    async def create_capability_dimension(
        self,
        info: Info,
        input: Annotated[
            CreateCapabilityDimensionInput,
            strawberry.argument(
                description=(
                    "What to write; each error names its field within it (e.g. `name`, "
                    "`scores[0].score`)."
                )
            ),
        ],
    ) -> CapabilityDimensionPayload:
        obj = None
        async with atomic(info) as outcome:
            await authorize(info)
            obj = await service.create_dimension(
                info.context.db,
                actor=actor_of(info.context.principal),
                key=input.key,
                name=input.name,
                description=input.description,
                bar=or_default(input.bar, service.DEFAULT_BAR),
                position=or_default(input.position, 0),
            )
        return _dimension(obj, outcome.errors)

    @strawberry.mutation(description="Change a dimension (not its key). Staff writers.")
    async def update_capability_dimension(
        self,
        info: Info,
        input: Annotated[
            UpdateCapabilityDimensionInput,
            strawberry.argument(
                description=(
                    "What to write; each error names its field within it (e.g. `name`, "
                    "`scores[0].score`)."
                )
            ),
        ],
    ) -> CapabilityDimensionPayload:
        obj = None
        async with atomic(info) as outcome:
            await authorize(info)
            obj = await service.update_dimension(
                info.context.db,
                actor=actor_of(info.context.principal),
                dimension_id=decode_id(input.id, "CapabilityDimension", "id"),
                expected_version=input.version,
                name=required(input.name, "name"),
                description=given(input.description),
                bar=required(input.bar, "bar"),
                position=required(input.position, "position"),
            )
        return _dimension(obj, outcome.errors)
