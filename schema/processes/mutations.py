"""Create, update and archive AI processes."""

from __future__ import annotations

from typing import Annotated

import strawberry

from schema.context import Info
from schema.enums import LifecycleStage, RiskTier
from schema.errors import UserError, atomic
from schema.ids import decode_id
from schema.mutation_support import given, or_default, required
from schema.permissions import actor_of, authorize
from schema.processes import inputs
from schema.processes.inputs import (
    EscalationLevelInput,
    ProcessBoundariesInput,
    ProcessToolInput,
    ReviewCheckpointInput,
)
from schema.processes.types import AIProcessNode
from tenants import models as m
from tenants.services import processes as service


@strawberry.input(
    description=("A new process of a client; omitted optional fields take their defaults.")
)
class CreateAIProcessInput:
    client_organisation_id: strawberry.ID = strawberry.field(
        description="The global id of a ClientOrganisation."
    )
    name: str = strawberry.field(description="What the process is called.")
    purpose: str | None = strawberry.field(
        default=None, description="What the process is for, in a sentence or two; null: not stated."
    )
    business_unit: str | None = strawberry.field(
        default=None,
        description="The client's business unit that runs the process; null: not stated.",
    )
    lifecycle_stage: LifecycleStage | None = strawberry.field(  # type: ignore[valid-type]
        default=None, description="Default IDEA."
    )
    risk_tier: RiskTier | None = strawberry.field(  # type: ignore[valid-type]
        default=None, description="Default MEDIUM."
    )
    boundaries: ProcessBoundariesInput | None = strawberry.field(
        default=None,
        description=(
            "Its workflow steps, upstream and downstream systems, data inputs and outputs."
        ),
    )
    checkpoints: list[ReviewCheckpointInput] | None = strawberry.field(
        default=None, description="Human-review checkpoints."
    )
    escalation_path: list[EscalationLevelInput] | None = strawberry.field(
        default=None, description="Ordered by level."
    )
    tools: list[ProcessToolInput] | None = strawberry.field(
        default=None, description="Tools and vendor products used."
    )


@strawberry.input(
    description=(
        "Omitted fields are unchanged; null clears an optional field; documents are replaced whole."
    )
)
class UpdateAIProcessInput:
    id: strawberry.ID = strawberry.field(description="The global id of the AIProcess to change.")
    version: int = strawberry.field(description="The version you last saw.")
    name: str | None = strawberry.field(
        default=strawberry.UNSET, description="What the process is called."
    )
    purpose: str | None = strawberry.field(
        default=strawberry.UNSET, description="What the process is for; null: not stated."
    )
    business_unit: str | None = strawberry.field(
        default=strawberry.UNSET,
        description="The client's business unit that runs the process; null: not stated.",
    )
    lifecycle_stage: LifecycleStage | None = strawberry.field(  # type: ignore[valid-type]
        default=strawberry.UNSET,
        description="Where the process is in its life; PILOT and PRODUCTION are live.",
    )
    risk_tier: RiskTier | None = strawberry.field(  # type: ignore[valid-type]
        default=strawberry.UNSET, description="How much harm a failure can do."
    )
    boundaries: ProcessBoundariesInput | None = strawberry.field(
        default=strawberry.UNSET,
        description=(
            "Its workflow steps, upstream and downstream systems, data inputs and outputs."
        ),
    )
    checkpoints: list[ReviewCheckpointInput] | None = strawberry.field(
        default=strawberry.UNSET, description="Human-review checkpoints."
    )
    escalation_path: list[EscalationLevelInput] | None = strawberry.field(
        default=strawberry.UNSET, description="Ordered by level."
    )
    tools: list[ProcessToolInput] | None = strawberry.field(
        default=strawberry.UNSET, description="Tools and vendor products used."
    )


@strawberry.input(
    description=(
        "Which process to archive; it stays readable, hidden from lists unless includeArchived."
    )
)
class ArchiveAIProcessInput:
    id: strawberry.ID = strawberry.field(description="The global id of the AIProcess to archive.")
    version: int = strawberry.field(
        description="The version you last saw; a stale one is a CONFLICT."
    )


