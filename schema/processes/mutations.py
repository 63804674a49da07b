"""Create, update and archive AI processes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

import strawberry

from schema.context import Info
from schema.enums import LifecycleStage, RiskTier
from schema.errors import UserError
from schema.ids import decode_id
from schema.mutation_support import WRITE_INPUT, input_values, payload_of, run_write, updating
from schema.processes import inputs
from schema.processes.inputs import (
    EscalationLevelInput,
    ProcessBoundariesInput,
    ProcessToolInput,
    ReviewCheckpointInput,
)
from schema.processes.types import AIProcessNode
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
@updating(
    CreateAIProcessInput,
    exclude=["client_organisation_id"],
    described={
        "purpose": "What the process is for; null: not stated.",
        "lifecycle_stage": "Where the process is in its life; PILOT and PRODUCTION are live.",
        "risk_tier": "How much harm a failure can do.",
    },
)
class UpdateAIProcessInput:
    id: strawberry.ID = strawberry.field(description="The global id of the AIProcess to change.")
    version: int = strawberry.field(description="The version you last saw.")


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


_payload = payload_of(AIProcessPayload, "ai_process", AIProcessNode.from_model)

# The documents' inputs as the service's shapes.
_DOCUMENTS: dict[str, Callable[[Any], Any]] = {
    "boundaries": ProcessBoundariesInput.to_shape,
    "checkpoints": inputs.checkpoints,
    "escalation_path": inputs.escalation_path,
    "tools": inputs.tools,
}


@strawberry.type
class AIProcessMutation:
    @strawberry.mutation(
        description="Add a process to a client. Staff writers.", name="createAIProcess"
    )
    async def create_ai_process(
        self, info: Info, input: Annotated[CreateAIProcessInput, WRITE_INPUT]
    ) -> AIProcessPayload:
        return await run_write(
            info,
            _payload,
            lambda db, actor: service.create_process(
                db,
                actor=actor,
                client_id=decode_id(
                    input.client_organisation_id, "ClientOrganisation", "clientOrganisationId"
                ),
                **input_values(input, skip=["client_organisation_id"], convert=_DOCUMENTS),
            ),
        )

    @strawberry.mutation(description="Change a process. Staff writers.", name="updateAIProcess")
    async def update_ai_process(
        self, info: Info, input: Annotated[UpdateAIProcessInput, WRITE_INPUT]
    ) -> AIProcessPayload:
        return await run_write(
            info,
            _payload,
            lambda db, actor: service.update_process(
                db,
                actor=actor,
                process_id=decode_id(input.id, "AIProcess", "id"),
                expected_version=input.version,
                **input_values(input, convert=_DOCUMENTS),
            ),
        )

    @strawberry.mutation(
        description=(
            "Archive a process: no longer live, hidden from lists unless "
            "includeArchived. Staff writers."
        ),
        name="archiveAIProcess",
    )
    async def archive_ai_process(
        self, info: Info, input: Annotated[ArchiveAIProcessInput, WRITE_INPUT]
    ) -> AIProcessPayload:
        return await run_write(
            info,
            _payload,
            lambda db, actor: service.archive_process(
                db,
                actor=actor,
                process_id=decode_id(input.id, "AIProcess", "id"),
                expected_version=input.version,
            ),
        )
