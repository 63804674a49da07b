"""Assign owners to processes, change and end assignments, hand over accountability."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import strawberry

from schema.context import Info
from schema.enums import RaciRole, Responsibility
from schema.mutation_support import (
    OF_PROCESS,
    WRITE_INPUT,
    Ref,
    new_row,
    row_at_version,
    row_input,
    run_write,
    updating,
)
from schema.numbers import to_decimal
from schema.owners.types import OwnershipAssignmentNode
from schema.payloads import Payload, written_payload
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
@updating(
    AssignOwnerInput,
    "OwnershipAssignment",
    exclude=["process_id", "owner_id", "raci_role", "starts_on"],
    described={"hours_per_week": "Hours a week the owner gives it, 0-80 (at most two decimals)."},
)
class UpdateAssignmentInput:
    pass


@strawberry.input(description="The assignment stays, as history, with its end date set.")
@row_input("OwnershipAssignment", "end")
class EndAssignmentInput:
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


@written_payload(
    "ownership_assignment",
    OwnershipAssignmentNode,
    "assignOwner",
    "updateAssignment",
    "endAssignment",
    "handOverAccountability",
)
class OwnershipAssignmentPayload(Payload):
    pass


_ASSIGNMENT = Ref("OwnershipAssignment", "assignment_id")
# The Float hours as the service's Decimal.
_HOURS = {"hours_per_week": to_decimal}
_OF_OWNER = Ref("Owner", "owner_id", "owner_id")
# A hand-over names the owner accountability passes to.
_TO_OWNER = Ref("Owner", "to_owner_id", "owner_id")


@strawberry.type
class AssignmentMutation:
    @strawberry.mutation(
        description=("Give an owner a RACI role on a process of the same client. Staff writers.")
    )
    async def assign_owner(
        self, info: Info, input: Annotated[AssignOwnerInput, WRITE_INPUT]
    ) -> OwnershipAssignmentPayload:
        return await run_write(
            info,
            OwnershipAssignmentPayload.of,
            new_row(service.assign_owner, input, OF_PROCESS, _OF_OWNER, convert=_HOURS),
        )

    @strawberry.mutation(
        description="Change an open assignment's responsibilities or hours. Staff writers."
    )
    async def update_assignment(
        self, info: Info, input: Annotated[UpdateAssignmentInput, WRITE_INPUT]
    ) -> OwnershipAssignmentPayload:
        return await run_write(
            info,
            OwnershipAssignmentPayload.of,
            row_at_version(service.update_assignment, input, _ASSIGNMENT, convert=_HOURS),
        )

    @strawberry.mutation(description="End an assignment; it stays as history. Staff writers.")
    async def end_assignment(
        self, info: Info, input: Annotated[EndAssignmentInput, WRITE_INPUT]
    ) -> OwnershipAssignmentPayload:
        return await run_write(
            info,
            OwnershipAssignmentPayload.of,
            row_at_version(service.end_assignment, input, _ASSIGNMENT),
        )

    @strawberry.mutation(
        description=("Move a process's accountability to another owner in one step. Staff writers.")
    )
    async def hand_over_accountability(
        self, info: Info, input: Annotated[HandOverAccountabilityInput, WRITE_INPUT]
    ) -> OwnershipAssignmentPayload:
        return await run_write(
            info,
            OwnershipAssignmentPayload.of,
            new_row(service.hand_over_accountability, input, OF_PROCESS, _TO_OWNER, convert=_HOURS),
        )
