"""Change management: an active plan exists while AI processes are being introduced, and
its milestones are kept."""

from __future__ import annotations

from collections.abc import Iterator
from uuid import UUID

from jobs.readiness.findings import ObjectType, Pillar, Severity
from jobs.readiness.rules.base import Hit, Said, rule
from jobs.readiness.snapshot import ClientSnapshot


def _client_if_changing(snapshot: ClientSnapshot) -> list[UUID]:
    # Ideas count: planning the change before a pilot starts is the point of the plan.
    active = any(p.lifecycle_stage != "retired" for p in snapshot.processes)
    return [snapshot.client_id] if active else []


def _open_milestone_ids(snapshot: ClientSnapshot) -> list[UUID]:
    return [m.id for c in snapshot.change_plans if c.is_open for m in c.milestones]


@rule(
    id="CHG-001",
    pillar=Pillar.CHANGE_MANAGEMENT,
    checks="Client with AI processes that are not retired but no active change plan.",
    severity=Severity.HIGH,
    weight=60,
    recommendation=(
        "Agree a change-management plan: the stakeholders affected, how and when they are "
        "told, the milestones and how readiness will be measured."
    ),
    traces_to="Plan change management: stakeholders, communication, milestones, readiness.",
    evidences=("ISO42001-6.3", "ISO42001-7.4"),
    scope=_client_if_changing,
)
def no_active_plan(snapshot: ClientSnapshot) -> Iterator[Hit]:
    if _client_if_changing(snapshot) and not any(
        c.status == "active" for c in snapshot.change_plans
    ):
        yield (
            ObjectType.CLIENT,
            snapshot.client_id,
            Said(
                "CHG-001",
                f"{snapshot.client_name} has no active change-management plan.",
                subject=snapshot.client_name,
            ),
        )


@rule(
    id="CHG-002",
    pillar=Pillar.CHANGE_MANAGEMENT,
    checks="Milestone of an open change plan past its due date and not done.",
    severity=Severity.MEDIUM,
    weight=40,
    recommendation=(
        "Complete this milestone or re-plan it with a realistic date, and tell the "
        "stakeholders what changed."
    ),
    traces_to="Plan change management: milestones kept or consciously moved.",
    evidences=("ISO42001-6.3",),
    scope=_open_milestone_ids,
)
def overdue_milestones(snapshot: ClientSnapshot) -> Iterator[Hit]:
    for c in snapshot.change_plans:
        if not c.is_open:
            continue
        for m in c.milestones:
            # Due today is not overdue yet.
            if m.is_open and m.due_on < snapshot.as_of:
                late = (snapshot.as_of - m.due_on).days
                yield (
                    ObjectType.MILESTONE,
                    m.id,
                    f"Milestone {m.title} of plan {c.objective} was due on "
                    f"{m.due_on.isoformat()} ({late} days ago).",
                )
