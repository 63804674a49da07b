"""Feedback loops: periodic process reviews and incident reports."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import set_committed_value

from tenants.models import (
    AIProcess,
    Incident,
    IncidentSeverity,
    IncidentStatus,
    ProcessKpi,
    ProcessReview,
    ReviewOutcome,
)
from tenants.services.audit import Actor, finish_write, snapshot
from tenants.services.changes import Changes, Rule, Verify, between, long_text, one_of, text
from tenants.services.persistence import guarded_write, utcnow
from tenants.services.validation import TEXT_MAX, UNSET, Collector

ESCALATION_MAX = 100
_RESOLVED = (IncidentStatus.RESOLVED, IncidentStatus.CLOSED)


def _kpi_snapshot(kpis: list[ProcessKpi]) -> list[dict[str, Any]]:
    def num(value: Any) -> str | None:
        return None if value is None else str(value)

    return [
        {
            "name": k.name,
            "unit": k.unit,
            "target": num(k.target),
            "direction": k.direction.value,
            "latest_value": num(k.latest_value),
            "measured_at": k.measured_at.isoformat() if k.measured_at else None,
        }
        for k in kpis
    ]


def _summary(c: Collector, field: str, value: str) -> str:
    return c.text(field, value, max_length=TEXT_MAX, multiline=True)


# What a review records; Changes only checks it: a review is audited as `record`, and it
# moves its process's review date, so the write is record_process_review's own.
REVIEW_CHANGES = Changes(
    ProcessReview,
    Rule("reviewed_on", nullable=False),
    Rule("reviewer", text, nullable=False),
    Rule("summary", _summary, nullable=False),
    Rule("outcome", one_of(ReviewOutcome), nullable=False),
)


async def record_process_review(
    session: AsyncSession,
    *,
    actor: Actor,
    process_id: uuid.UUID,
    reviewed_on: date,
    reviewer: str,
    summary: str,
    outcome: ReviewOutcome,
    today: date | None = None,
) -> ProcessReview:
    """Record a performance review with a snapshot of the KPIs; moves `last_reviewed_at`.

    A review is not an edit of the process: `last_reviewed_at` moves without bumping its
    `version` or `updated_at`, so an edit form opened before the review still saves.
    """
    c = Collector()
    process = await c.load(session, AIProcess, process_id, "processId")
    if reviewed_on > (today or date.today()):
        c.add("reviewed_on", "must not be in the future")
    checked = REVIEW_CHANGES.checked_or_raise(
        {"reviewed_on": reviewed_on, "reviewer": reviewer, "summary": summary, "outcome": outcome},
        c=c,
    )
    assert process is not None
    kpis = list(
        await session.scalars(
            select(ProcessKpi).where(ProcessKpi.process_id == process_id).order_by(ProcessKpi.name)
        )
    )
    review = ProcessReview(process_id=process_id, kpi_snapshot=_kpi_snapshot(kpis), **checked)
    reviewed_at = datetime.combine(reviewed_on, time.min, tzinfo=UTC)
    process_before = snapshot(process)
    moved = process.last_reviewed_at is None or process.last_reviewed_at < reviewed_at
    async with guarded_write(session):
        session.add(review)
        if moved:
            await _move_last_reviewed(session, process, reviewed_at)
    await finish_write(session, actor=actor, action="record", obj=review, before=None)
    if moved:
        await finish_write(
            session, actor=actor, action="review", obj=process, before=process_before
        )
    return review


async def _move_last_reviewed(
    session: AsyncSession, process: AIProcess, reviewed_at: datetime
) -> None:
    """An UPDATE beside the ORM: a flush of `process` would bump its version.

    GREATEST keeps the later date when two reviews of one process commit together;
    `updated_at` is set to itself, or its onupdate would move it.
    """
    latest = await session.scalar(
        update(AIProcess)
        .where(AIProcess.id == process.id)
        .values(
            last_reviewed_at=func.greatest(AIProcess.last_reviewed_at, reviewed_at),
            updated_at=AIProcess.updated_at,
        )
        .returning(AIProcess.last_reviewed_at)
        .execution_options(synchronize_session=False)
    )
    set_committed_value(process, "last_reviewed_at", latest)


def _max_level(process: AIProcess) -> int:
    return max((int(lv["level"]) for lv in process.escalation_path), default=0)


INCIDENT_CHANGES = Changes(
    Incident,
    Rule("title", text, nullable=False),
    Rule("description", long_text),
    Rule("severity", one_of(IncidentSeverity), nullable=False),
    Rule("escalation_level", between(0, ESCALATION_MAX), nullable=False, default=0),
    Rule("status", one_of(IncidentStatus), nullable=False, default=IncidentStatus.OPEN),
    Rule("occurred_at", nullable=False),
    Rule("resolved_at"),
)


def _check_times(c: Collector, occurred_at: datetime, resolved_at: datetime | None) -> None:
    now = utcnow()
    if occurred_at.tzinfo is None:
        c.add("occurred_at", "must carry a time zone")
    elif occurred_at > now:
        c.add("occurred_at", "must not be in the future")
    if resolved_at is not None:
        if resolved_at.tzinfo is None:
            c.add("resolved_at", "must carry a time zone")
        elif occurred_at.tzinfo is not None and resolved_at < occurred_at:
            c.add("resolved_at", "must not be before the incident occurred")
        elif resolved_at > now:
            c.add("resolved_at", "must not be in the future")


def _verify(
    process: AIProcess | None, occurred_at: datetime | None, *, misplaced_resolution: bool
) -> Verify:
    """What the rules cannot see: the process's escalation path, and the times against now."""

    async def verify(c: Collector, changes: dict[str, Any]) -> None:
        level = changes.get("escalation_level")
        if (
            isinstance(level, int)
            and process is not None
            and process.escalation_path
            and level > _max_level(process)
        ):
            c.add(
                "escalation_level",
                f"the process's escalation path has {_max_level(process)} levels",
            )
        if misplaced_resolution:
            c.add("resolved_at", "is only set on a resolved or closed incident")
        when = changes.get("occurred_at", occurred_at)
        if when is not None:
            _check_times(c, when, changes.get("resolved_at"))

    return verify


