"""Change plans and their milestones."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, and_, select
from sqlalchemy.ext.asyncio import AsyncSession

from tenants.models import AIProcess, ChangePlan, ChangePlanStatus, ClientOrganisation, Milestone
from tenants.models import MilestoneStatus as MS
from tenants.services.audit import Actor, finish_write, record_audit, snapshot
from tenants.services.persistence import apply, guarded_write, load_target
from tenants.services.validation import LIST_MAX, UNSET, Collector, Unset, given


@dataclass(frozen=True, slots=True)
class Stakeholder:
    name: str
    role: str | None = None
    impact: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "role": self.role, "impact": self.impact}


def overdue_condition(day: date) -> ColumnElement[bool]:
    """SQL: Milestone.overdue_on(day), false (never null) when there is no due date."""
    return and_(
        Milestone.due_on.is_not(None),
        Milestone.due_on < day,
        Milestone.status.not_in([MS.COMPLETED, MS.CANCELLED]),
    )


def overdue_milestones(milestones: Iterable[Milestone], today: date) -> list[Milestone]:
    """Milestones due before `today` that are neither completed nor cancelled."""
    return [m for m in milestones if m.overdue_on(today)]


async def overdue_by_plan(
    session: AsyncSession, *, plan_ids: Sequence[uuid.UUID], today: date | None = None
) -> dict[uuid.UUID, list[Milestone]]:
    """Overdue milestones of several plans in one statement (for a DataLoader)."""
    day = today or date.today()
    rows = await session.scalars(
        select(Milestone)
        .where(Milestone.plan_id.in_(plan_ids), overdue_condition(day))
        .order_by(Milestone.position, Milestone.id)
    )
    out: dict[uuid.UUID, list[Milestone]] = {pid: [] for pid in plan_ids}
    for m in rows:
        out[m.plan_id].append(m)
    return out


def _stakeholders(c: Collector, values: Sequence[Stakeholder]) -> list[dict[str, Any]]:
    if len(values) > LIST_MAX:
        c.add("stakeholders", f"must have at most {LIST_MAX} items")
        return []
    return [
        Stakeholder(
            name=c.text(f"stakeholders[{i}].name", s.name),
            role=c.optional_text(f"stakeholders[{i}].role", s.role),
            impact=c.long_text(f"stakeholders[{i}].impact", s.impact),
        ).to_json()
        for i, s in enumerate(values)
    ]


async def _check_process(
    c: Collector, session: AsyncSession, process_id: uuid.UUID | None, client_id: uuid.UUID
) -> None:
    process = await c.load(session, AIProcess, process_id, "processId")
    if process is not None and process.client_id != client_id:
        c.add("processId", "belongs to another client organisation")


async def create_change_plan(
    session: AsyncSession,
    *,
    actor: Actor,
    client_id: uuid.UUID,
    objective: str,
    process_id: uuid.UUID | None = None,
    stakeholders: Sequence[Stakeholder] = (),
    communication_plan: str | None = None,
    readiness: int = 0,
    status: ChangePlanStatus = ChangePlanStatus.DRAFT,
    due_on: date | None = None,
) -> ChangePlan:
    """Create a change plan for a client, optionally about one of its processes."""
    c = Collector()
    await c.load(session, ClientOrganisation, client_id, "clientOrganisationId")
    await _check_process(c, session, process_id, client_id)
    plan = ChangePlan(
        client_id=client_id,
        process_id=process_id,
        objective=c.text("objective", objective, max_length=5000, multiline=True),
        stakeholders=_stakeholders(c, stakeholders),
        communication_plan=c.long_text("communicationPlan", communication_plan),
        readiness=c.int_range("readiness", readiness, 0, 100),
        status=c.enum("status", ChangePlanStatus, status),
        due_on=due_on,
    )
    c.raise_if_any()
    async with guarded_write(session):
        session.add(plan)
    await finish_write(session, actor=actor, action="create", obj=plan, before=None)
    return plan


async def update_change_plan(
    session: AsyncSession,
    *,
    actor: Actor,
    plan_id: uuid.UUID,
    expected_version: int,
    objective: str | Unset = UNSET,
    process_id: uuid.UUID | Unset | None = UNSET,
    stakeholders: Sequence[Stakeholder] | Unset = UNSET,
    communication_plan: str | Unset | None = UNSET,
    readiness: int | Unset = UNSET,
    status: ChangePlanStatus | Unset = UNSET,
    due_on: date | Unset | None = UNSET,
) -> ChangePlan:
    """Change the given fields of a change plan."""
    plan = await load_target(session, ChangePlan, plan_id, expected_version=expected_version)
    c = Collector()
    changes: dict[str, object] = {}
    if given(objective):
        changes["objective"] = c.text("objective", objective, max_length=5000, multiline=True)
    if given(process_id):
        await _check_process(c, session, process_id, plan.client_id)
        changes["process_id"] = process_id
    if given(stakeholders):
        changes["stakeholders"] = _stakeholders(c, stakeholders)
    if given(communication_plan):
        changes["communication_plan"] = c.long_text("communicationPlan", communication_plan)
    if given(readiness):
        changes["readiness"] = c.int_range("readiness", readiness, 0, 100)
    if given(status):
        changes["status"] = c.enum("status", ChangePlanStatus, status)
    if given(due_on):
        changes["due_on"] = due_on
    c.raise_if_any()
    before = snapshot(plan)
    async with guarded_write(session):
        apply(plan, changes)
    await finish_write(session, actor=actor, action="update", obj=plan, before=before)
    return plan


def _completion(c: Collector, status: MS, completed_on: date | None, today: date) -> date | None:
    """`completed_on` is set exactly when completed; it defaults to today."""
    if status is MS.COMPLETED:
        done = completed_on or today
        if done > today:
            c.add("completedOn", "must not be in the future")
        return done
    if completed_on is not None:
        c.add("completedOn", "is only set on a completed milestone")
    return None


async def add_milestone(
    session: AsyncSession,
    *,
    actor: Actor,
    plan_id: uuid.UUID,
    title: str,
    due_on: date | None = None,
    status: MS = MS.PLANNED,
    completed_on: date | None = None,
    position: int | None = None,
    today: date | None = None,
) -> Milestone:
    """Add a milestone to a plan (last, unless a position is given)."""
    c = Collector()
    plan = await c.load(session, ChangePlan, plan_id, "planId")
    clean_title = c.text("title", title)
    clean_status = c.enum("status", MS, status)
    done = _completion(c, clean_status, completed_on, today or date.today())
    if position is not None:
        c.int_range("position", position, 0, 10_000)
    c.raise_if_any()
    assert plan is not None
    if position is None:
        last = await session.scalar(
            select(Milestone.position)
            .where(Milestone.plan_id == plan_id)
            .order_by(Milestone.position.desc())
            .limit(1)
        )
        position = 0 if last is None else last + 1
    milestone = Milestone(
        plan_id=plan_id,
        title=clean_title,
        due_on=due_on,
        status=clean_status,
        completed_on=done,
        position=position,
    )
    async with guarded_write(session):
        session.add(milestone)
    await finish_write(session, actor=actor, action="create", obj=milestone, before=None)
    return milestone


async def update_milestone(
    session: AsyncSession,
    *,
    actor: Actor,
    milestone_id: uuid.UUID,
    expected_version: int,
    title: str | Unset = UNSET,
    due_on: date | Unset | None = UNSET,
    status: MS | Unset = UNSET,
    completed_on: date | Unset | None = UNSET,
    position: int | Unset = UNSET,
    today: date | None = None,
) -> Milestone:
    """Change a milestone; completing it without a date completes it today."""
    milestone = await load_target(
        session, Milestone, milestone_id, expected_version=expected_version
    )
    c = Collector()
    changes: dict[str, object] = {}
    if given(title):
        changes["title"] = c.text("title", title)
    if given(due_on):
        changes["due_on"] = due_on
    if given(position):
        changes["position"] = c.int_range("position", position, 0, 10_000)
    if given(status) or given(completed_on):
        new_status = c.enum("status", MS, status) if given(status) else milestone.status
        if given(completed_on):
            stated = completed_on
        elif new_status is MS.COMPLETED:
            stated = milestone.completed_on
        else:
            stated = None
        changes["status"] = new_status
        changes["completed_on"] = _completion(c, new_status, stated, today or date.today())
    c.raise_if_any()
    before = snapshot(milestone)
    async with guarded_write(session):
        apply(milestone, changes)
    await finish_write(session, actor=actor, action="update", obj=milestone, before=before)
    return milestone


async def delete_milestone(
    session: AsyncSession, *, actor: Actor, milestone_id: uuid.UUID, expected_version: int
) -> None:
    """Delete a milestone; the audit trail keeps its last values (the others keep their order)."""
    milestone = await load_target(
        session, Milestone, milestone_id, expected_version=expected_version
    )
    await record_audit(
        session,
        actor=actor,
        action="delete",
        obj=milestone,
        before=snapshot(milestone),
        after=None,
    )
    async with guarded_write(session):
        await session.delete(milestone)
