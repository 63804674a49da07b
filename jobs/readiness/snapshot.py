"""An immutable picture of ONE client organisation at one moment: all the rules read.

The rules never touch the database. A loader (in the jobs package, written against the
ORM) builds a `ClientSnapshot` with a fixed number of SQL statements, one per collection,
each filtered by client id, whatever the client's size:

the client row; processes with counts of steps, upstream, downstream, data inputs,
outputs, checkpoints and escalation levels (GROUP BY); process tools; owners; ownership
assignments; capability assessments with their scores; dimensions (tenant data); change
plans; milestones; vendor agreements with covered process ids; reviews; incidents; KPIs.

Enumerated values are plain lowercase strings (the DB enums' values), checked on
construction so a loader bug fails loudly here rather than silently passing a rule.
Dates are `date`s in the client's reporting frame; `as_of` is "today" for every rule.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import NamedTuple
from uuid import UUID

from jobs.readiness import values as v


class ToolSnap(NamedTuple):
    """A tool a process uses. `vendor` is None for in-house tools (no agreement needed)."""

    name: str
    vendor: str | None = None
    purpose: str = ""


@dataclass(frozen=True, slots=True)
class ProcessSnap:
    id: UUID
    name: str
    purpose: str = ""
    business_unit: str = ""
    lifecycle_stage: str = "idea"
    risk_tier: str = "low"
    step_count: int = 0
    upstream_count: int = 0
    downstream_count: int = 0
    data_input_count: int = 0
    output_count: int = 0
    checkpoint_count: int = 0
    escalation_level_count: int = 0
    tools: tuple[ToolSnap, ...] = ()
    last_reviewed_at: date | None = None

    def __post_init__(self) -> None:
        v.check_value(self.lifecycle_stage, v.LIFECYCLE_STAGES, "lifecycle_stage")
        v.check_value(self.risk_tier, v.RISK_TIERS, "risk_tier")

    @property
    def is_live(self) -> bool:
        """Pilots count: an unowned pilot is exactly the "orphaned experiment"."""
        return self.lifecycle_stage in v.LIVE_STAGES

    @property
    def is_high_impact(self) -> bool:
        return self.risk_tier in v.HIGH_IMPACT_TIERS


@dataclass(frozen=True, slots=True)
class OwnerSnap:
    id: UUID
    name: str
    title: str = ""
    business_unit: str = ""
    decision_authority: str = "none"

    def __post_init__(self) -> None:
        v.check_value(self.decision_authority, v.DECISION_AUTHORITY, "decision_authority")


@dataclass(frozen=True, slots=True)
class AssignmentSnap:
    """`ends_on` is the last day the assignment holds (inclusive); None means open-ended."""

    id: UUID
    owner_id: UUID
    process_id: UUID
    raci_role: str
    starts_on: date
    ends_on: date | None = None
    hours_per_week: float = 0.0
    responsibilities: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        v.check_value(self.raci_role, v.RACI_ROLES, "raci_role")
        for item in self.responsibilities:
            v.check_value(item, v.RESPONSIBILITIES, "responsibility")

    def is_current(self, as_of: date) -> bool:
        return self.starts_on <= as_of and (self.ends_on is None or as_of <= self.ends_on)


@dataclass(frozen=True, slots=True)
class AssessmentSnap:
    """`scores` maps dimension key to a 1-5 score; a dimension may be missing (not assessed)."""

    id: UUID
    owner_id: UUID
    assessed_on: date
    scores: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class DimensionSnap:
    """A capability dimension; `bar` is the lowest acceptable score (1-5)."""

    key: str
    name: str
    bar: int = 3


@dataclass(frozen=True, slots=True)
class MilestoneSnap:
    id: UUID
    title: str
    due_on: date
    status: str = "planned"

    def __post_init__(self) -> None:
        v.check_value(self.status, v.MILESTONE_STATUSES, "milestone status")

    @property
    def is_open(self) -> bool:
        return self.status not in ("done", "cancelled")


@dataclass(frozen=True, slots=True)
class ChangePlanSnap:
    id: UUID
    objective: str
    status: str = "draft"
    process_id: UUID | None = None
    milestones: tuple[MilestoneSnap, ...] = ()

    def __post_init__(self) -> None:
        v.check_value(self.status, v.PLAN_STATUSES, "change plan status")

    @property
    def is_open(self) -> bool:
        return self.status not in ("completed", "cancelled")


@dataclass(frozen=True, slots=True)
class VendorAgreementSnap:
    """Ownership clauses as responsible parties; a clause absent from the contract is
    `unspecified`, which is what the rules look for."""

    id: UUID
    vendor: str
    product: str = ""
    starts_on: date | None = None
    ends_on: date | None = None
    covered_process_ids: frozenset[UUID] = frozenset()
    monitoring_party: str = "unspecified"
    incident_response_party: str = "unspecified"
    updates_party: str = "unspecified"
    data_governance_party: str = "unspecified"
    incident_response_hours: float | None = None

    def __post_init__(self) -> None:
        for name, party in self.clause_parties.items():
            v.check_value(party, v.PARTIES, f"{name} party")

    @property
    def clause_parties(self) -> dict[str, str]:
        return {
            "monitoring": self.monitoring_party,
            "incident response": self.incident_response_party,
            "updates": self.updates_party,
            "data governance": self.data_governance_party,
        }

    def in_force(self, as_of: date) -> bool:
        """Not yet started still counts: a signed contract's clauses are what they are."""
        return self.ends_on is None or as_of <= self.ends_on


