"""Assign owners to processes, change and end assignments, hand over accountability."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

import strawberry

from schema.context import Info
from schema.enums import RaciRole, Responsibility
from schema.errors import UserError, atomic
from schema.ids import decode_id
from schema.mutation_support import given, or_default, required
from schema.numbers import to_decimal
from schema.owners.types import OwnershipAssignmentNode
from schema.permissions import actor_of, authorize
from tenants import models as m
from tenants.services import assignments as service


@strawberry.input(
    description=(
        "A process has at most one open accountable assignment: a second one is a "
        "CONFLICT on `raciRole` (end the first, or use handOverAccountability)."
    )
)
class AssignOwnerInput:
    process_id: strawberry.ID = strawberry.field(description="The global id of an AIProcess.")
    owner_id: strawberry.ID = strawberry.field(description="An owner of the same client.")
    raci_role: RaciRole = strawberry.field(description="The owner's RACI role on the process.")  # type: ignore[valid-type]
    responsibilities: list[Responsibility] = strawberry.field(  # type: ignore[valid-type]
        description="The duties it covers; may be empty.",
        default_factory=list,
    )
    hours_per_week: float = strawberry.field(description="0-80, two decimals.")
    starts_on: date | None = strawberry.field(default=None, description="Default today.")


@strawberry.input(description="Omitted fields are unchanged; an ended assignment cannot change.")
class UpdateAssignmentInput:
    id: strawberry.ID = strawberry.field(
        description="The global id of the OwnershipAssignment to change."
    )
    version: int = strawberry.field(description="The version you last saw.")
    responsibilities: list[Responsibility] | None = strawberry.field(  # type: ignore[valid-type]
        default=strawberry.UNSET, description="The duties it covers; may be empty."
    )
    hours_per_week: float | None = strawberry.field(
        default=strawberry.UNSET,
        description="Hours a week the owner gives it, 0-80 (at most two decimals).",
    )


@strawberry.input(description="The assignment stays, as history, with its end date set.")
class EndAssignmentInput:
    id: strawberry.ID = strawberry.field(
        description="The global id of the OwnershipAssignment to end."
    )
    version: int = strawberry.field(
        description="The version you last saw; a stale one is a CONFLICT."
    )
    ends_on: date | None = strawberry.field(
        default=None,
        description=(
            "Exclusive, not before the start; default today. Equal to the start cancels it."
        ),
    )


@strawberry.input(
    description=(
        "End the process's open accountable assignment on `on` (kept as history) and make "
        "`ownerId` accountable from that day."
    )
)
class HandOverAccountabilityInput:
    process_id: strawberry.ID = strawberry.field(description="The global id of an AIProcess.")
    owner_id: strawberry.ID = strawberry.field(description="The new accountable owner.")
    on: date | None = strawberry.field(default=None, description="Default today.")
    responsibilities: list[Responsibility] = strawberry.field(  # type: ignore[valid-type]
        description="The duties it covers; may be empty.",
        default_factory=list,
    )
    hours_per_week: float = strawberry.field(description="0-80, two decimals.")


@strawberry.type(
    description=(
        "The result of assignOwner, updateAssignment, endAssignment, "
        "handOverAccountability: the object written, or `errors`."
    )
)
class OwnershipAssignmentPayload:
    ownership_assignment: OwnershipAssignmentNode | None = strawberry.field(
        description="The OwnershipAssignment as written; null when there are errors."
    )
    errors: list[UserError] = strawberry.field(
        description=(
            "What went wrong, each naming its input field; empty on success. With "
            "errors nothing was written."
        )
    )


def _payload(
    obj: m.OwnershipAssignment | None, errors: list[UserError]
) -> OwnershipAssignmentPayload:
    node = OwnershipAssignmentNode.from_model(obj) if obj is not None and not errors else None
    return OwnershipAssignmentPayload(ownership_assignment=node, errors=errors)


@strawberry.type
class AssignmentMutation:
    @strawberry.mutation(
        description=("Give an owner a RACI role on a process of the same client. Staff writers.")
    )
    async def assign_owner(
        self,
        info: Info,
        input: Annotated[
            AssignOwnerInput,
            strawberry.argument(
                description=(
                    "What to write; each error names its field within it (e.g. `name`, "
                    "`scores[0].score`)."
                )
            ),
        ],
    ) -> OwnershipAssignmentPayload:
        obj = None
        async with atomic(info) as outcome:
            await authorize(info)
            obj = await service.assign_owner(
                info.context.db,
                actor=actor_of(info.context.principal),
                process_id=decode_id(input.process_id, "AIProcess", "processId"),
                owner_id=decode_id(input.owner_id, "Owner", "ownerId"),
                raci_role=input.raci_role,
                responsibilities=list(input.responsibilities),
                hours_per_week=to_decimal(input.hours_per_week),
                starts_on=or_default(input.starts_on, date.today()),
            )
        return _payload(obj, outcome.errors)

    @strawberry.mutation(
        description="Change an open assignment's responsibilities or hours. Staff writers."
    )
    async def update_assignment(
        self,
        info: Info,
        input: Annotated[
            UpdateAssignmentInput,
            strawberry.argument(
                description=(
                    "What to write; each error names its field within it (e.g. `name`, "
                    "`scores[0].score`)."
                )
            ),
        ],
    ) -> OwnershipAssignmentPayload:
        obj = None
        async with atomic(info) as outcome:
            await authorize(info)
            obj = await service.update_assignment(
                info.context.db,
                actor=actor_of(info.context.principal),
                assignment_id=decode_id(input.id, "OwnershipAssignment", "id"),
                expected_version=input.version,
                responsibilities=_responsibilities(input.responsibilities),
                hours_per_week=required(to_decimal(input.hours_per_week), "hoursPerWeek"),
            )
        return _payload(obj, outcome.errors)

    @strawberry.mutation(description="End an assignment; it stays as history. Staff writers.")
    async def end_assignment(
        self,
        info: Info,
        input: Annotated[
            EndAssignmentInput,
            strawberry.argument(
                description=(
                    "What to write; each error names its field within it (e.g. `name`, "
                    "`scores[0].score`)."
                )
            ),
        ],
    ) -> OwnershipAssignmentPayload:
        obj = None
        async with atomic(info) as outcome:
            await authorize(info)
            obj = await service.end_assignment(
                info.context.db,
                actor=actor_of(info.context.principal),
                assignment_id=decode_id(input.id, "OwnershipAssignment", "id"),
                expected_version=input.version,
                ends_on=or_default(input.ends_on, date.today()),
            )
        return _payload(obj, outcome.errors)

    @strawberry.mutation(
        description=("Move a process's accountability to another owner in one step. Staff writers.")
    )
    async def hand_over_accountability(
        self,
        info: Info,
        input: Annotated[
            HandOverAccountabilityInput,
            strawberry.argument(
                description=(
                    "What to write; each error names its field within it (e.g. `name`, "
                    "`scores[0].score`)."
                )
            ),
        ],
    ) -> OwnershipAssignmentPayload:
        obj = None
        async with atomic(info) as outcome:
            await authorize(info)
            obj = await service.hand_over_accountability(
                info.context.db,
                actor=actor_of(info.context.principal),
                process_id=decode_id(input.process_id, "AIProcess", "processId"),
                to_owner_id=decode_id(input.owner_id, "Owner", "ownerId"),
                on=or_default(input.on, date.today()),
                responsibilities=list(input.responsibilities),
                hours_per_week=to_decimal(input.hours_per_week),
            )
        return _payload(obj, outcome.errors)


def _responsibilities(value: list[m.Responsibility] | None) -> Any:
    """Omitted: unchanged; null: none."""
    raw = given(value)
    return [] if raw is None else raw