async def report_incident(
    session: AsyncSession, *, actor: Actor, process_id: uuid.UUID, **values: Any
) -> Incident:
    """Report an open incident on a process from the fields of `INCIDENT_CHANGES`."""
    if {"status", "resolved_at"} & set(values):
        raise TypeError("an incident is reported OPEN; update it to resolve it")
    c = Collector()
    process = await c.load(session, AIProcess, process_id, "processId")
    return await INCIDENT_CHANGES.create(
        session,
        actor=actor,
        values=values,
        fixed={"process_id": process_id},
        c=c,
        verify=_verify(process, None, misplaced_resolution=False),
    )


def _status_after(incident: Incident, values: dict[str, Any]) -> IncidentStatus:
    """The status the update leaves (an invalid or null one is the status rule's error)."""
    try:
        return IncidentStatus(values.get("status") or incident.status)
    except ValueError:
        return incident.status


async def update_incident(
    session: AsyncSession,
    *,
    actor: Actor,
    incident_id: uuid.UUID,
    expected_version: int,
    **values: Any,
) -> Incident:
    """Change an incident; resolving or closing it sets `resolved_at` (now by default),
    reopening it clears it."""
    if "occurred_at" in values:
        raise TypeError("when an incident occurred cannot change")
    INCIDENT_CHANGES.refuse_null(values)
    incident = await INCIDENT_CHANGES.load(session, incident_id, expected_version=expected_version)
    process = await session.get(AIProcess, incident.process_id)
    resolved = _status_after(incident, values) in _RESOLVED
    given_resolution = values.get("resolved_at", UNSET)
    if resolved:
        when = incident.resolved_at if given_resolution is UNSET else given_resolution
        resolved_at = when or utcnow()
    else:
        resolved_at = None
    return await INCIDENT_CHANGES.update(
        session,
        incident,
        actor=actor,
        values={**values, "resolved_at": resolved_at},
        verify=_verify(
            process,
            incident.occurred_at,
            misplaced_resolution=not resolved and given_resolution not in (UNSET, None),
        ),
    )
