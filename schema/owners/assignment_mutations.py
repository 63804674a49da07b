"""Assign owners to processes, change and end assignments, hand over accountability."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession

from schema.context import Info
from schema.enums import RaciRole, Responsibility
from schema.errors import UserError
from schema.ids import decode_id
from schema.mutation_support import WRITE_INPUT, input_values, payload_of, run_write, updating
from schema.numbers import to_decimal
from schema.owners.types import OwnershipAssignmentNode
from tenants import models as m
from tenants.services import assignments as service
from tenants.services.audit import Actor


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
@updating(
    AssignOwnerInput,
    exclude=["process_id", "owner_id", "raci_role", "starts_on"],
    described={"hours_per_week": "Hours a week the owner gives it, 0-80 (at most two decimals)."},
)
class UpdateAssignmentInput:
    id: strawberry.ID = strawberry.field(
        description="The global id of the OwnershipAssignment to change."
    )
    version: int = strawberry.field(description="The version you last saw.")


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


_payload = payload_of(
    OwnershipAssignmentPayload, "ownership_assignment", OwnershipAssignmentNode.from_model
)
# The Float hours as the service's Decimal.
_HOURS = {"hours_per_week": to_decimal}


@strawberry.type
class AssignmentMutation:
    @strawberry.mutation(
        description=("Give an owner a RACI role on a process of the same client. Staff writers.")
    )
    async def assign_owner(
        self, info: Info, input: Annotated[AssignOwnerInput, WRITE_INPUT]
    ) -> OwnershipAssignmentPayload:
        async def write(db: AsyncSession, actor: Actor) -> m.OwnershipAssignment:
            process_id = decode_id(input.process_id, "AIProcess", "processId")
            owner_id = decode_id(input.owner_id, "Owner", "ownerId")
            return await service.assign_owner(
                db,
                actor=actor,
                process_id=process_id,
                owner_id=owner_id,
                **input_values(input, skip=["process_id", "owner_id"], convert=_HOURS),
            )

        return await run_write(info, _payload, write)

    @strawberry.mutation(
        description="Change an open assignment's responsibilities or hours. Staff writers."
    )
    async def update_assignment(
        self, info: Info, input: Annotated[UpdateAssignmentInput, WRITE_INPUT]
    ) -> OwnershipAssignmentPayload:
        return await run_write(
            info,
            _payload,
            lambda db, actor: service.update_assignment(
                db,
                actor=actor,
                assignment_id=decode_id(input.id, "OwnershipAssignment", "id"),
                expected_version=input.version,
                **input_values(input, convert=_HOURS),
            ),
        )

    @strawberry.mutation(description="End an assignment; it stays as history. Staff writers.")
    async def end_assignment(
        self, info: Info, input: Annotated[EndAssignmentInput, WRITE_INPUT]
    ) -> OwnershipAssignmentPayload:
        return await run_write(
            info,
            _payload,
            lambda db, actor: service.end_assignment(
                db,
                actor=actor,
                assignment_id=decode_id(input.id, "OwnershipAssignment", "id"),
                expected_version=input.version,
                ends_on=input.ends_on,
            ),
        )

    @strawberry.mutation(
        description=("Move a process's accountability to another owner in one step. Staff writers.")
    )
    async def hand_over_accountability(
        self, info: Info, input: Annotated[HandOverAccountabilityInput, WRITE_INPUT]
    ) -> OwnershipAssignmentPayload:
        async def write(db: AsyncSession, actor: Actor) -> m.OwnershipAssignment:
            process_id = decode_id(input.process_id, "AIProcess", "processId")
            to_owner_id = decode_id(input.owner_id, "Owner", "ownerId")
            return await service.hand_over_accountability(
                db,
                actor=actor,
                process_id=process_id,
                to_owner_id=to_owner_id,
                **input_values(input, skip=["process_id", "owner_id"], convert=_HOURS),
            )

        return await run_write(info, _payload, write)
