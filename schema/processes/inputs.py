"""Input types of the documents stored on a process (replaced whole on update)."""

from __future__ import annotations

from collections.abc import Sequence

import strawberry

from tenants import models as m


@strawberry.input(description="One step of the process's workflow.")
class WorkflowStepInput:
    name: str = strawberry.field(description="The step's name, unique within the process.")
    ai_role: str = strawberry.field(description="What the AI does at this step.")
    description: str | None = strawberry.field(
        default=None, description="What happens at the step; null: not described."
    )


@strawberry.input(description="Step names must be unique within the process.")
class ProcessBoundariesInput:
    steps: list[WorkflowStepInput] = strawberry.field(
        description="The workflow steps, in order.", default_factory=list
    )
    upstream: list[str] = strawberry.field(
        description="Processes or systems that feed this one.", default_factory=list
    )
    downstream: list[str] = strawberry.field(
        description="Processes or systems this one feeds.", default_factory=list
    )
    data_inputs: list[str] = strawberry.field(
        description="The data the process takes in.", default_factory=list
    )
    outputs: list[str] = strawberry.field(
        description="What the process produces.", default_factory=list
    )

    def to_shape(self) -> m.Boundaries:
        return m.Boundaries(
            steps=[m.WorkflowStep(s.name, s.ai_role, s.description) for s in self.steps],
            upstream=list(self.upstream),
            downstream=list(self.downstream),
            data_inputs=list(self.data_inputs),
            outputs=list(self.outputs),
        )


@strawberry.input(description="A human-review checkpoint of a process.")
class ReviewCheckpointInput:
    name: str = strawberry.field(description="The checkpoint's name.")
    stage: str = strawberry.field(description="The workflow step or stage it sits at.")
    reviewer_role: str = strawberry.field(description="Who reviews (a role, free text).")
    criteria: str | None = strawberry.field(
        default=None, description="What the reviewer checks; null: not written down."
    )


@strawberry.input(description="Levels are numbered 1, 2, 3 … without gaps or repeats.")
class EscalationLevelInput:
    level: int = strawberry.field(description="1 is called first; levels run 1, 2, 3 without gaps.")
    trigger: str = strawberry.field(description="What makes this level act.")
    contact: str = strawberry.field(description="Who is called at this level.")
    response_hours: int | None = strawberry.field(
        default=None, description="How fast this contact must answer, in hours."
    )


@strawberry.input(description="A tool or vendor product the process uses.")
class ProcessToolInput:
    name: str = strawberry.field(description="The tool or product.")
    vendor: str | None = strawberry.field(
        default=None, description="Who makes it; null: not stated."
    )
    purpose: str | None = strawberry.field(
        default=None, description="What the process uses it for; null: not stated."
    )


def checkpoints(values: Sequence[ReviewCheckpointInput]) -> list[m.Checkpoint]:
    return [m.Checkpoint(c.name, c.stage, c.reviewer_role, c.criteria) for c in values]


def escalation_path(values: Sequence[EscalationLevelInput]) -> list[m.EscalationLevel]:
    return [m.EscalationLevel(e.level, e.trigger, e.contact, e.response_hours) for e in values]


def tools(values: Sequence[ProcessToolInput]) -> list[m.Tool]:
    return [m.Tool(t.name, t.vendor, t.purpose) for t in values]
