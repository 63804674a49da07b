"""Create and update change plans; add and update their milestones."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date
from typing import Annotated, Any

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession

from schema.change_plans.types import ChangePlanNode, MilestoneNode, StakeholderInput
from schema.context import Info
from schema.enums import ChangePlanStatus, MilestoneStatus
from schema.errors import UserError
from schema.ids import decode_id
from schema.mutation_support import WRITE_INPUT, input_values, payload_of, run_write, updating
from tenants.services import change_plans as service
from tenants.services.audit import Actor
from tenants.services.change_plans import Stakeholder


@strawberry.input(description="A new change plan for a client, optionally about one process.")
class CreateChangePlanInput:
    client_organisation_id: strawberry.ID = strawberry.field(
        description="The global id of a ClientOrganisation."
    )
    objective: str = strawberry.field(description="What the change should achieve.")
    process_id: strawberry.ID | None = strawberry.field(
        default=None, description="An AIProcess of the same client, or null for a client-wide plan."
    )
    stakeholders: list[StakeholderInput] | None = strawberry.field(
        default=None,
        description="People the change affects or who must back it, in the order given.",
    )
    communication_plan: str | None = strawberry.field(
        default=None, description="How the change is communicated; null: not written yet."
    )
    readiness: int | None = strawberry.field(default=None, description="0-100; default 0.")
    status: ChangePlanStatus | None = strawberry.field(  # type: ignore[valid-type]
        default=None, description="Default DRAFT."
    )
    due_on: date | None = strawberry.field(
        default=None, description="When the change should be done; null: no date."
    )


@strawberry.input(description="Omitted fields are unchanged; null clears an optional field.")
@updating(
    CreateChangePlanInput,
    exclude=["client_organisation_id"],
    described={
        "process_id": "The global id of an AIProcess.",
        "stakeholders": "Replaces the whole list.",
        "readiness": "How ready the organisation is, 0-100.",
        "status": "Where the plan stands.",
    },
)
class UpdateChangePlanInput:
    id: strawberry.ID = strawberry.field(description="The global id of the ChangePlan to change.")
    version: int = strawberry.field(description="The version you last saw.")


@strawberry.input(description="A new milestone at the end of a change plan (or at `position`).")
class AddMilestoneInput:
    plan_id: strawberry.ID = strawberry.field(description="The global id of a ChangePlan.")
    title: str = strawberry.field(description="What the milestone is.")
    due_on: date | None = strawberry.field(
        default=None, description="When it is due; null: no date (then never overdue)."
    )
    status: MilestoneStatus | None = strawberry.field(  # type: ignore[valid-type]
        default=None, description="Default PLANNED."
    )
    completed_on: date | None = strawberry.field(
        default=None, description="Only for a COMPLETED milestone; defaults to today."
    )
    position: int | None = strawberry.field(
        default=None, description="Default: after the last one."
    )


@strawberry.input(description="Which milestone to delete.")
class DeleteMilestoneInput:
    id: strawberry.ID = strawberry.field(description="The milestone's id.")
    version: int = strawberry.field(
        description="The version you last saw; a stale one is a CONFLICT."
    )


@strawberry.type(description="The outcome of deleteMilestone.")
class DeleteMilestonePayload:
    deleted_milestone_id: strawberry.ID | None = strawberry.field(
        description="The id of the milestone deleted; null when there are errors."
    )
    errors: list[UserError] = strawberry.field(description="Why nothing was deleted, if so.")


@strawberry.input(description="Omitted fields are unchanged; null clears an optional field.")
@updating(
    AddMilestoneInput,
    exclude=["plan_id"],
    described={
        "status": "Where it stands.",
        "completed_on": "Set exactly when COMPLETED.",
        "position": "Order within the plan, ascending.",
    },
)
class UpdateMilestoneInput:
    id: strawberry.ID = strawberry.field(description="The global id of the Milestone to change.")
    version: int = strawberry.field(description="The version you last saw.")


@strawberry.type(
    description=(
        "The result of createChangePlan, updateChangePlan: the object written, or `errors`."
    )
)
class ChangePlanPayload:
    change_plan: ChangePlanNode | None = strawberry.field(
        description="The ChangePlan as written; null when there are errors."
    )
    errors: list[UserError] = strawberry.field(
        description=(
            "What went wrong, each naming its input field; empty on success. With "
            "errors nothing was written."
        )
    )


@strawberry.type(
    description=("The result of addMilestone, updateMilestone: the object written, or `errors`.")
)
class MilestonePayload:
    milestone: MilestoneNode | None = strawberry.field(
        description="The Milestone as written; null when there are errors."
    )
    errors: list[UserError] = strawberry.field(
        description=(
            "What went wrong, each naming its input field; empty on success. With "
            "errors nothing was written."
        )
    )


def _stakeholders(values: list[StakeholderInput]) -> list[Stakeholder]:
    return [Stakeholder(name=s.name, role=s.role, impact=s.impact) for s in values]


def _process_id(value: strawberry.ID) -> uuid.UUID:
    return decode_id(value, "AIProcess", "processId")


# How a change plan input's API values become the service's (run inside `run_write`).
_PLAN_CONVERT: dict[str, Callable[[Any], Any]] = {
    "process_id": _process_id,
    "stakeholders": _stakeholders,
}

_plan_payload = payload_of(ChangePlanPayload, "change_plan", ChangePlanNode.from_model)
_milestone_payload = payload_of(MilestonePayload, "milestone", MilestoneNode.from_model)
# A deleted milestone is answered by its id: the callback returns it.
_deleted_payload = payload_of(DeleteMilestonePayload, "deleted_milestone_id", lambda id_: id_)


@strawberry.type
class ChangePlanMutation:
    @strawberry.mutation(description="Add a change plan for a client. Staff writers.")
    async def create_change_plan(
        self, info: Info, input: Annotated[CreateChangePlanInput, WRITE_INPUT]
    ) -> ChangePlanPayload:
        return await run_write(
            info,
            _plan_payload,
            lambda db, actor: service.create_change_plan(
                db,
                actor=actor,
                client_id=decode_id(
                    input.client_organisation_id, "ClientOrganisation", "clientOrganisationId"
                ),
                **input_values(input, skip=["client_organisation_id"], convert=_PLAN_CONVERT),
            ),
        )

    @strawberry.mutation(description="Change a change plan. Staff writers.")
    async def update_change_plan(
        self, info: Info, input: Annotated[UpdateChangePlanInput, WRITE_INPUT]
    ) -> ChangePlanPayload:
        return await run_write(
            info,
            _plan_payload,
            lambda db, actor: service.update_change_plan(
                db,
                actor=actor,
                plan_id=decode_id(input.id, "ChangePlan", "id"),
                expected_version=input.version,
                **input_values(input, convert=_PLAN_CONVERT),
            ),
        )

    @strawberry.mutation(description="Add a milestone to a change plan. Staff writers.")
    async def add_milestone(
        self, info: Info, input: Annotated[AddMilestoneInput, WRITE_INPUT]
    ) -> MilestonePayload:
        return await run_write(
            info,
            _milestone_payload,
            lambda db, actor: service.add_milestone(
                db,
                actor=actor,
                plan_id=decode_id(input.plan_id, "ChangePlan", "planId"),
                **input_values(input, skip=["plan_id"]),
            ),
        )

    @strawberry.mutation(description="Change a milestone. Staff writers.")
    async def update_milestone(
        self, info: Info, input: Annotated[UpdateMilestoneInput, WRITE_INPUT]
    ) -> MilestonePayload:
        return await run_write(
            info,
            _milestone_payload,
            lambda db, actor: service.update_milestone(
                db,
                actor=actor,
                milestone_id=decode_id(input.id, "Milestone", "id"),
                expected_version=input.version,
                **input_values(input),
            ),
        )

    @strawberry.mutation(
        description="Delete a milestone for good (the audit trail keeps its last values as a "
        "`delete` event); the plan's other milestones keep their positions."
    )
    async def delete_milestone(
        self,
        info: Info,
        input: Annotated[
            DeleteMilestoneInput,
            strawberry.argument(
                description="The milestone to delete and the version you last saw."
            ),
        ],
    ) -> DeleteMilestonePayload:
        async def write(db: AsyncSession, actor: Actor) -> strawberry.ID:
            await service.delete_milestone(
                db,
                actor=actor,
                milestone_id=decode_id(input.id, "Milestone", "id"),
                expected_version=input.version,
            )
            return input.id

        return await run_write(info, _deleted_payload, write)
