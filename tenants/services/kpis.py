"""KPIs of a process: targets set by consultants, values reported by client owners."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from tenants.errors import DomainError, ErrorCode, FieldError
from tenants.models import AIProcess, KpiDirection, ProcessKpi
from tenants.services.audit import Actor, finish_write, record_audit, snapshot
from tenants.services.persistence import apply, guarded_write, load_target, utcnow
from tenants.services.validation import UNSET, Collector, Unset, given

NAME_INDEX = "uq_process_kpis_process_id_name"
VALUE_LIMIT = 10**14


def _name_taken() -> DomainError:
    return DomainError([FieldError("name", ErrorCode.CONFLICT, "the process has a KPI so named")])


def _number(c: Collector, field: str, value: Decimal | None) -> Decimal | None:
    if value is None:
        return None
    return c.decimal_range(field, value, -VALUE_LIMIT, VALUE_LIMIT, 4)


def _measured(c: Collector, measured_at: datetime | None) -> datetime | None:
    if measured_at is not None and measured_at.tzinfo is None:
        c.add("measuredAt", "must carry a time zone")
    elif measured_at is not None and measured_at > utcnow():
        c.add("measuredAt", "must not be in the future")
    return measured_at


async def _name_in_use(
    session: AsyncSession, *, process_id: uuid.UUID, name: str, exclude: uuid.UUID | None
) -> bool:
    query = select(ProcessKpi.id).where(
        ProcessKpi.process_id == process_id, func.lower(ProcessKpi.name) == name.lower()
    )
    if exclude is not None:
        query = query.where(ProcessKpi.id != exclude)
    return (await session.scalar(query.limit(1))) is not None


async def add_kpi(
    session: AsyncSession,
    *,
    actor: Actor,
    process_id: uuid.UUID,
    name: str,
    unit: str | None = None,
    target: Decimal | None = None,
    direction: KpiDirection = KpiDirection.HIGHER,
    latest_value: Decimal | None = None,
    measured_at: datetime | None = None,
) -> ProcessKpi:
    """Add a KPI to a process; a value needs its measurement time."""
    c = Collector()
    await c.load(session, AIProcess, process_id, "processId")
    clean_name = c.text("name", name)
    clean_unit = c.optional_text("unit", unit, max_length=50)
    clean_direction = c.enum("direction", KpiDirection, direction)
    clean_target = _number(c, "target", target)
    value = _number(c, "latestValue", latest_value)
    when = _measured(c, measured_at)
    if value is not None and when is None:
        c.add("measuredAt", "is required with a value")
    if (
        clean_name
        and not c.errors
        and await _name_in_use(session, process_id=process_id, name=clean_name, exclude=None)
    ):
        c.errors.extend(_name_taken().errors)
    c.raise_if_any()
    kpi = ProcessKpi(
        process_id=process_id,
        name=clean_name,
        unit=clean_unit,
        target=clean_target,
        direction=clean_direction,
        latest_value=value,
        measured_at=when,
    )
    async with guarded_write(session, {NAME_INDEX: _name_taken()}):
        session.add(kpi)
    await finish_write(session, actor=actor, action="create", obj=kpi, before=None)
    return kpi


async def update_kpi(
    session: AsyncSession,
    *,
    actor: Actor,
    kpi_id: uuid.UUID,
    expected_version: int,
    name: str | Unset = UNSET,
    unit: str | Unset | None = UNSET,
    target: Decimal | Unset | None = UNSET,
    direction: KpiDirection | Unset = UNSET,
    latest_value: Decimal | Unset | None = UNSET,
    measured_at: datetime | Unset | None = UNSET,
) -> ProcessKpi:
    """Change a KPI; reporting a new value also takes when it was measured."""
    kpi = await load_target(session, ProcessKpi, kpi_id, expected_version=expected_version)
    c = Collector()
    changes: dict[str, object] = {}
    if given(name):
        changes["name"] = c.text("name", name)
    if given(unit):
        changes["unit"] = c.optional_text("unit", unit, max_length=50)
    if given(target):
        changes["target"] = _number(c, "target", target)
    if given(direction):
        changes["direction"] = c.enum("direction", KpiDirection, direction)
    if given(latest_value):
        changes["latest_value"] = _number(c, "latestValue", latest_value)
        if latest_value is not None and not given(measured_at):
            c.add("measuredAt", "is required with a new value")
    if given(measured_at):
        changes["measured_at"] = _measured(c, measured_at)
    new_name = changes.get("name")
    if (
        isinstance(new_name, str)
        and new_name
        and not c.errors
        and await _name_in_use(session, process_id=kpi.process_id, name=new_name, exclude=kpi.id)
    ):
        c.errors.extend(_name_taken().errors)
    c.raise_if_any()
    before = snapshot(kpi)
    async with guarded_write(session, {NAME_INDEX: _name_taken()}):
        apply(kpi, changes)
    await finish_write(session, actor=actor, action="update", obj=kpi, before=before)
    return kpi


async def remove_kpi(
    session: AsyncSession, *, actor: Actor, kpi_id: uuid.UUID, expected_version: int
) -> None:
    """Delete a KPI; reviews keep their own snapshot of it and the audit trail its values."""
    kpi = await load_target(session, ProcessKpi, kpi_id, expected_version=expected_version)
    before = snapshot(kpi)
    await record_audit(session, actor=actor, action="delete", obj=kpi, before=before, after=None)
    async with guarded_write(session):
        await session.delete(kpi)
