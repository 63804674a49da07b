"""Vocabulary shared by rules, scoring and rendering: pillars, severities, findings.

Findings name their object by `object_type` + `object_id` (the row's UUID), not by a
Relay global id: global ids are an API concern computed by the GraphQL layer, and the
rules stay free of it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any, NamedTuple
from uuid import UUID

from jobs.i18n.rules import PILLAR_NAMES


class Pillar(StrEnum):
    """Readiness pillars, in the order reports present them (DESIGN "Readiness, in rules")."""

    OWNERSHIP = "ownership_coverage"
    AUTHORITY_CAPACITY = "authority_capacity"
    CAPABILITY = "capability"
    OVERSIGHT = "oversight"
    RESPONSIBILITIES = "responsibilities"
    FEEDBACK_LOOPS = "feedback_loops"
    VENDOR_CLAUSES = "vendor_clauses"
    CHANGE_MANAGEMENT = "change_management"
    FRAGMENTATION = "fragmentation"

    @property
    def label(self) -> str:
        return PILLAR_LABELS[self]


# The English names, from the one list the message catalogue is extracted from.
PILLAR_LABELS: dict[Pillar, str] = {p: PILLAR_NAMES[p.value] for p in Pillar}


class Severity(StrEnum):
    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"

    @property
    def rank(self) -> int:
        """0 for the most severe, so an ascending sort puts critical first."""
        return _SEVERITY_RANK[self]


_SEVERITY_RANK = {s: i for i, s in enumerate(Severity)}


class ObjectType(StrEnum):
    """GraphQL type names, so the API layer can build global ids without a lookup table."""

    PROCESS = "AIProcess"
    OWNER = "Owner"
    VENDOR_AGREEMENT = "VendorAgreement"
    CHANGE_PLAN = "ChangePlan"
    MILESTONE = "Milestone"
    CLIENT = "ClientOrganisation"


class FindingKey(NamedTuple):
    """Identity of a finding across reports: the same rule failing on the same object."""

    rule_id: str
    object_id: UUID


@dataclass(frozen=True, slots=True)
class Finding:
    rule_id: str
    pillar: Pillar
    severity: Severity
    object_type: ObjectType
    object_id: UUID
    message: str
    recommendation: str
    #: Values a report needs to say the finding in any language (the object's name as
    #: "subject"), kept with the stored finding next to its code (`rule_id`). Pairs, so a
    #: finding stays hashable.
    params: tuple[tuple[str, str], ...] = ()

    @property
    def key(self) -> FindingKey:
        return FindingKey(self.rule_id, self.object_id)

    def sort_key(self) -> tuple[int, str, str, str]:
        return (self.severity.rank, self.rule_id, self.object_type.value, str(self.object_id))

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form, as stored with a report."""
        return {
            "rule_id": self.rule_id,
            "pillar": self.pillar.value,
            "severity": self.severity.value,
            "object_type": self.object_type.value,
            "object_id": str(self.object_id),
            "message": self.message,
            "recommendation": self.recommendation,
            "params": dict(self.params),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Finding:
        return cls(
            rule_id=str(data["rule_id"]),
            pillar=Pillar(data["pillar"]),
            severity=Severity(data["severity"]),
            object_type=ObjectType(data["object_type"]),
            object_id=UUID(str(data["object_id"])),
            message=str(data["message"]),
            recommendation=str(data["recommendation"]),
            params=tuple(sorted((str(k), str(v)) for k, v in data.get("params", {}).items())),
        )

    def param(self, name: str, default: str = "") -> str:
        return dict(self.params).get(name, default)
