"""The JSON documents stored on an AIProcess, as typed values.

They are stored as JSONB because they are read and written with their process, as a
whole; KPIs are a table of their own because client owners update them one by one.
"""

from __future__ import annotations

from dataclasses import MISSING, dataclass, field, fields
from typing import Any, ClassVar, Self


class JsonShape:
    """A flat stored shape whose JSON object is its fields by name. Reading one back, a key
    the object lacks takes the field's default; a required one missing is a KeyError, as a
    corrupt document should be. Keys it does not know are ignored."""

    __slots__ = ()
    __dataclass_fields__: ClassVar[dict[str, Any]]

    def to_json(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    @classmethod
    def from_json(cls, doc: dict[str, Any]) -> Self:
        given = (f.name for f in fields(cls) if f.name in doc or f.default is MISSING)
        return cls(**{name: doc[name] for name in given})


@dataclass(frozen=True, slots=True)
class WorkflowStep(JsonShape):
    name: str
    ai_role: str
    description: str | None = None


@dataclass(frozen=True, slots=True)
class Boundaries:
    steps: list[WorkflowStep] = field(default_factory=list)
    upstream: list[str] = field(default_factory=list)
    downstream: list[str] = field(default_factory=list)
    data_inputs: list[str] = field(default_factory=list)
    outputs: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "steps": [s.to_json() for s in self.steps],
            "upstream": list(self.upstream),
            "downstream": list(self.downstream),
            "data_inputs": list(self.data_inputs),
            "outputs": list(self.outputs),
        }

    @classmethod
    def from_json(cls, doc: dict[str, Any] | None) -> Boundaries:
        doc = doc or {}
        return cls(
            steps=[WorkflowStep.from_json(s) for s in doc.get("steps", [])],
            upstream=list(doc.get("upstream", [])),
            downstream=list(doc.get("downstream", [])),
            data_inputs=list(doc.get("data_inputs", [])),
            outputs=list(doc.get("outputs", [])),
        )

    @property
    def documented(self) -> bool:
        """Steps are mapped and at least one input and one output are named."""
        return bool(self.steps) and bool(self.data_inputs) and bool(self.outputs)


@dataclass(frozen=True, slots=True)
class Checkpoint(JsonShape):
    """A human-review checkpoint: who reviews what, at which stage of the workflow."""

    name: str
    stage: str
    reviewer_role: str
    criteria: str | None = None


@dataclass(frozen=True, slots=True)
class EscalationLevel(JsonShape):
    """Level 1 is called first; `response_hours` is how fast that contact must answer."""

    level: int
    trigger: str
    contact: str
    response_hours: int | None = None


@dataclass(frozen=True, slots=True)
class Tool(JsonShape):
    name: str
    vendor: str | None = None
    purpose: str | None = None
