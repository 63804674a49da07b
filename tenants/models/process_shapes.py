"""The JSON documents stored on an AIProcess, as typed values.

They are stored as JSONB because they are read and written with their process, as a
whole; KPIs are a table of their own because client owners update them one by one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class WorkflowStep:
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
            "steps": [
                {"name": s.name, "ai_role": s.ai_role, "description": s.description}
                for s in self.steps
            ],
            "upstream": list(self.upstream),
            "downstream": list(self.downstream),
            "data_inputs": list(self.data_inputs),
            "outputs": list(self.outputs),
        }

    @classmethod
    def from_json(cls, doc: dict[str, Any] | None) -> Boundaries:
        doc = doc or {}
        return cls(
            steps=[
                WorkflowStep(s["name"], s["ai_role"], s.get("description"))
                for s in doc.get("steps", [])
            ],
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
class Checkpoint:
    """A human-review checkpoint: who reviews what, at which stage of the workflow."""

    name: str
    stage: str
    reviewer_role: str
    criteria: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "stage": self.stage,
            "reviewer_role": self.reviewer_role,
            "criteria": self.criteria,
        }

    @classmethod
    def from_json(cls, doc: dict[str, Any]) -> Checkpoint:
        return cls(doc["name"], doc["stage"], doc["reviewer_role"], doc.get("criteria"))


@dataclass(frozen=True, slots=True)
class EscalationLevel:
    """Level 1 is called first; `response_hours` is how fast that contact must answer."""

    level: int
    trigger: str
    contact: str
    response_hours: int | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "level": self.level,
            "trigger": self.trigger,
            "contact": self.contact,
            "response_hours": self.response_hours,
        }

    @classmethod
    def from_json(cls, doc: dict[str, Any]) -> EscalationLevel:
        return cls(doc["level"], doc["trigger"], doc["contact"], doc.get("response_hours"))


@dataclass(frozen=True, slots=True)
class Tool:
    name: str
    vendor: str | None = None
    purpose: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "vendor": self.vendor, "purpose": self.purpose}

    @classmethod
    def from_json(cls, doc: dict[str, Any]) -> Tool:
        return cls(doc["name"], doc.get("vendor"), doc.get("purpose"))