@strawberry.type(description="The result of createAIProcess, updateAIProcess and archiveAIProcess.")
class AIProcessPayload:
    ai_process: AIProcessNode | None = strawberry.field(
        description="The process as written; null when there are errors."
    )
    errors: list[UserError] = strawberry.field(
        description=(
            "What went wrong, each naming its input field; empty on success. With "
            "errors nothing was written."
        )
    )


def _payload(obj: m.AIProcess | None, errors: list[UserError]) -> AIProcessPayload:
    node = AIProcessNode.from_model(obj) if obj is not None and not errors else None
    return AIProcessPayload(ai_process=node, errors=errors)


@strawberry.type
class AIProcessMutation:
    @strawberry.mutation(
        description="Add a process to a client. Staff writers.", name="createAIProcess"
    )
    async def create_ai_process(
        self,
        info: Info,
        input: Annotated[
            CreateAIProcessInput,
            strawberry.argument(
                description=(
                    "What to write; each error names its field within it (e.g. `name`, "
                    "`scores[0].score`)."
                )
            ),
        ],
    ) -> AIProcessPayload:
        obj = None
        async with atomic(info) as outcome:
            await authorize(info)
            obj = await service.create_process(
                info.context.db,
                actor=actor_of(info.context.principal),
                client_id=decode_id(
                    input.client_organisation_id, "ClientOrganisation", "clientOrganisationId"
                ),
                name=input.name,
                purpose=input.purpose,
                business_unit=input.business_unit,
                lifecycle_stage=or_default(input.lifecycle_stage, m.LifecycleStage.IDEA),
                risk_tier=or_default(input.risk_tier, m.RiskTier.MEDIUM),
                boundaries=input.boundaries.to_shape() if input.boundaries else None,
                checkpoints=inputs.checkpoints(input.checkpoints or []),
                escalation_path=inputs.escalation_path(input.escalation_path or []),
                tools=inputs.tools(input.tools or []),
            )
        return _payload(obj, outcome.errors)

    @strawberry.mutation(description="Change a process. Staff writers.", name="updateAIProcess")
    async def update_ai_process(
        self,
        info: Info,
        input: Annotated[
            UpdateAIProcessInput,
            strawberry.argument(
                description=(
                    "What to write; each error names its field within it (e.g. `name`, "
                    "`scores[0].score`)."
                )
            ),
        ],
    ) -> AIProcessPayload:
        obj = None
        async with atomic(info) as outcome:
            await authorize(info)
            obj = await service.update_process(
                info.context.db,
                actor=actor_of(info.context.principal),
                process_id=decode_id(input.id, "AIProcess", "id"),
                expected_version=input.version,
                name=required(input.name, "name"),
                purpose=given(input.purpose),
                business_unit=given(input.business_unit),
                lifecycle_stage=required(input.lifecycle_stage, "lifecycleStage"),
                risk_tier=required(input.risk_tier, "riskTier"),
                boundaries=inputs.document(input.boundaries, lambda b: b.to_shape(), "boundaries"),
                checkpoints=inputs.document(input.checkpoints, inputs.checkpoints, "checkpoints"),
                escalation_path=inputs.document(
                    input.escalation_path, inputs.escalation_path, "escalationPath"
                ),
                tools=inputs.document(input.tools, inputs.tools, "tools"),
            )
        return _payload(obj, outcome.errors)

    @strawberry.mutation(
        description=(
            "Archive a process: no longer live, hidden from lists unless "
            "includeArchived. Staff writers."
        ),
        name="archiveAIProcess",
    )
    async def archive_ai_process(
        self,
        info: Info,
        input: Annotated[
            ArchiveAIProcessInput,
            strawberry.argument(
                description=(
                    "What to write; each error names its field within it (e.g. `name`, "
                    "`scores[0].score`)."
                )
            ),
        ],
    ) -> AIProcessPayload:
        obj = None
        async with atomic(info) as outcome:
            await authorize(info)
            obj = await service.archive_process(
                info.context.db,
                actor=actor_of(info.context.principal),
                process_id=decode_id(input.id, "AIProcess", "id"),
                expected_version=input.version,
            )
        return _payload(obj, outcome.errors)
