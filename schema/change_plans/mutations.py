"""Create and update change plans; add and update their milestones."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date
from typing import Any

import strawberry

from schema.change_plans.types import ChangePlanNode, MilestoneNode, StakeholderInput
from schema.enums import ChangePlanStatus, MilestoneStatus
from schema.ids import decode_id
from schema.input_fields import global_id_of, optional
from schema.mutation_support import row_input, updating, write_mutation
from schema.payloads import Payload, written_payload
from schema.row_writes import OF_CLIENT, Ref, new_row, removed_row, row_at_version
from tenants.services import change_plans as service
from tenants.services.change_plans import Stakeholder


@strawberry.input(description="A new change plan for a client, optionally about one process.")
class CreateChangePlanInput:
    client_organisation_id: strawberry.ID = global_id_of("ClientOrganisation")
    objective: str = strawberry.field(description="What the change should achieve.")
    process_id: strawberry.ID | None = optional(
        "An AIProcess of the same client, or null for a client-wide plan."
    )
    stakeholders: list[StakeholderInput] | None = optional(
        "People the change affects or who must back it, in the order given."
    )
    communication_plan: str | None = optional(
        "How the change is communicated; null: not written yet."
    )
    readiness: int | None = optional("0-100; default 0.")
    status: ChangePlanStatus | None = optional("Default DRAFT.")  # type: ignore[valid-type]
    due_on: date | None = optional("When the change should be done; null: no date.")


@strawberry.input(description="Omitted fields are unchanged; null clears an optional field.")
@updating(
    CreateChangePlanInput,
    "ChangePlan",
    exclude=["client_organisation_id"],
    described={
        "process_id": "The global id of an AIProcess.",
        "stakeholders": "Replaces the whole list.",
        "readiness": "How ready the organisation is, 0-100.",
        "status": "Where the plan stands.",
    },
)
class UpdateChangePlanInput:
    pass


@strawberry.input(description="A new milestone at the end of a change plan (or at `position`).")
class AddMilestoneInput:
    plan_id: strawberry.ID = global_id_of("ChangePlan")
    title: str = strawberry.field(description="What the milestone is.")
    due_on: date | None = optional("When it is due; null: no date (then never overdue).")
    status: MilestoneStatus | None = optional("Default PLANNED.")  # type: ignore[valid-type]
    completed_on: date | None = optional("Only for a COMPLETED milestone; defaults to today.")
    position: int | None = optional("Default: after the last one.")


@strawberry.input(description="Which milestone to delete.")
@row_input("Milestone", "delete", id="The milestone's id.")
class DeleteMilestoneInput:
    pass


@written_payload(
    "deleted_milestone_id",
    strawberry.ID,
    description="The outcome of deleteMilestone.",
    about="The id of the milestone deleted; null when there are errors.",
    errors="Why nothing was deleted, if so.",
)
class DeleteMilestonePayload(Payload):
    pass


@strawberry.input(description="Omitted fields are unchanged; null clears an optional field.")
@updating(
    AddMilestoneInput,
    "Milestone",
    exclude=["plan_id"],
    described={
        "status": "Where it stands.",
        "completed_on": "Set exactly when COMPLETED.",
        "position": "Order within the plan, ascending.",
    },
)
class UpdateMilestoneInput:
    pass


@written_payload("change_plan", ChangePlanNode, "createChangePlan", "updateChangePlan")
class ChangePlanPayload(Payload):
    pass


@written_payload("milestone", MilestoneNode, "addMilestone", "updateMilestone")
class MilestonePayload(Payload):
    pass


def _stakeholders(values: list[StakeholderInput]) -> list[Stakeholder]:
    return [Stakeholder(name=s.name, role=s.role, impact=s.impact) for s in values]


def _process_id(value: strawberry.ID) -> uuid.UUID:
    return decode_id(value, "AIProcess", "processId")


# How a change plan input's API values become the service's (run inside `run_write`).
_PLAN_CONVERT: dict[str, Callable[[Any], Any]] = {
    "process_id": _process_id,
    "stakeholders": _stakeholders,
}

_PLAN = Ref("ChangePlan", "plan_id")
_OF_PLAN = Ref("ChangePlan", "plan_id", "plan_id")
_MILESTONE = Ref("Milestone", "milestone_id")


@strawberry.type
class ChangePlanMutation:
    create_change_plan = write_mutation(
        CreateChangePlanInput,
        ChangePlanPayload,
        new_row(service.create_change_plan, OF_CLIENT, convert=_PLAN_CONVERT),
        description="Add a change plan for a client. Staff writers.",
    )
    update_change_plan = write_mutation(
        UpdateChangePlanInput,
        ChangePlanPayload,
        row_at_version(service.update_change_plan, _PLAN, convert=_PLAN_CONVERT),
        description="Change a change plan. Staff writers.",
    )
    add_milestone = write_mutation(
        AddMilestoneInput,
        MilestonePayload,
        new_row(service.add_milestone, _OF_PLAN),
        description="Add a milestone to a change plan. Staff writers.",
    )
    update_milestone = write_mutation(
        UpdateMilestoneInput,
        MilestonePayload,
        row_at_version(service.update_milestone, _MILESTONE),
        description="Change a milestone. Staff writers.",
    )
    delete_milestone = write_mutation(
        DeleteMilestoneInput,
        DeleteMilestonePayload,
        removed_row(service.delete_milestone, _MILESTONE),
        description="Delete a milestone for good (the audit trail keeps its last values as a "
        "`delete` event); the plan's other milestones keep their positions.",
        argument=strawberry.argument(
            description="The milestone to delete and the version you last saw."
        ),
    )
