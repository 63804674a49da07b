"""Record capability assessments; create and update capability dimensions."""

from __future__ import annotations

from datetime import date

import strawberry

from schema.capability.types import CapabilityAssessmentNode, CapabilityDimensionNode
from schema.ids import decode_id
from schema.input_fields import global_id_of, optional
from schema.mutation_support import updating, write_mutation
from schema.payloads import Payload, written_payload
from schema.row_writes import Ref, new_row, row_at_version
from tenants.errors import DomainError
from tenants.services import assessments as service


@strawberry.input(description="One dimension's score within an assessment.")
class CapabilityScoreInput:
    dimension_id: strawberry.ID = global_id_of("CapabilityDimension")
    score: int = strawberry.field(description="1 (none) to 5 (expert).")


@strawberry.input(description="A capability assessment of an owner on one date.")
class RecordCapabilityAssessmentInput:
    owner_id: strawberry.ID = global_id_of("Owner")
    assessed_on: date = strawberry.field(description="Not in the future.")
    assessor: str = strawberry.field(description="Who assessed (a name, free text).")
    scores: list[CapabilityScoreInput] = strawberry.field(
        description="At least one; each dimension at most once."
    )
    notes: str | None = optional("The assessor's notes; null: none.")
    training_recommendations: str | None = optional("Training the assessor recommends; null: none.")


@strawberry.input(description="A new dimension owners are assessed on.")
class CreateCapabilityDimensionInput:
    key: str = strawberry.field(description="Lowercase letters, digits and underscores; unique.")
    name: str = strawberry.field(description="The name shown to people.")
    description: str | None = optional("What the dimension measures; null: not described.")
    bar: int | None = optional("1-5, default 3.")
    position: int | None = optional("0-1000, default 0.")


@strawberry.input(description="Omitted fields are unchanged; the key cannot change.")
@updating(
    CreateCapabilityDimensionInput,
    "CapabilityDimension",
    exclude=["key"],
    described={
        "bar": "The lowest acceptable score, 1-5.",
        "position": "Display order, ascending.",
    },
)
class UpdateCapabilityDimensionInput:
    pass


@written_payload("capability_assessment", CapabilityAssessmentNode, "recordCapabilityAssessment")
class CapabilityAssessmentPayload(Payload):
    pass


@written_payload(
    "capability_dimension",
    CapabilityDimensionNode,
    "createCapabilityDimension",
    "updateCapabilityDimension",
)
class CapabilityDimensionPayload(Payload):
    pass


_OF_OWNER = Ref("Owner", "owner_id", "owner_id")
_DIMENSION = Ref("CapabilityDimension", "dimension_id")


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
    record_capability_assessment = write_mutation(
        RecordCapabilityAssessmentInput,
        CapabilityAssessmentPayload,
        new_row(service.record_assessment, _OF_OWNER, convert={"scores": _scores}),
        description="Record an owner's capability scores on a date. Staff writers.",
    )
    create_capability_dimension = write_mutation(
        CreateCapabilityDimensionInput,
        CapabilityDimensionPayload,
        new_row(service.create_dimension),
        description="Add a dimension owners are assessed on. Staff writers.",
    )
    update_capability_dimension = write_mutation(
        UpdateCapabilityDimensionInput,
        CapabilityDimensionPayload,
        row_at_version(service.update_dimension, _DIMENSION),
        description="Change a dimension (not its key). Staff writers.",
    )
