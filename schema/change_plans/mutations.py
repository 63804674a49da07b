"""Create and update change plans; add and update their milestones."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated, Any

import strawberry

from schema.change_plans.types import ChangePlanNode, MilestoneNode, StakeholderInput
from schema.context import Info
from schema.enums import ChangePlanStatus, MilestoneStatus
from schema.errors import UserError, atomic
from schema.ids import decode_id
from schema.mutation_support import given, or_default, required
from schema.permissions import actor_of, authorize
from tenants import models as m
from tenants.services import change_plans as service
from tenants.services.change_plans import Stakeholder
from tenants.services.validation import UNSET as SERVICE_UNSET


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
class UpdateChangePlanInput:
    id: strawberry.ID = strawberry.field(description="The global id of the ChangePlan to change.")
    version: int = strawberry.field(description="The version you last saw.")
    objective: str | None = strawberry.field(
        default=strawberry.UNSET, description="What the change should achieve."
    )
    process_id: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET, description="The global id of an AIProcess."
    )
    stakeholders: list[StakeholderInput] | None = strawberry.field(
        default=strawberry.UNSET, description="Replaces the whole list."
    )
    communication_plan: str | None = strawberry.field(
        default=strawberry.UNSET,
        description="How the change is communicated; null: not written yet.",
    )
    readiness: int | None = strawberry.field(
        default=strawberry.UNSET, description="How ready the organisation is, 0-100."
    )
    status: ChangePlanStatus | None = strawberry.field(  # type: ignore[valid-type]
        default=strawberry.UNSET, description="Where the plan stands."
    )
    due_on: date | None = strawberry.field(
        default=strawberry.UNSET, description="When the change should be done; null: no date."
    )


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
class UpdateMilestoneInput:
    id: strawberry.ID = strawberry.field(description="The global id of the Milestone to change.")
    version: int = strawberry.field(description="The version you last saw.")
    title: str | None = strawberry.field(
        default=strawberry.UNSET, description="What the milestone is."
    )
    due_on: date | None = strawberry.field(
        default=strawberry.UNSET, description="When it is due; null: no date (then never overdue)."
    )
    status: MilestoneStatus | None = strawberry.field(  # type: ignore[valid-type]
        default=strawberry.UNSET, description="Where it stands."
    )
    completed_on: date | None = strawberry.field(
        default=strawberry.UNSET, description="Set exactly when COMPLETED."
    )
    position: int | None = strawberry.field(
        default=strawberry.UNSET, description="Order within the plan, ascending."
    )


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


def _optional_process(value: strawberry.ID | None) -> Any:
    """Update: omitted is unchanged, null clears, an id is decoded."""
    if value is strawberry.UNSET:
        return SERVICE_UNSET
    return None if value is None else decode_id(value, "AIProcess", "processId")


def _plan_payload(obj: m.ChangePlan | None, errors: list[UserError]) -> ChangePlanPayload:
    node = ChangePlanNode.from_model(obj) if obj is not None and not errors else None
    return ChangePlanPayload(change_plan=node, errors=errors)


def _milestone_payload(obj: m.Milestone | None, errors: list[UserError]) -> MilestonePayload:
    node = MilestoneNode.from_model(obj) if obj is not None and not errors else None
    return MilestonePayload(milestone=node, errors=errors)


@strawberry.type
class ChangePlanMutation:
    @strawberry.mutation(description="Add a change plan for a client. Staff writers.")
    async def create_change_plan(
        self,
        info: Info,
        input: Annotated[
            CreateChangePlanInput,
            strawberry.argument(
                description=(
                    "What to write; each error names its field within it (e.g. `name`, "
                    "`scores[0].score`)."
                )
            ),
        ],
    ) -> ChangePlanPayload:
        obj = None
        async with atomic(info) as outcome:
            await authorize(info)
            process_id: uuid.UUID | None = None
            if input.process_id is not None:
                process_id = decode_id(input.process_id, "AIProcess", "processId")
            obj = await service.create_change_plan(
                info.context.db,
                actor=actor_of(info.context.principal),
                client_id=decode_id(
                    input.client_organisation_id, "ClientOrganisation", "clientOrganisationId"
                ),
                objective=input.objective,
                process_id=process_id,
                stakeholders=_stakeholders(input.stakeholders or []),
                communication_plan=input.communication_plan,
                readiness=or_default(input.readiness, 0),
                status=or_default(input.status, m.ChangePlanStatus.DRAFT),
                due_on=input.due_on,
            )
        return _plan_payload(obj, outcome.errors)

    @strawberry.mutation(description="Change a change plan. Staff writers.")
    async def update_change_plan(
        self,
        info: Info,
        input: Annotated[
            UpdateChangePlanInput,
            strawberry.argument(
                description=(
                    "What to write; each error names its field within it (e.g. `name`, "
                    "`scores[0].score`)."
                )
            ),
        ],
    ) -> ChangePlanPayload:
        obj = None
        async with atomic(info) as outcome:
            await authorize(info)
            stakeholders = required(input.stakeholders, "stakeholders")
            obj = await service.update_change_plan(
                info.context.db,
                actor=actor_of(info.context.principal),
                plan_id=decode_id(input.id, "ChangePlan", "id"),
                expected_version=input.version,
                objective=required(input.objective, "objective"),
                process_id=_optional_process(input.process_id),
                stakeholders=stakeholders
                if stakeholders is SERVICE_UNSET
                else _stakeholders(stakeholders),
                communication_plan=given(input.communication_plan),
                readiness=required(input.readiness, "readiness"),
                status=required(input.status, "status"),
                due_on=given(input.due_on),
            )
        return _plan_payload(obj, outcome.errors)

    @strawberry.mutation(description="Add a milestone to a change plan. Staff writers.")
    async def add_milestone(
        self,
        info: Info,
        input: Annotated[
            AddMilestoneInput,
            strawberry.argument(
                description=(
                    "What to write; each error names its field within it (e.g. `name`, "
                    "`scores[0].score`)."
                )
            ),
        ],
    ) -> MilestonePayload:
        obj = None
        async with atomic(info) as outcome:
            await authorize(info)
            obj = await service.add_milestone(
                info.context.db,
                actor=actor_of(info.context.principal),
                plan_id=decode_id(input.plan_id, "ChangePlan", "planId"),
                title=input.title,
                due_on=input.due_on,
                status=or_default(input.status, m.MilestoneStatus.PLANNED),
                completed_on=input.completed_on,
                position=input.position,
            )
        return _milestone_payload(obj, outcome.errors)

    @strawberry.mutation(description="Change a milestone. Staff writers.")
    async def update_milestone(
        self,
        info: Info,
        input: Annotated[
            UpdateMilestoneInput,
            strawberry.argument(
                description=(
                    "What to write; each error names its field within it (e.g. `name`, "
                    "`scores[0].score`)."
                )
            ),
        ],
    ) -> MilestonePayload:
        obj = None
        async with atomic(info) as outcome:
            await authorize(info)
            obj = await service.update_milestone(
                info.context.db,
                actor=actor_of(info.context.principal),
                milestone_id=decode_id(input.id, "Milestone", "id"),
                expected_version=input.version,
                title=required(input.title, "title"),
                due_on=given(input.due_on),
                status=required(input.status, "status"),
                completed_on=given(input.completed_on),
                position=required(input.position, "position"),
            )
        return _milestone_payload(obj, outcome.errors)

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
        deleted = False
        async with atomic(info) as outcome:
            await authorize(info)
            await service.delete_milestone(
                info.context.db,
                actor=actor_of(info.context.principal),
                milestone_id=decode_id(input.id, "Milestone", "id"),
                expected_version=input.version,
            )
            deleted = True
        errors = outcome.errors
        return DeleteMilestonePayload(
            deleted_milestone_id=input.id if deleted and not errors else None, errors=errors
        )
