"""AI processes: create, update, archive; boundaries and oversight documents; orphans."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date

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
from tenants.services.audit import Actor, finish_write, snapshot
from tenants.services.persistence import apply, guarded_write, load_target, utcnow
from tenants.services.validation import LIST_MAX, UNSET, Collector, Unset, given

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


def check_boundaries(c: Collector, value: Boundaries) -> Boundaries:
    """Clean a boundaries document, naming errors like `boundaries.steps[0].aiRole`."""
    steps: list[WorkflowStep] = []
    if _bounded(c, "boundaries.steps", value.steps):
        for i, s in enumerate(value.steps):
            f = f"boundaries.steps[{i}]"
            steps.append(
                WorkflowStep(
                    name=c.text(f"{f}.name", s.name),
                    ai_role=c.text(f"{f}.aiRole", s.ai_role),
                    description=c.long_text(f"{f}.description", s.description),
                )
            )
        names = [s.name.casefold() for s in steps]
        if len(set(names)) != len(names):
            c.add("boundaries.steps", "step names must be unique")
    return Boundaries(
        steps=steps,
        upstream=c.text_list("boundaries.upstream", value.upstream),
        downstream=c.text_list("boundaries.downstream", value.downstream),
        data_inputs=c.text_list("boundaries.dataInputs", value.data_inputs),
        outputs=c.text_list("boundaries.outputs", value.outputs),
    )


def check_checkpoints(c: Collector, values: Sequence[Checkpoint]) -> list[Checkpoint]:
    if not _bounded(c, "checkpoints", values):
        return []
    out = []
    for i, cp in enumerate(values):
        f = f"checkpoints[{i}]"
        out.append(
            Checkpoint(
                name=c.text(f"{f}.name", cp.name),
                stage=c.text(f"{f}.stage", cp.stage),
                reviewer_role=c.text(f"{f}.reviewerRole", cp.reviewer_role),
                criteria=c.long_text(f"{f}.criteria", cp.criteria),
            )
        )
    return out


def check_escalation_path(c: Collector, values: Sequence[EscalationLevel]) -> list[EscalationLevel]:
    """Levels must be 1..n without gaps or repeats; stored sorted by level."""
    if not _bounded(c, "escalationPath", values):
        return []
    out = []
    for i, lv in enumerate(values):
        f = f"escalationPath[{i}]"
        c.int_range(f"{f}.level", lv.level, 1, LIST_MAX)
        if lv.response_hours is not None:
            c.int_range(f"{f}.responseHours", lv.response_hours, 0, RESPONSE_HOURS_MAX)
        out.append(
            EscalationLevel(
                level=lv.level,
                trigger=c.text(f"{f}.trigger", lv.trigger, max_length=1000),
                contact=c.text(f"{f}.contact", lv.contact),
                response_hours=lv.response_hours,
            )
        )
    if sorted(lv.level for lv in out) != list(range(1, len(out) + 1)):
        c.add("escalationPath", "levels must be numbered 1, 2, 3 … without gaps or repeats")
    return sorted(out, key=lambda lv: lv.level)


def check_tools(c: Collector, values: Sequence[Tool]) -> list[Tool]:
    if not _bounded(c, "tools", values):
        return []
    return [
        Tool(
            name=c.text(f"tools[{i}].name", t.name),
            vendor=c.optional_text(f"tools[{i}].vendor", t.vendor),
            purpose=c.long_text(f"tools[{i}].purpose", t.purpose),
        )
        for i, t in enumerate(values)
    ]


def _check_fields(
    c: Collector,
    *,
    name: str | Unset,
    purpose: str | Unset | None,
    business_unit: str | Unset | None,
    lifecycle_stage: LifecycleStage | Unset,
    risk_tier: RiskTier | Unset,
    boundaries: Boundaries | Unset,
    checkpoints: Sequence[Checkpoint] | Unset,
    escalation_path: Sequence[EscalationLevel] | Unset,
    tools: Sequence[Tool] | Unset,
) -> dict[str, object]:
    changes: dict[str, object] = {}
    if given(name):
        changes["name"] = c.text("name", name)
    if given(purpose):
        changes["purpose"] = c.long_text("purpose", purpose)
    if given(business_unit):
        changes["business_unit"] = c.optional_text("businessUnit", business_unit)
    if given(lifecycle_stage):
        changes["lifecycle_stage"] = c.enum("lifecycleStage", LifecycleStage, lifecycle_stage)
    if given(risk_tier):
        changes["risk_tier"] = c.enum("riskTier", RiskTier, risk_tier)
    if given(boundaries):
        changes["boundaries"] = check_boundaries(c, boundaries).to_json()
    if given(checkpoints):
        changes["checkpoints"] = [cp.to_json() for cp in check_checkpoints(c, checkpoints)]
    if given(escalation_path):
        changes["escalation_path"] = [
            lv.to_json() for lv in check_escalation_path(c, escalation_path)
        ]
    if given(tools):
        changes["tools"] = [t.to_json() for t in check_tools(c, tools)]
    return changes


async def create_process(
    session: AsyncSession,
    *,
    actor: Actor,
    client_id: uuid.UUID,
    name: str,
    purpose: str | None = None,
    business_unit: str | None = None,
    lifecycle_stage: LifecycleStage = LifecycleStage.IDEA,
    risk_tier: RiskTier = RiskTier.MEDIUM,
    boundaries: Boundaries | None = None,
    checkpoints: Sequence[Checkpoint] = (),
    escalation_path: Sequence[EscalationLevel] = (),
    tools: Sequence[Tool] = (),
) -> AIProcess:
    """Create an AI process of a client."""
    c = Collector()
    await c.load(session, ClientOrganisation, client_id, "clientOrganisationId")
    changes = _check_fields(
        c,
        name=name,
        purpose=purpose,
        business_unit=business_unit,
        lifecycle_stage=lifecycle_stage,
        risk_tier=risk_tier,
        boundaries=boundaries or Boundaries(),
        checkpoints=checkpoints,
        escalation_path=escalation_path,
        tools=tools,
    )
    c.raise_if_any()
    process = AIProcess(client_id=client_id, **changes)
    async with guarded_write(session):
        session.add(process)
    await finish_write(session, actor=actor, action="create", obj=process, before=None)
    return process


async def update_process(
    session: AsyncSession,
    *,
    actor: Actor,
    process_id: uuid.UUID,
    expected_version: int,
    name: str | Unset = UNSET,
    purpose: str | Unset | None = UNSET,
    business_unit: str | Unset | None = UNSET,
    lifecycle_stage: LifecycleStage | Unset = UNSET,
    risk_tier: RiskTier | Unset = UNSET,
    boundaries: Boundaries | Unset = UNSET,
    checkpoints: Sequence[Checkpoint] | Unset = UNSET,
    escalation_path: Sequence[EscalationLevel] | Unset = UNSET,
    tools: Sequence[Tool] | Unset = UNSET,
) -> AIProcess:
    """Change the given fields of a process; documents are replaced whole."""
    process = await load_target(session, AIProcess, process_id, expected_version=expected_version)
    c = Collector()
    changes = _check_fields(
        c,
        name=name,
        purpose=purpose,
        business_unit=business_unit,
        lifecycle_stage=lifecycle_stage,
        risk_tier=risk_tier,
        boundaries=boundaries,
        checkpoints=checkpoints,
        escalation_path=escalation_path,
        tools=tools,
    )
    c.raise_if_any()
    before = snapshot(process)
    async with guarded_write(session):
        apply(process, changes)
    await finish_write(session, actor=actor, action="update", obj=process, before=before)
    return process


async def archive_process(
    session: AsyncSession, *, actor: Actor, process_id: uuid.UUID, expected_version: int
) -> AIProcess:
    """Archive a process (a VALIDATION error on `id` if already archived).

    Its assignments are kept as they are: an archived process is not live, so it is
    never orphaned, and its history of owners stays readable.
    """
    process = await load_target(session, AIProcess, process_id, expected_version=expected_version)
    before = snapshot(process)
    async with guarded_write(session):
        apply(process, {"archived_at": utcnow()})
    await finish_write(session, actor=actor, action="archive", obj=process, before=before)
    return process
