"""Ownership assignments: assign, change, end, hand over; who is accountable now."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql import ColumnElement

from tenants.errors import DomainError, ErrorCode, FieldError
from tenants.models import (
    CURRENT_ACCOUNTABLE_INDEX,
    AIProcess,
    Owner,
    OwnershipAssignment,
    RaciRole,
    Responsibility,
)
from tenants.services.audit import Actor, add_audited, apply_audited
from tenants.services.changes import Changes, Rule, one_of
from tenants.services.persistence import load_target
from tenants.services.validation import Collector

HOURS_MAX = 80
# What update_assignment may change; the role, owner, process and dates are fixed.
_CHANGEABLE = frozenset({"responsibilities", "hours_per_week"})
SECOND_ACCOUNTABLE = "the process already has a current accountable owner; end that first"


def _second_accountable() -> DomainError:
    return DomainError([FieldError("raciRole", ErrorCode.CONFLICT, SECOND_ACCOUNTABLE)])


def in_effect(on: date) -> ColumnElement[bool]:
    """SQL: the assignment is in effect on `on` (starts on or before, ends after)."""
    return and_(
        OwnershipAssignment.starts_on <= on,
        or_(OwnershipAssignment.ends_on.is_(None), OwnershipAssignment.ends_on > on),
    )


def total_hours_per_week(assignments: Iterable[OwnershipAssignment], on: date) -> Decimal:
    """Hours a week of the assignments in effect on `on`."""
    return sum((a.hours_per_week for a in assignments if a.in_effect_on(on)), Decimal(0))


async def current_accountable_process_ids(
    session: AsyncSession, *, process_ids: Sequence[uuid.UUID], on: date | None = None
) -> set[uuid.UUID]:
    """Which of `process_ids` have an accountable assignment in effect on `on` (today)."""
    if not process_ids:
        return set()
    day = on or date.today()
    rows = await session.scalars(
        select(OwnershipAssignment.process_id).where(
            OwnershipAssignment.process_id.in_(process_ids),
            OwnershipAssignment.raci_role == RaciRole.ACCOUNTABLE,
            in_effect(day),
        )
    )
    return set(rows)


async def current_accountable_by_process(
    session: AsyncSession, *, process_ids: Sequence[uuid.UUID], on: date | None = None
) -> dict[uuid.UUID, OwnershipAssignment]:
    """The accountable assignment in effect on `on` (today) of each process that has one."""
    if not process_ids:
        return {}
    day = on or date.today()
    rows = await session.scalars(
        select(OwnershipAssignment)
        .where(
            OwnershipAssignment.process_id.in_(process_ids),
            OwnershipAssignment.raci_role == RaciRole.ACCOUNTABLE,
            in_effect(day),
        )
        .order_by(OwnershipAssignment.starts_on)
    )
    return {a.process_id: a for a in rows}


async def hours_by_owner(
    session: AsyncSession, *, owner_ids: Sequence[uuid.UUID], on: date | None = None
) -> dict[uuid.UUID, Decimal]:
    """Total hours a week of each owner's assignments in effect on `on` (today)."""
    day = on or date.today()
    rows = await session.scalars(
        select(OwnershipAssignment).where(
            OwnershipAssignment.owner_id.in_(owner_ids), in_effect(day)
        )
    )
    totals = dict.fromkeys(owner_ids, Decimal(0))
    for a in rows:
        totals[a.owner_id] += a.hours_per_week
    return totals


def _responsibilities(
    c: Collector, field: str, values: Iterable[Responsibility | str]
) -> list[str]:
    seen: list[str] = []
    for i, value in enumerate(values):
        member = c.enum(f"{field}[{i}]", Responsibility, value)
        if member.value not in seen:
            seen.append(member.value)
    return seen


def _hours(c: Collector, field: str, value: Decimal) -> Decimal:
    return c.decimal_range(field, value, 0, HOURS_MAX, 2)


# The fields an assignment is given. Only an update writes through Changes: assigning is
# audited as `assign` and ending as `end`, and both need the database (the process and
# owner, an accountable assignment already in effect), so those writes stay their own.
ASSIGNMENT_CHANGES = Changes(
    OwnershipAssignment,
    Rule("raci_role", one_of(RaciRole), nullable=False),
    Rule("responsibilities", _responsibilities, nullable=False),
    Rule("hours_per_week", _hours, nullable=False),
    Rule("starts_on", nullable=False),
)


async def _accountable_blocking(
    session: AsyncSession, *, process_id: uuid.UUID, starts_on: date, exclude: uuid.UUID | None
) -> bool:
    """An accountable assignment that is open, or still in effect on `starts_on`."""
    query = select(OwnershipAssignment.id).where(
        OwnershipAssignment.process_id == process_id,
        OwnershipAssignment.raci_role == RaciRole.ACCOUNTABLE,
        or_(OwnershipAssignment.ends_on.is_(None), OwnershipAssignment.ends_on > starts_on),
    )
    if exclude is not None:
        query = query.where(OwnershipAssignment.id != exclude)
    return (await session.scalar(query.limit(1))) is not None


