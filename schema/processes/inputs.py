"""Input types of the documents stored on a process (replaced whole on update)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import strawberry

from tenants import models as m
from tenants.errors import validation
from tenants.services.validation import UNSET as SERVICE_UNSET


@strawberry.input
class WorkflowStepInput:
    name: str
    ai_role: str = strawberry.field(description="What the AI does at this step.")
    description: str | None = None


@strawberry.input(description="Step names must be unique within the process.")
class ProcessBoundariesInput:
    steps: list[WorkflowStepInput] = strawberry.field(default_factory=list)
    upstream: list[str] = strawberry.field(default_factory=list)
    downstream: list[str] = strawberry.field(default_factory=list)
    data_inputs: list[str] = strawberry.field(default_factory=list)
    outputs: list[str] = strawberry.field(default_factory=list)

    def to_shape(self) -> m.Boundaries:
        return m.Boundaries(
            steps=[m.WorkflowStep(s.name, s.ai_role, s.description) for s in self.steps],
            upstream=list(self.upstream),
            downstream=list(self.downstream),
            data_inputs=list(self.data_inputs),
            outputs=list(self.outputs),
        )


@strawberry.input
class ReviewCheckpointInput:
    name: str
    stage: str
    reviewer_role: str
    criteria: str | None = None


@strawberry.input(description="Levels are numbered 1, 2, 3 … without gaps or repeats.")
class EscalationLevelInput:
    level: int
    trigger: str
    contact: str
    response_hours: int | None = None


@strawberry.input
class ProcessToolInput:
    name: str
    vendor: str | None = None
    purpose: str | None = None


def checkpoints(values: Sequence[ReviewCheckpointInput]) -> list[m.Checkpoint]:
    return [m.Checkpoint(c.name, c.stage, c.reviewer_role, c.criteria) for c in values]


def escalation_path(values: Sequence[EscalationLevelInput]) -> list[m.EscalationLevel]:
    return [m.EscalationLevel(e.level, e.trigger, e.contact, e.response_hours) for e in values]


def tools(values: Sequence[ProcessToolInput]) -> list[m.Tool]:
    return [m.Tool(t.name, t.vendor, t.purpose) for t in values]


def document(value: Any, convert: Callable[[Any], Any], field: str) -> Any:
    """Update inputs: omitted stays unchanged, null is a VALIDATION error, else converted."""
    if value is strawberry.UNSET:
        return SERVICE_UNSET
    if value is None:
        raise validation(field, "must not be null")
    return convert(value)
