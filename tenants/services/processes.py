"""AI processes: create, update, archive; boundaries and oversight documents; orphans."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from tenants.models import (
    AIProcess,
    Boundaries,
    Checkpoint,
    ClientOrganisation,
    EscalationLevel,
    LifecycleStage,
    RiskTier,
    Tool,
    WorkflowStep,
)
from tenants.services.assignments import current_accountable_process_ids
from tenants.services.audit import Actor
from tenants.services.changes import Changes, Rule, long_text, one_of, optional_text, text
from tenants.services.validation import LIST_MAX, Collector

RESPONSE_HOURS_MAX = 24 * 365

T = TypeVar("T")
S = TypeVar("S")


def process_is_orphaned(process: AIProcess, *, has_current_accountable: bool) -> bool:
    """A live process (pilot or production, not archived) with no accountable owner."""
    return process.is_live and not has_current_accountable


async def orphaned_by_process(
    session: AsyncSession, *, processes: Sequence[AIProcess], on: date | None = None
) -> dict[uuid.UUID, bool]:
    """Whether each process is orphaned, in one statement (for a DataLoader)."""
    covered = await current_accountable_process_ids(
        session, process_ids=[p.id for p in processes if p.is_live], on=on
    )
    return {
        p.id: process_is_orphaned(p, has_current_accountable=p.id in covered) for p in processes
    }


def _bounded(c: Collector, field: str, items: Sequence[object]) -> bool:
    if len(items) > LIST_MAX:
        c.add(field, f"must have at most {LIST_MAX} items")
        return False
    return True


def _each_item(
    c: Collector, field: str, items: Sequence[T], clean: Callable[[Collector, str, T], S]
) -> list[S]:
    """Every item of a list document through `clean(c, path, item)`, the path naming it in
    errors (`checkpoints[2]`); none when the list is longer than allowed (which is the error)."""
    if not _bounded(c, field, items):
        return []
    return [clean(c, f"{field}[{i}]", item) for i, item in enumerate(items)]


def _step(c: Collector, f: str, s: WorkflowStep) -> WorkflowStep:
    return WorkflowStep(
        name=c.text(f"{f}.name", s.name),
        ai_role=c.text(f"{f}.ai_role", s.ai_role),
        description=c.long_text(f"{f}.description", s.description),
    )


def check_boundaries(c: Collector, field: str, value: Boundaries) -> dict[str, Any]:
    """A clean boundaries document as stored, naming errors like `boundaries.steps[0].ai_role`."""
    steps = _each_item(c, f"{field}.steps", value.steps, _step)
    names = [s.name.casefold() for s in steps]
    if len(set(names)) != len(names):
        c.add(f"{field}.steps", "step names must be unique")
    return Boundaries(
        steps=steps,
        upstream=c.text_list(f"{field}.upstream", value.upstream),
        downstream=c.text_list(f"{field}.downstream", value.downstream),
        data_inputs=c.text_list(f"{field}.data_inputs", value.data_inputs),
        outputs=c.text_list(f"{field}.outputs", value.outputs),
    ).to_json()


def _checkpoint(c: Collector, f: str, cp: Checkpoint) -> Checkpoint:
    return Checkpoint(
        name=c.text(f"{f}.name", cp.name),
        stage=c.text(f"{f}.stage", cp.stage),
        reviewer_role=c.text(f"{f}.reviewer_role", cp.reviewer_role),
        criteria=c.long_text(f"{f}.criteria", cp.criteria),
    )


def check_checkpoints(
    c: Collector, field: str, values: Sequence[Checkpoint]
) -> list[dict[str, Any]]:
    """Clean checkpoints as stored."""
    return [cp.to_json() for cp in _each_item(c, field, values, _checkpoint)]


def _level(c: Collector, f: str, lv: EscalationLevel) -> EscalationLevel:
    c.int_range(f"{f}.level", lv.level, 1, LIST_MAX)
    if lv.response_hours is not None:
        c.int_range(f"{f}.response_hours", lv.response_hours, 0, RESPONSE_HOURS_MAX)
    return EscalationLevel(
        level=lv.level,
        trigger=c.text(f"{f}.trigger", lv.trigger, max_length=1000),
        contact=c.text(f"{f}.contact", lv.contact),
        response_hours=lv.response_hours,
    )


def check_escalation_path(
    c: Collector, field: str, values: Sequence[EscalationLevel]
) -> list[dict[str, Any]]:
    """Levels must be 1..n without gaps or repeats; stored sorted by level."""
    levels = _each_item(c, field, values, _level)
    if sorted(lv.level for lv in levels) != list(range(1, len(levels) + 1)):
        c.add(field, "levels must be numbered 1, 2, 3 … without gaps or repeats")
    return [lv.to_json() for lv in sorted(levels, key=lambda lv: lv.level)]


def _tool(c: Collector, f: str, t: Tool) -> Tool:
    return Tool(
        name=c.text(f"{f}.name", t.name),
        vendor=c.optional_text(f"{f}.vendor", t.vendor),
        purpose=c.long_text(f"{f}.purpose", t.purpose),
    )


def check_tools(c: Collector, field: str, values: Sequence[Tool]) -> list[dict[str, Any]]:
    """Clean tools as stored."""
    return [t.to_json() for t in _each_item(c, field, values, _tool)]


# The documents may not be null: an update replaces one whole, and an empty one clears it.
PROCESS_CHANGES = Changes(
    AIProcess,
    Rule("name", text, nullable=False),
    Rule("purpose", long_text),
    Rule("business_unit", optional_text),
    Rule("lifecycle_stage", one_of(LifecycleStage), nullable=False, default=LifecycleStage.IDEA),
    Rule("risk_tier", one_of(RiskTier), nullable=False, default=RiskTier.MEDIUM),
    Rule("boundaries", check_boundaries, nullable=False, default=Boundaries()),
    Rule("checkpoints", check_checkpoints, nullable=False, default=()),
    Rule("escalation_path", check_escalation_path, nullable=False, default=()),
    Rule("tools", check_tools, nullable=False, default=()),
)


async def create_process(
    session: AsyncSession, *, actor: Actor, client_id: uuid.UUID, **values: Any
) -> AIProcess:
    """Create an AI process of a client from the fields of `PROCESS_CHANGES`."""
    c = Collector()
    await c.load(session, ClientOrganisation, client_id, "client_organisation_id")
    return await PROCESS_CHANGES.create(
        session, actor=actor, values=values, fixed={"client_id": client_id}, c=c
    )


async def update_process(
    session: AsyncSession,
    *,
    actor: Actor,
    process_id: uuid.UUID,
    expected_version: int,
    **values: Any,
) -> AIProcess:
    """Change the given fields of a process; documents are replaced whole."""
    process = await PROCESS_CHANGES.load(session, process_id, expected_version=expected_version)
    return await PROCESS_CHANGES.update(session, process, actor=actor, values=values)


async def archive_process(
    session: AsyncSession, *, actor: Actor, process_id: uuid.UUID, expected_version: int
) -> AIProcess:
    """Archive a process (a VALIDATION error on `id` if already archived).

    Its assignments are kept as they are: an archived process is not live, so it is
    never orphaned, and its history of owners stays readable.
    """
    return await PROCESS_CHANGES.archive(
        session, process_id, actor=actor, expected_version=expected_version
    )