async def assign_owner(
    session: AsyncSession,
    *,
    actor: Actor,
    process_id: uuid.UUID,
    owner_id: uuid.UUID,
    raci_role: RaciRole,
    responsibilities: list[Responsibility],
    hours_per_week: Decimal,
    starts_on: date | None = None,
) -> OwnershipAssignment:
    """Give an owner a RACI role on a process from `starts_on` (today), open-ended."""
    c = Collector()
    fields = ASSIGNMENT_CHANGES.check(
        c,
        {
            "raci_role": raci_role,
            "responsibilities": responsibilities,
            "hours_per_week": hours_per_week,
            "starts_on": date.today() if starts_on is None else starts_on,
        },
    )
    role = fields["raci_role"]
    process = await c.load(session, AIProcess, process_id, "processId")
    owner = await c.load(session, Owner, owner_id, "ownerId")
    if process is not None and owner is not None and owner.client_id != process.client_id:
        c.add("ownerId", "belongs to another client organisation")
    if process is not None and owner is not None and not c.errors:
        duplicate = await session.scalar(
            select(OwnershipAssignment.id)
            .where(
                OwnershipAssignment.process_id == process_id,
                OwnershipAssignment.owner_id == owner_id,
                OwnershipAssignment.raci_role == role,
                OwnershipAssignment.ends_on.is_(None),
            )
            .limit(1)
        )
        if duplicate is not None:
            c.add("ownerId", "already has this role on the process", ErrorCode.CONFLICT)
        elif role is RaciRole.ACCOUNTABLE and await _accountable_blocking(
            session, process_id=process_id, starts_on=fields["starts_on"], exclude=None
        ):
            c.errors.extend(_second_accountable().errors)
    c.raise_if_any()
    assignment = OwnershipAssignment(owner_id=owner_id, process_id=process_id, **fields)
    # The check above can race with a concurrent assignment; the partial unique index
    # is the rule, and its violation becomes the same payload error.
    await add_audited(
        session,
        assignment,
        actor=actor,
        action="assign",
        constraints={CURRENT_ACCOUNTABLE_INDEX: _second_accountable()},
    )
    return assignment


async def update_assignment(
    session: AsyncSession,
    *,
    actor: Actor,
    assignment_id: uuid.UUID,
    expected_version: int,
    **values: Any,
) -> OwnershipAssignment:
    """Change the responsibilities or hours of an assignment that has not ended.

    Null responsibilities are none (an empty list), not a missing value."""
    if set(values) - _CHANGEABLE:
        raise TypeError(f"an assignment changes only {sorted(_CHANGEABLE)}")
    if "responsibilities" in values and values["responsibilities"] is None:
        values["responsibilities"] = []
    ASSIGNMENT_CHANGES.refuse_null(values)
    assignment = await ASSIGNMENT_CHANGES.load(
        session, assignment_id, expected_version=expected_version
    )
    c = Collector()
    if assignment.ends_on is not None:
        c.add("id", "the assignment has ended; assign the owner again instead")
    return await ASSIGNMENT_CHANGES.update(session, assignment, actor=actor, values=values, c=c)


async def end_assignment(
    session: AsyncSession,
    *,
    actor: Actor,
    assignment_id: uuid.UUID,
    expected_version: int,
    ends_on: date | None = None,
) -> OwnershipAssignment:
    """End an assignment on `ends_on` (today; exclusive, equal to `starts_on` cancels it)."""
    ends_on = date.today() if ends_on is None else ends_on
    assignment = await load_target(
        session, OwnershipAssignment, assignment_id, expected_version=expected_version
    )
    c = Collector()
    if assignment.ends_on is not None:
        c.add("id", "the assignment has already ended")
    c.dates_ordered(assignment.starts_on, "endsOn", ends_on)
    c.raise_if_any()
    await apply_audited(session, assignment, {"ends_on": ends_on}, actor=actor, action="end")
    return assignment


async def hand_over_accountability(
    session: AsyncSession,
    *,
    actor: Actor,
    process_id: uuid.UUID,
    to_owner_id: uuid.UUID,
    on: date | None = None,
    responsibilities: list[Responsibility],
    hours_per_week: Decimal,
) -> OwnershipAssignment:
    """End the open accountable assignment of a process on `on` (today) and assign a new
    owner."""
    on = date.today() if on is None else on
    current = await session.scalar(
        select(OwnershipAssignment).where(
            OwnershipAssignment.process_id == process_id,
            OwnershipAssignment.raci_role == RaciRole.ACCOUNTABLE,
            OwnershipAssignment.ends_on.is_(None),
        )
    )
    if current is not None:
        if current.owner_id == to_owner_id:
            raise DomainError.one("ownerId", ErrorCode.VALIDATION, "is already accountable")
        await end_assignment(
            session,
            actor=actor,
            assignment_id=current.id,
            expected_version=current.version,
            ends_on=max(on, current.starts_on),
        )
    return await assign_owner(
        session,
        actor=actor,
        process_id=process_id,
        owner_id=to_owner_id,
        raci_role=RaciRole.ACCOUNTABLE,
        responsibilities=responsibilities,
        hours_per_week=hours_per_week,
        starts_on=max(on, current.starts_on) if current is not None else on,
    )
