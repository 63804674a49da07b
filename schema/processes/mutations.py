"""Create, update and archive AI processes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import strawberry

from schema.enums import LifecycleStage, RiskTier
from schema.input_fields import global_id_of, optional
from schema.mutation_support import row_input, updating, write_mutation
from schema.payloads import Payload, written_payload
from schema.processes import inputs
from schema.processes.inputs import (
    EscalationLevelInput,
    ProcessBoundariesInput,
    ProcessToolInput,
    ReviewCheckpointInput,
)
from schema.processes.types import AIProcessNode
from schema.row_writes import OF_CLIENT, Ref, new_row, row_at_version
from tenants.services import processes as service


@strawberry.input(
    description=("A new process of a client; omitted optional fields take their defaults.")
)
class CreateAIProcessInput:
    client_organisation_id: strawberry.ID = global_id_of("ClientOrganisation")
    name: str = strawberry.field(description="What the process is called.")
    purpose: str | None = optional(
        "What the process is for, in a sentence or two; null: not stated."
    )
    business_unit: str | None = optional(
        "The client's business unit that runs the process; null: not stated."
    )
    lifecycle_stage: LifecycleStage | None = optional("Default IDEA.")  # type: ignore[valid-type]
    risk_tier: RiskTier | None = optional("Default MEDIUM.")  # type: ignore[valid-type]
    boundaries: ProcessBoundariesInput | None = optional(
        "Its workflow steps, upstream and downstream systems, data inputs and outputs."
    )
    checkpoints: list[ReviewCheckpointInput] | None = optional("Human-review checkpoints.")
    escalation_path: list[EscalationLevelInput] | None = optional("Ordered by level.")
    tools: list[ProcessToolInput] | None = optional("Tools and vendor products used.")


@strawberry.input(
    description=(
        "Omitted fields are unchanged; null clears an optional field; documents are replaced whole."
    )
)
@updating(
    CreateAIProcessInput,
    "AIProcess",
    exclude=["client_organisation_id"],
    described={
        "purpose": "What the process is for; null: not stated.",
        "lifecycle_stage": "Where the process is in its life; PILOT and PRODUCTION are live.",
        "risk_tier": "How much harm a failure can do.",
    },
)
class UpdateAIProcessInput:
    pass


@strawberry.input(
    description=(
        "Which process to archive; it stays readable, hidden from lists unless includeArchived."
    )
)
@row_input("AIProcess", "archive")
class ArchiveAIProcessInput:
    pass


@written_payload(
    "ai_process",
    AIProcessNode,
    description="The result of createAIProcess, updateAIProcess and archiveAIProcess.",
    about="The process as written; null when there are errors.",
)
class AIProcessPayload(Payload):
    pass


# The process an AI process input's `id` names (restoreAIProcess too).
PROCESS_ROW = Ref("AIProcess", "process_id")

# The documents' inputs as the service's shapes.
_DOCUMENTS: dict[str, Callable[[Any], Any]] = {
    "boundaries": ProcessBoundariesInput.to_shape,
    "checkpoints": inputs.checkpoints,
    "escalation_path": inputs.escalation_path,
    "tools": inputs.tools,
}


@strawberry.type
class AIProcessMutation:
    create_ai_process = write_mutation(
        CreateAIProcessInput,
        AIProcessPayload,
        new_row(service.create_process, OF_CLIENT, convert=_DOCUMENTS),
        description="Add a process to a client. Staff writers.",
        name="createAIProcess",
    )
    update_ai_process = write_mutation(
        UpdateAIProcessInput,
        AIProcessPayload,
        row_at_version(service.update_process, PROCESS_ROW, convert=_DOCUMENTS),
        description="Change a process. Staff writers.",
        name="updateAIProcess",
    )
    archive_ai_process = write_mutation(
        ArchiveAIProcessInput,
        AIProcessPayload,
        row_at_version(service.archive_process, PROCESS_ROW),
        description=(
            "Archive a process: no longer live, hidden from lists unless "
            "includeArchived. Staff writers."
        ),
        name="archiveAIProcess",
    )
