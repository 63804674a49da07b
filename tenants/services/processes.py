"""AI processes: create, update, archive; boundaries and oversight documents; orphans."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date
from typing import Any

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


def check_boundaries(c: Collector, field: str, value: Boundaries) -> dict[str, Any]:
    """A clean boundaries document as stored, naming errors like `boundaries.steps[0].ai_role`."""
    steps: list[WorkflowStep] = []
    if _bounded(c, f"{field}.steps", value.steps):
        for i, s in enumerate(value.steps):
            f = f"{field}.steps[{i}]"
            steps.append(
                WorkflowStep(
                    name=c.text(f"{f}.name", s.name),
                    ai_role=c.text(f"{f}.ai_role", s.ai_role),
                    description=c.long_text(f"{f}.description", s.description),
                )
            )
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


def check_checkpoints(
    c: Collector, field: str, values: Sequence[Checkpoint]
) -> list[dict[str, Any]]:
    """Clean checkpoints as stored."""
    if not _bounded(c, field, values):
        return []
    return [
        Checkpoint(
            name=c.text(f"{field}[{i}].name", cp.name),
            stage=c.text(f"{field}[{i}].stage", cp.stage),
            reviewer_role=c.text(f"{field}[{i}].reviewer_role", cp.reviewer_role),
            criteria=c.long_text(f"{field}[{i}].criteria", cp.criteria),
        ).to_json()
        for i, cp in enumerate(values)
    ]


def check_escalation_path(
    c: Collector, field: str, values: Sequence[EscalationLevel]
) -> list[dict[str, Any]]:
    """Levels must be 1..n without gaps or repeats; stored sorted by level."""
    if not _bounded(c, field, values):
        return []
    out = []
    for i, lv in enumerate(values):
        f = f"{field}[{i}]"
        c.int_range(f"{f}.level", lv.level, 1, LIST_MAX)
        if lv.response_hours is not None:
            c.int_range(f"{f}.response_hours", lv.response_hours, 0, RESPONSE_HOURS_MAX)
        out.append(
            EscalationLevel(
                level=lv.level,
                trigger=c.text(f"{f}.trigger", lv.trigger, max_length=1000),
                contact=c.text(f"{f}.contact", lv.contact),
                response_hours=lv.response_hours,
            )
        )
    if sorted(lv.level for lv in out) != list(range(1, len(out) + 1)):
        c.add(field, "levels must be numbered 1, 2, 3 … without gaps or repeats")
    return [lv.to_json() for lv in sorted(out, key=lambda lv: lv.level)]


def check_tools(c: Collector, field: str, values: Sequence[Tool]) -> list[dict[str, Any]]:
    """Clean tools as stored."""
    if not _bounded(c, field, values):
        return []
    return [
        Tool(
            name=c.text(f"{field}[{i}].name", t.name),
            vendor=c.optional_text(f"{field}[{i}].vendor", t.vendor),
            purpose=c.long_text(f"{field}[{i}].purpose", t.purpose),
        ).to_json()
        for i, t in enumerate(values)
    ]


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
