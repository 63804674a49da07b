"""Assign owners to processes, change and end assignments, hand over accountability."""

from __future__ import annotations

from datetime import date
from typing import Any

import strawberry

from schema.enums import RaciRole, Responsibility
from schema.input_fields import global_id_of, optional
from schema.mutation_support import row_input, updating, write_mutation
from schema.numbers import to_decimal
from schema.owners.types import OwnershipAssignmentNode
from schema.payloads import Payload, written_payload
from schema.row_writes import OF_PROCESS, Ref, new_row, row_at_version
from tenants.services import assignments as service


# The terms of an assignment, the same whether assigning an owner or handing over to one.
def _duties() -> Any:
    return strawberry.field(description="The duties it covers; may be empty.", default_factory=list)


def _hours() -> Any:
    return strawberry.field(description="0-80, two decimals.")


@strawberry.input(
    description=(
        "A process has at most one open accountable assignment: a second one is a "
        "CONFLICT on `raciRole` (end the first, or use handOverAccountability)."
    )
)
class AssignOwnerInput:
    process_id: strawberry.ID = global_id_of("AIProcess")
    owner_id: strawberry.ID = strawberry.field(description="An owner of the same client.")
    raci_role: RaciRole = strawberry.field(description="The owner's RACI role on the process.")  # type: ignore[valid-type]
    responsibilities: list[Responsibility] = _duties()  # type: ignore[valid-type]
    hours_per_week: float = _hours()
    starts_on: date | None = optional("Default today.")


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
    ends_on: date | None = optional(
        "Exclusive, not before the start; default today. Equal to the start cancels it."
    )


@strawberry.input(
    description=(
        "End the process's open accountable assignment on `on` (kept as history) and make "
        "`ownerId` accountable from that day."
    )
)
class HandOverAccountabilityInput:
    process_id: strawberry.ID = global_id_of("AIProcess")
    owner_id: strawberry.ID = strawberry.field(description="The new accountable owner.")
    on: date | None = optional("Default today.")
    responsibilities: list[Responsibility] = _duties()  # type: ignore[valid-type]
    hours_per_week: float = _hours()


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
    assign_owner = write_mutation(
        AssignOwnerInput,
        OwnershipAssignmentPayload,
        new_row(service.assign_owner, OF_PROCESS, _OF_OWNER, convert=_HOURS),
        description="Give an owner a RACI role on a process of the same client. Staff writers.",
    )
    update_assignment = write_mutation(
        UpdateAssignmentInput,
        OwnershipAssignmentPayload,
        row_at_version(service.update_assignment, _ASSIGNMENT, convert=_HOURS),
        description="Change an open assignment's responsibilities or hours. Staff writers.",
    )
    end_assignment = write_mutation(
        EndAssignmentInput,
        OwnershipAssignmentPayload,
        row_at_version(service.end_assignment, _ASSIGNMENT),
        description="End an assignment; it stays as history. Staff writers.",
    )
    hand_over_accountability = write_mutation(
        HandOverAccountabilityInput,
        OwnershipAssignmentPayload,
        new_row(service.hand_over_accountability, OF_PROCESS, _TO_OWNER, convert=_HOURS),
        description="Move a process's accountability to another owner in one step. Staff writers.",
    )
