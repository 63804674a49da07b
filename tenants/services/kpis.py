"""KPIs of a process: targets set by consultants, values reported by client owners."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from tenants.errors import DomainError, ErrorCode, FieldError
from tenants.models import AIProcess, KpiDirection, ProcessKpi
from tenants.services.audit import Actor, record_audit, snapshot
from tenants.services.changes import Changes, Rule, Verify, one_of, text
from tenants.services.persistence import guarded_write, utcnow
from tenants.services.validation import Collector

NAME_INDEX = "uq_process_kpis_process_id_name"
VALUE_LIMIT = 10**14


def _name_taken() -> DomainError:
    return DomainError([FieldError("name", ErrorCode.CONFLICT, "the process has a KPI so named")])


def _number(c: Collector, field: str, value: Decimal) -> Decimal:
    return c.decimal_range(field, value, -VALUE_LIMIT, VALUE_LIMIT, 4)


def _unit(c: Collector, field: str, value: str) -> str | None:
    return c.optional_text(field, value, max_length=50)


def _measured(c: Collector, field: str, measured_at: datetime) -> datetime:
    if measured_at.tzinfo is None:
        c.add(field, "must carry a time zone")
    elif measured_at > utcnow():
        c.add(field, "must not be in the future")
    return measured_at


KPI_CHANGES = Changes(
    ProcessKpi,
    Rule("name", text, nullable=False),
    Rule("unit", _unit),
    Rule("target", _number),
    Rule("direction", one_of(KpiDirection), nullable=False, default=KpiDirection.HIGHER),
    Rule("latest_value", _number),
    Rule("measured_at", _measured),
)


async def _name_in_use(
    session: AsyncSession, *, process_id: uuid.UUID, name: str, exclude: uuid.UUID | None
) -> bool:
    query = select(ProcessKpi.id).where(
        ProcessKpi.process_id == process_id, func.lower(ProcessKpi.name) == name.lower()
    )
    if exclude is not None:
        query = query.where(ProcessKpi.id != exclude)
    return (await session.scalar(query.limit(1))) is not None


def _verify(session: AsyncSession, process_id: uuid.UUID, kpi: ProcessKpi | None) -> Verify:
    """What the rules alone do not see: a value reported in this write needs its time in
    it too (an older value without one stays as it is), and names are unique per process
    regardless of case, which the (case-sensitive) constraint misses; that is asked of the
    database only for an otherwise valid write."""

    async def verify(c: Collector, changes: dict[str, Any]) -> None:
        if changes.get("latest_value") is not None and changes.get("measured_at") is None:
            if kpi is None:
                c.add("measured_at", "is required with a value")
            elif "measured_at" not in changes:
                c.add("measured_at", "is required with a new value")
        name = changes.get("name")
        exclude = None if kpi is None else kpi.id
        if (
            name
            and not c.errors
            and await _name_in_use(session, process_id=process_id, name=name, exclude=exclude)
        ):
            c.errors.extend(_name_taken().errors)

    return verify


async def add_kpi(
    session: AsyncSession, *, actor: Actor, process_id: uuid.UUID, **values: Any
) -> ProcessKpi:
    """Add a KPI to a process from the fields of `KPI_CHANGES`; a value needs its
    measurement time."""
    c = Collector()
    await c.load(session, AIProcess, process_id, "process_id")
    return await KPI_CHANGES.create(
        session,
        actor=actor,
        values=values,
        fixed={"process_id": process_id},
        c=c,
        constraints={NAME_INDEX: _name_taken()},
        verify=_verify(session, process_id, None),
    )


async def update_kpi(
    session: AsyncSession,
    *,
    actor: Actor,
    kpi_id: uuid.UUID,
    expected_version: int,
    **values: Any,
) -> ProcessKpi:
    """Change a KPI; reporting a new value also takes when it was measured."""
    kpi = await KPI_CHANGES.load(session, kpi_id, expected_version=expected_version)
    return await KPI_CHANGES.update(
        session,
        kpi,
        actor=actor,
        values=values,
        constraints={NAME_INDEX: _name_taken()},
        verify=_verify(session, kpi.process_id, kpi),
    )


async def remove_kpi(
    session: AsyncSession, *, actor: Actor, kpi_id: uuid.UUID, expected_version: int
) -> None:
    """Delete a KPI; reviews keep their own snapshot of it and the audit trail its values."""
    kpi = await KPI_CHANGES.load(session, kpi_id, expected_version=expected_version)
    before = snapshot(kpi)
    await record_audit(session, actor=actor, action="delete", obj=kpi, before=before, after=None)
    async with guarded_write(session):
        await session.delete(kpi)
