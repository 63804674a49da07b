"""Change plans and their milestones."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, and_, select
from sqlalchemy.ext.asyncio import AsyncSession

from tenants.models import AIProcess, ChangePlan, ChangePlanStatus, ClientOrganisation, Milestone
from tenants.models import MilestoneStatus as MS
from tenants.models.process_shapes import JsonShape
from tenants.services.audit import Actor, record_audit, snapshot
from tenants.services.changes import Changes, Rule, between, long_text, one_of, text
from tenants.services.persistence import guarded_write
from tenants.services.validation import LIST_MAX, TEXT_MAX, Collector


@dataclass(frozen=True, slots=True)
class Stakeholder(JsonShape):
    name: str
    role: str | None = None
    impact: str | None = None


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


def _stakeholders(c: Collector, field: str, values: Sequence[Stakeholder]) -> list[dict[str, Any]]:
    if len(values) > LIST_MAX:
        c.add(field, f"must have at most {LIST_MAX} items")
        return []
    return [
        Stakeholder(
            name=c.text(f"{field}[{i}].name", s.name),
            role=c.optional_text(f"{field}[{i}].role", s.role),
            impact=c.long_text(f"{field}[{i}].impact", s.impact),
        ).to_json()
        for i, s in enumerate(values)
    ]


def _objective(c: Collector, field: str, value: str) -> str:
    # Required like a name, but as long and multi-line as a free-text field.
    return c.text(field, value, max_length=TEXT_MAX, multiline=True)


PLAN_CHANGES = Changes(
    ChangePlan,
    Rule("objective", _objective, nullable=False),
    # Whether the process is the plan's client's needs the database: `_check_process`.
    Rule("process_id"),
    Rule("stakeholders", _stakeholders, nullable=False, default=()),
    Rule("communication_plan", long_text),
    Rule("readiness", between(0, 100), nullable=False, default=0),
    Rule("status", one_of(ChangePlanStatus), nullable=False, default=ChangePlanStatus.DRAFT),
    Rule("due_on"),
)


async def _check_process(
    c: Collector, session: AsyncSession, process_id: uuid.UUID | None, client_id: uuid.UUID
) -> None:
    process = await c.load(session, AIProcess, process_id, "process_id")
    if process is not None and process.client_id != client_id:
        c.add("process_id", "belongs to another client organisation")


async def create_change_plan(
    session: AsyncSession, *, actor: Actor, client_id: uuid.UUID, **values: Any
) -> ChangePlan:
    """Create a change plan for a client (optionally about one of its processes) from the
    fields of `PLAN_CHANGES`."""
    c = Collector()
    await c.load(session, ClientOrganisation, client_id, "client_organisation_id")
    await _check_process(c, session, values.get("process_id"), client_id)
    return await PLAN_CHANGES.create(
        session, actor=actor, values=values, fixed={"client_id": client_id}, c=c
    )


async def update_change_plan(
    session: AsyncSession,
    *,
    actor: Actor,
    plan_id: uuid.UUID,
    expected_version: int,
    **values: Any,
) -> ChangePlan:
    """Change the given fields of a change plan."""
    plan = await PLAN_CHANGES.load(session, plan_id, expected_version=expected_version)
    c = Collector()
    if "process_id" in values:
        await _check_process(c, session, values["process_id"], plan.client_id)
    return await PLAN_CHANGES.update(session, plan, actor=actor, values=values, c=c)


MILESTONE_CHANGES = Changes(
    Milestone,
    Rule("title", text, nullable=False),
    Rule("due_on"),
    Rule("status", one_of(MS), nullable=False, default=MS.PLANNED),
    # Follows the status (`_with_completion`), which needs today's date.
    Rule("completed_on"),
    # A create without one is placed last (`_next_position`), which needs the database.
    Rule("position", between(0, 10_000), nullable=False),
)


def _completion(c: Collector, status: MS, completed_on: date | None, today: date) -> date | None:
    """`completed_on` is set exactly when completed; it defaults to today."""
    if status is MS.COMPLETED:
        done = completed_on or today
        if done > today:
            c.add("completed_on", "must not be in the future")
        return done
    if completed_on is not None:
        c.add("completed_on", "is only set on a completed milestone")
    return None


def _status_of(value: object) -> MS | None:
    try:
        return MS(value)  # type: ignore[arg-type]
    except (ValueError, TypeError):
        return None


def _with_completion(
    c: Collector, values: Mapping[str, Any], current: Milestone | None, today: date
) -> dict[str, Any]:
    """`values` with the `completed_on` its status implies, when a create or an update of
    the status or the date (an update of neither leaves both as they are)."""
    out = dict(values)
    if current is not None and not {"status", "completed_on"} & out.keys():
        return out
    if current is None:
        status = _status_of(out.get("status") or MS.PLANNED)
    else:
        status = _status_of(out["status"]) if "status" in out else current.status
    if status is None:
        return out  # `MILESTONE_CHANGES` refuses the status; no completion follows from it
    if "completed_on" in out:
        stated = out["completed_on"]
    elif current is not None and status is MS.COMPLETED:
        stated = current.completed_on  # completing again keeps the date it has
    else:
        stated = None
    out["completed_on"] = _completion(c, status, stated, today)
    return out


async def _next_position(session: AsyncSession, plan_id: uuid.UUID) -> int:
    last = await session.scalar(
        select(Milestone.position)
        .where(Milestone.plan_id == plan_id)
        .order_by(Milestone.position.desc())
        .limit(1)
    )
    return 0 if last is None else last + 1


async def add_milestone(
    session: AsyncSession,
    *,
    actor: Actor,
    plan_id: uuid.UUID,
    today: date | None = None,
    **values: Any,
) -> Milestone:
    """Add a milestone to a plan (last, unless a position is given) from the fields of
    `MILESTONE_CHANGES`."""
    c = Collector()
    await c.load(session, ChangePlan, plan_id, "plan_id")
    values = _with_completion(c, values, None, today or date.today())
    if values.get("position") is None:
        values["position"] = await _next_position(session, plan_id)
    return await MILESTONE_CHANGES.create(
        session, actor=actor, values=values, fixed={"plan_id": plan_id}, c=c
    )


async def update_milestone(
    session: AsyncSession,
    *,
    actor: Actor,
    milestone_id: uuid.UUID,
    expected_version: int,
    today: date | None = None,
    **values: Any,
) -> Milestone:
    """Change a milestone; completing it without a date completes it today."""
    milestone = await MILESTONE_CHANGES.load(
        session, milestone_id, expected_version=expected_version
    )
    c = Collector()
    values = _with_completion(c, values, milestone, today or date.today())
    return await MILESTONE_CHANGES.update(session, milestone, actor=actor, values=values, c=c)


async def delete_milestone(
    session: AsyncSession, *, actor: Actor, milestone_id: uuid.UUID, expected_version: int
) -> None:
    """Delete a milestone; the audit trail keeps its last values (the others keep their order)."""
    milestone = await MILESTONE_CHANGES.load(
        session, milestone_id, expected_version=expected_version
    )
    # Its own audit action, and a row gone rather than archived: not a `Changes` write.
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
