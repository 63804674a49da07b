"""Declarative shapes of the demo engagement: one `ClientSpec` per client organisation.

Dates are whole-day offsets from the seed's "today" (negative is in the past), so the
same seed yields overdue milestones, stale reviews and expiring agreements whenever it
runs. Objects refer to each other by short keys local to their client. The clients themselves
are data (tenants/demo_data/*.toml, read by `reading`), keyed by these field names.
"""

from __future__ import annotations

from dataclasses import dataclass

from tenants import models as m
from tenants.services.change_plans import Stakeholder
from tenants.services.vendors import Clause


@dataclass(frozen=True, slots=True)
class OwnerSpec:
    key: str
    name: str
    email: str
    title: str
    business_unit: str
    authority: m.DecisionAuthority
    # Left the client: archived once their assignments have ended or been handed over.
    leaves: bool = False


@dataclass(frozen=True, slots=True)
class KpiSpec:
    name: str
    unit: str | None
    target: str | None
    direction: m.KpiDirection = m.KpiDirection.HIGHER
    latest: str | None = None
    measured: int = -3


@dataclass(frozen=True, slots=True)
class ProcessSpec:
    key: str
    name: str
    purpose: str
    business_unit: str
    stage: m.LifecycleStage
    tier: m.RiskTier
    steps: tuple[m.WorkflowStep, ...] = ()
    upstream: tuple[str, ...] = ()
    downstream: tuple[str, ...] = ()
    inputs: tuple[str, ...] = ()
    outputs: tuple[str, ...] = ()
    checkpoints: tuple[m.Checkpoint, ...] = ()
    escalation: tuple[m.EscalationLevel, ...] = ()
    tools: tuple[m.Tool, ...] = ()
    kpis: tuple[KpiSpec, ...] = ()


@dataclass(frozen=True, slots=True)
class AssignmentSpec:
    owner: str
    process: str
    role: m.RaciRole
    duties: tuple[m.Responsibility, ...]
    hours: str
    start: int
    end: int | None = None


@dataclass(frozen=True, slots=True)
class HandoverSpec:
    """Ends the process's open accountable assignment on `on` and assigns `to_owner`."""

    process: str
    to_owner: str
    on: int
    duties: tuple[m.Responsibility, ...]
    hours: str


@dataclass(frozen=True, slots=True)
class AssessmentSpec:
    owner: str
    on: int
    assessor: str
    # Dimension key -> score 1..5.
    scores: tuple[tuple[str, int], ...]
    notes: str | None = None
    training: str | None = None


@dataclass(frozen=True, slots=True)
class MilestoneSpec:
    title: str
    due: int | None
    status: m.MilestoneStatus = m.MilestoneStatus.PLANNED
    completed: int | None = None


@dataclass(frozen=True, slots=True)
class PlanSpec:
    objective: str
    process: str | None
    stakeholders: tuple[Stakeholder, ...]
    communication: str
    readiness: int
    status: m.ChangePlanStatus
    due: int | None
    milestones: tuple[MilestoneSpec, ...] = ()


@dataclass(frozen=True, slots=True)
class AgreementSpec:
    vendor: str
    product: str
    starts: int | None
    ends: int | None
    renewal: int | None
    processes: tuple[str, ...]
    auto_renews: bool = False
    monitoring: Clause | None = None
    incident_response: Clause | None = None
    incident_hours: int | None = None
    updates: Clause | None = None
    data_governance: Clause | None = None


@dataclass(frozen=True, slots=True)
class ReviewSpec:
    process: str
    on: int
    reviewer: str
    summary: str
    outcome: m.ReviewOutcome


@dataclass(frozen=True, slots=True)
class IncidentSpec:
    process: str
    title: str
    severity: m.IncidentSeverity
    occurred: int
    description: str
    escalation_level: int = 0
    status: m.IncidentStatus = m.IncidentStatus.OPEN
    resolved: int | None = None


@dataclass(frozen=True, slots=True)
class ClientSpec:
    name: str
    industry: str
    size: m.ClientSize
    region: str
    status: m.EngagementStatus
    engagement_start: int
    engagement_end: int | None
    lead_consultant: str
    owners: tuple[OwnerSpec, ...]
    processes: tuple[ProcessSpec, ...]
    assignments: tuple[AssignmentSpec, ...] = ()
    handovers: tuple[HandoverSpec, ...] = ()
    assessments: tuple[AssessmentSpec, ...] = ()
    plans: tuple[PlanSpec, ...] = ()
    agreements: tuple[AgreementSpec, ...] = ()
    reviews: tuple[ReviewSpec, ...] = ()
    incidents: tuple[IncidentSpec, ...] = ()
