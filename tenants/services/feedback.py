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
from tenants.services.persistence import apply, guarded_write, load_target, utcnow
from tenants.services.validation import UNSET, Collector, Unset, given

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
        c.add("reviewedOn", "must not be in the future")
    clean_reviewer = c.text("reviewer", reviewer)
    clean_summary = c.text("summary", summary, max_length=5000, multiline=True)
    clean_outcome = c.enum("outcome", ReviewOutcome, outcome)
    c.raise_if_any()
    assert process is not None
    kpis = list(
        await session.scalars(
            select(ProcessKpi).where(ProcessKpi.process_id == process_id).order_by(ProcessKpi.name)
        )
    )
    review = ProcessReview(
        process_id=process_id,
        reviewed_on=reviewed_on,
        reviewer=clean_reviewer,
        summary=clean_summary,
        outcome=clean_outcome,
        kpi_snapshot=_kpi_snapshot(kpis),
    )
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


def _check_level(c: Collector, process: AIProcess | None, level: int) -> int:
    c.int_range("escalationLevel", level, 0, ESCALATION_MAX)
    if process is not None and process.escalation_path and level > _max_level(process):
        c.add("escalationLevel", f"the process's escalation path has {_max_level(process)} levels")
    return level


def _check_times(c: Collector, occurred_at: datetime, resolved_at: datetime | None) -> None:
    now = utcnow()
    if occurred_at.tzinfo is None:
        c.add("occurredAt", "must carry a time zone")
    elif occurred_at > now:
        c.add("occurredAt", "must not be in the future")
    if resolved_at is not None:
        if resolved_at.tzinfo is None:
            c.add("resolvedAt", "must carry a time zone")
        elif occurred_at.tzinfo is not None and resolved_at < occurred_at:
            c.add("resolvedAt", "must not be before the incident occurred")
        elif resolved_at > now:
            c.add("resolvedAt", "must not be in the future")


async def report_incident(
    session: AsyncSession,
    *,
    actor: Actor,
    process_id: uuid.UUID,
    title: str,
    severity: IncidentSeverity,
    occurred_at: datetime,
    description: str | None = None,
    escalation_level: int = 0,
) -> Incident:
    """Report an open incident on a process."""
    c = Collector()
    process = await c.load(session, AIProcess, process_id, "processId")
    incident = Incident(
        process_id=process_id,
        title=c.text("title", title),
        description=c.long_text("description", description),
        severity=c.enum("severity", IncidentSeverity, severity),
        status=IncidentStatus.OPEN,
        escalation_level=_check_level(c, process, escalation_level),
        occurred_at=occurred_at,
    )
    _check_times(c, occurred_at, None)
    c.raise_if_any()
    async with guarded_write(session):
        session.add(incident)
    await finish_write(session, actor=actor, action="create", obj=incident, before=None)
    return incident


async def update_incident(
    session: AsyncSession,
    *,
    actor: Actor,
    incident_id: uuid.UUID,
    expected_version: int,
    title: str | Unset = UNSET,
    description: str | Unset | None = UNSET,
    severity: IncidentSeverity | Unset = UNSET,
    status: IncidentStatus | Unset = UNSET,
    escalation_level: int | Unset = UNSET,
    resolved_at: datetime | Unset | None = UNSET,
) -> Incident:
    """Change an incident; resolving or closing it sets `resolved_at` (now by default)."""
    incident = await load_target(session, Incident, incident_id, expected_version=expected_version)
    process = await session.get(AIProcess, incident.process_id)
    c = Collector()
    changes: dict[str, object] = {}
    if given(title):
        changes["title"] = c.text("title", title)
    if given(description):
        changes["description"] = c.long_text("description", description)
    if given(severity):
        changes["severity"] = c.enum("severity", IncidentSeverity, severity)
    if given(escalation_level):
        changes["escalation_level"] = _check_level(c, process, escalation_level)
    new_status = c.enum("status", IncidentStatus, status) if given(status) else incident.status
    changes["status"] = new_status
    if new_status in _RESOLVED:
        when = resolved_at if given(resolved_at) else incident.resolved_at
        changes["resolved_at"] = when or utcnow()
    else:
        if given(resolved_at) and resolved_at is not None:
            c.add("resolvedAt", "is only set on a resolved or closed incident")
        changes["resolved_at"] = None
    resolved = changes["resolved_at"]
    _check_times(c, incident.occurred_at, resolved if isinstance(resolved, datetime) else None)
    c.raise_if_any()
    before = snapshot(incident)
    async with guarded_write(session):
        apply(incident, changes)
    await finish_write(session, actor=actor, action="update", obj=incident, before=before)
    return incident