@dataclass(frozen=True, slots=True)
class ReviewSnap:
    id: UUID
    process_id: UUID
    reviewed_on: date


@dataclass(frozen=True, slots=True)
class IncidentSnap:
    id: UUID
    process_id: UUID
    severity: str
    status: str
    reported_on: date
    escalation_level: int | None = None

    def __post_init__(self) -> None:
        v.check_value(self.severity, v.INCIDENT_SEVERITIES, "incident severity")
        v.check_value(self.status, v.INCIDENT_STATUSES, "incident status")


@dataclass(frozen=True, slots=True)
class KpiSnap:
    id: UUID
    process_id: UUID
    name: str
    target: float | None = None


class RegulatorySnap(NamedTuple):
    """A process's EU AI Act profile (tenants/models/frameworks.py), as lowercase values."""

    process_id: UUID
    client_role: str  # deployer, provider or both
    eu_ai_act_class: str  # prohibited_screened_out, high_risk, transparency, minimal
    annex_iii_area: str | None = None

    @property
    def roles(self) -> frozenset[str]:
        both = frozenset({"deployer", "provider"})
        return both if self.client_role == "both" else frozenset({self.client_role})

    @property
    def is_high_risk(self) -> bool:
        return self.eu_ai_act_class == "high_risk"


@dataclass(frozen=True)
class ClientSnapshot:
    """Everything about one client the rules need. Not slotted so derived indexes can be
    cached per instance (`cached_property` writes to `__dict__`, bypassing frozen)."""

    client_id: UUID
    client_name: str
    as_of: date
    processes: tuple[ProcessSnap, ...] = ()
    owners: tuple[OwnerSnap, ...] = ()
    assignments: tuple[AssignmentSnap, ...] = ()
    assessments: tuple[AssessmentSnap, ...] = ()
    dimensions: tuple[DimensionSnap, ...] = ()
    change_plans: tuple[ChangePlanSnap, ...] = ()
    vendor_agreements: tuple[VendorAgreementSnap, ...] = ()
    reviews: tuple[ReviewSnap, ...] = ()
    incidents: tuple[IncidentSnap, ...] = ()
    kpis: tuple[KpiSnap, ...] = ()
    #: Regulatory profiles of processes that have one (issue 13); others are unclassified.
    regulatory_profiles: tuple[RegulatorySnap, ...] = ()

    # Derived indexes: built once, so every rule stays linear in the snapshot's size.

    @cached_property
    def processes_by_id(self) -> dict[UUID, ProcessSnap]:
        return {p.id: p for p in self.processes}

    @cached_property
    def owners_by_id(self) -> dict[UUID, OwnerSnap]:
        return {o.id: o for o in self.owners}

    @cached_property
    def live_processes(self) -> tuple[ProcessSnap, ...]:
        return tuple(p for p in self.processes if p.is_live)

    @cached_property
    def current_assignments(self) -> tuple[AssignmentSnap, ...]:
        return tuple(a for a in self.assignments if a.is_current(self.as_of))

    @cached_property
    def current_by_process(self) -> Mapping[UUID, tuple[AssignmentSnap, ...]]:
        grouped: dict[UUID, list[AssignmentSnap]] = defaultdict(list)
        for a in self.current_assignments:
            grouped[a.process_id].append(a)
        return {k: tuple(v) for k, v in grouped.items()}

    @cached_property
    def current_by_owner(self) -> Mapping[UUID, tuple[AssignmentSnap, ...]]:
        grouped: dict[UUID, list[AssignmentSnap]] = defaultdict(list)
        for a in self.current_assignments:
            grouped[a.owner_id].append(a)
        return {k: tuple(v) for k, v in grouped.items()}

    def accountable(self, process_id: UUID) -> tuple[AssignmentSnap, ...]:
        """Current accountable assignments of a process (DESIGN: exactly one if live)."""
        return tuple(
            a for a in self.current_by_process.get(process_id, ()) if a.raci_role == "accountable"
        )

    @cached_property
    def latest_assessment_by_owner(self) -> Mapping[UUID, AssessmentSnap]:
        latest: dict[UUID, AssessmentSnap] = {}
        for a in sorted(self.assessments, key=lambda x: (x.assessed_on, str(x.id))):
            latest[a.owner_id] = a
        return latest

    @cached_property
    def last_review_by_process(self) -> Mapping[UUID, date]:
        """Newest of the review rows and the process's own `last_reviewed_at`."""
        last: dict[UUID, date] = {
            p.id: p.last_reviewed_at for p in self.processes if p.last_reviewed_at
        }
        for r in self.reviews:
            if r.process_id not in last or r.reviewed_on > last[r.process_id]:
                last[r.process_id] = r.reviewed_on
        return last

    @cached_property
    def kpis_by_process(self) -> Mapping[UUID, tuple[KpiSnap, ...]]:
        grouped: dict[UUID, list[KpiSnap]] = defaultdict(list)
        for k in self.kpis:
            grouped[k.process_id].append(k)
        return {k: tuple(v) for k, v in grouped.items()}

    @cached_property
    def profile_by_process(self) -> Mapping[UUID, RegulatorySnap]:
        return {r.process_id: r for r in self.regulatory_profiles}
