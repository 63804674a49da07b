"""A small builder for readiness snapshots, so each test states only what it is about.

    b = SnapshotBuilder()
    p = b.process(stage="production", risk="high")
    o = b.owner(authority="full")
    b.assign(o, p, hours=5)
    snap = b.build()

Defaults make a *healthy* live process easy: `b.healthy_process()` passes every rule.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from uuid import UUID, uuid4

from jobs.readiness.snapshot import (
    AssessmentSnap,
    AssignmentSnap,
    ChangePlanSnap,
    ClientSnapshot,
    DimensionSnap,
    IncidentSnap,
    KpiSnap,
    MilestoneSnap,
    OwnerSnap,
    ProcessSnap,
    ReviewSnap,
    ToolSnap,
    VendorAgreementSnap,
)
from jobs.readiness.values import RESPONSIBILITIES

AS_OF = date(2026, 6, 1)
ALL_DUTIES = frozenset(RESPONSIBILITIES)
DEFAULT_DIMENSIONS = (
    DimensionSnap("ai_fundamentals", "AI fundamentals", 3),
    DimensionSnap("data_interpretation", "Data interpretation", 3),
    DimensionSnap("operational_management", "Operational management", 3),
)


class SnapshotBuilder:
    def __init__(self, as_of: date = AS_OF, client_name: str = "Acme Insurance") -> None:
        self.as_of = as_of
        self.client_id = uuid4()
        self.client_name = client_name
        self.processes: list[ProcessSnap] = []
        self.owners: list[OwnerSnap] = []
        self.assignments: list[AssignmentSnap] = []
        self.assessments: list[AssessmentSnap] = []
        self.dimensions: list[DimensionSnap] = list(DEFAULT_DIMENSIONS)
        self.change_plans: list[ChangePlanSnap] = []
        self.agreements: list[VendorAgreementSnap] = []
        self.reviews: list[ReviewSnap] = []
        self.incidents: list[IncidentSnap] = []
        self.kpis: list[KpiSnap] = []

    def days_ago(self, n: int) -> date:
        return self.as_of - timedelta(days=n)

    def process(
        self,
        name: str = "Invoice processing",
        *,
        stage: str = "production",
        risk: str = "low",
        purpose: str = "",
        unit: str = "Finance",
        documented: bool = True,
        checkpoints: int = 1,
        escalation: int = 1,
        tools: tuple[ToolSnap, ...] = (),
        reviewed_days_ago: int | None = None,
    ) -> ProcessSnap:
        p = ProcessSnap(
            id=uuid4(),
            name=name,
            purpose=purpose,
            business_unit=unit,
            lifecycle_stage=stage,
            risk_tier=risk,
            step_count=3 if documented else 0,
            upstream_count=1,
            downstream_count=1,
            data_input_count=2 if documented else 0,
            output_count=1 if documented else 0,
            checkpoint_count=checkpoints,
            escalation_level_count=escalation,
            tools=tools,
            last_reviewed_at=None
            if reviewed_days_ago is None
            else self.days_ago(reviewed_days_ago),
        )
        self.processes.append(p)
        return p

    def owner(self, name: str = "Dana Head", *, authority: str = "full") -> OwnerSnap:
        o = OwnerSnap(id=uuid4(), name=name, title="Head", decision_authority=authority)
        self.owners.append(o)
        return o

    def assign(
        self,
        owner: OwnerSnap,
        process: ProcessSnap,
        *,
        role: str = "accountable",
        hours: float = 10,
        duties: frozenset[str] = ALL_DUTIES,
        starts_days_ago: int = 100,
        ends_on: date | None = None,
    ) -> AssignmentSnap:
        a = AssignmentSnap(
            id=uuid4(),
            owner_id=owner.id,
            process_id=process.id,
            raci_role=role,
            starts_on=self.days_ago(starts_days_ago),
            ends_on=ends_on,
            hours_per_week=hours,
            responsibilities=duties,
        )
        self.assignments.append(a)
        return a

    def assess(self, owner: OwnerSnap, *, days_ago: int = 30, **scores: int) -> AssessmentSnap:
        values = {d.key: 4 for d in DEFAULT_DIMENSIONS} | scores
        a = AssessmentSnap(
            id=uuid4(), owner_id=owner.id, assessed_on=self.days_ago(days_ago), scores=values
        )
        self.assessments.append(a)
        return a

    def review(self, process: ProcessSnap, *, days_ago: int = 10) -> ReviewSnap:
        r = ReviewSnap(id=uuid4(), process_id=process.id, reviewed_on=self.days_ago(days_ago))
        self.reviews.append(r)
        return r

    def kpi(
        self, process: ProcessSnap, name: str = "Error rate", target: float | None = 0.02
    ) -> KpiSnap:
        k = KpiSnap(id=uuid4(), process_id=process.id, name=name, target=target)
        self.kpis.append(k)
        return k

    def plan(
        self, *, status: str = "active", milestones: tuple[MilestoneSnap, ...] = ()
    ) -> ChangePlanSnap:
        c = ChangePlanSnap(
            id=uuid4(), objective="Roll out ownership", status=status, milestones=milestones
        )
        self.change_plans.append(c)
        return c

    def milestone(
        self, title: str = "Train owners", *, due_in_days: int = 10, status: str = "planned"
    ) -> MilestoneSnap:
        return MilestoneSnap(
            id=uuid4(), title=title, due_on=self.as_of + timedelta(days=due_in_days), status=status
        )

    def agreement(self, vendor: str, *processes: ProcessSnap, **kw: Any) -> VendorAgreementSnap:
        fields: dict[str, Any] = {
            "monitoring_party": "shared",
            "incident_response_party": "vendor",
            "updates_party": "vendor",
            "data_governance_party": "client",
            "incident_response_hours": 4.0,
        } | kw
        a = VendorAgreementSnap(
            id=uuid4(),
            vendor=vendor,
            product="Product",
            covered_process_ids=frozenset(p.id for p in processes),
            **fields,
        )
        self.agreements.append(a)
        return a

    def healthy_process(
        self, name: str = "Invoice processing", **kw: Any
    ) -> tuple[ProcessSnap, OwnerSnap]:
        """A live process that passes every rule: owned, reviewed, measured, assessed."""
        kw.setdefault("reviewed_days_ago", 10)
        p = self.process(name, **kw)
        o = self.owner(f"Owner of {name}")
        self.assign(o, p, hours=10)
        self.assess(o)
        self.kpi(p)
        return p, o

    def ensure_plan(self) -> None:
        if not any(c.status == "active" for c in self.change_plans):
            self.plan()

    def build(self) -> ClientSnapshot:
        return ClientSnapshot(
            client_id=self.client_id,
            client_name=self.client_name,
            as_of=self.as_of,
            processes=tuple(self.processes),
            owners=tuple(self.owners),
            assignments=tuple(self.assignments),
            assessments=tuple(self.assessments),
            dimensions=tuple(self.dimensions),
            change_plans=tuple(self.change_plans),
            vendor_agreements=tuple(self.agreements),
            reviews=tuple(self.reviews),
            incidents=tuple(self.incidents),
            kpis=tuple(self.kpis),
        )


def ids(findings: list[Any], rule_id: str | None = None) -> set[UUID]:
    """Object ids of findings, optionally of one rule."""
    return {f.object_id for f in findings if rule_id is None or f.rule_id == rule_id}
