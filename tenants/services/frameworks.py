"""A process's regulatory profile and the frameworks chosen for a client.

Both are consultants' judgements (staff only, checked by the API layer), audited like
every write. The profile is versioned: an edit sends the version it saw. The catalogue
lives in the jobs package, which tenants may not import, so callers pass the known
framework ids in.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tenants.models import (
    AIProcess,
    AnnexIIIArea,
    ClientFramework,
    ClientOrganisation,
    ClientRole,
    EuAiActClass,
    ProcessRegulatoryProfile,
    TenantControl,
)
from tenants.services.audit import Actor, record_audit, snapshot
from tenants.services.changes import Changes, Rule, one_of
from tenants.services.persistence import (
    check_whole_version,
    guarded_write,
    load_target,
    write_whole,
)
from tenants.services.validation import Collector

REASON_MAX = 4000
PROFILE_UNIQUE = "uq_process_regulatory_profiles_process_id"


def _reason(c: Collector, field: str, value: str) -> str:
    return c.text(field, value, max_length=REASON_MAX, multiline=True)


def _area_fits_class(c: Collector, row: Mapping[str, Any]) -> None:
    """An Annex III area is set exactly for a high-risk classification."""
    high_risk = row["eu_ai_act_class"] is EuAiActClass.HIGH_RISK
    if high_risk and row["annex_iii_area"] is None and not c.has("eu_ai_act_class"):
        c.add("annex_iii_area", "is required for a high-risk classification")
    if not high_risk and row["annex_iii_area"] is not None:
        c.add("annex_iii_area", "is only set for a high-risk classification")


# A profile's fields, checked only: it is written whole, created or replaced per process,
# so the write (its version against the row found by process) is its own.
PROFILE_CHANGES = Changes(
    ProcessRegulatoryProfile,
    Rule("client_role", one_of(ClientRole), nullable=False),
    Rule("eu_ai_act_class", one_of(EuAiActClass), nullable=False),
    Rule("annex_iii_area", one_of(AnnexIIIArea)),
    Rule("reason", _reason, nullable=False),
    cross=[_area_fits_class],
)


async def profile_of(
    session: AsyncSession, process_id: uuid.UUID
) -> ProcessRegulatoryProfile | None:
    query = select(ProcessRegulatoryProfile).where(
        ProcessRegulatoryProfile.process_id == process_id
    )
    return (await session.scalars(query)).one_or_none()


async def set_regulatory_profile(
    session: AsyncSession,
    *,
    actor: Actor,
    process_id: uuid.UUID,
    expected_version: int | None,
    **values: Any,
) -> ProcessRegulatoryProfile:
    """Create (expected_version None) or replace the profile of a process from every field
    of `PROFILE_CHANGES`."""
    await load_target(session, AIProcess, process_id, field="processId")
    changes = PROFILE_CHANGES.checked_or_raise(values)
    row = await profile_of(session, process_id)
    check_whole_version(row, expected_version)
    before = snapshot(row) if row is not None else None
    row = await write_whole(
        session,
        ProcessRegulatoryProfile,
        row,
        changes,
        key={"process_id": process_id},
        unique=PROFILE_UNIQUE,
    )
    await record_audit(
        session,
        actor=actor,
        action="update" if before else "create",
        obj=row,
        before=before,
        after=snapshot(row),
    )
    await session.flush()
    return row


async def client_framework_ids(session: AsyncSession, client_id: uuid.UUID) -> list[str]:
    """The chosen framework ids of one client, in id order."""
    chosen = await client_framework_ids_by_client(session, client_ids=[client_id])
    return chosen.get(client_id, [])


async def client_framework_ids_by_client(
    session: AsyncSession, *, client_ids: list[uuid.UUID]
) -> dict[uuid.UUID, list[str]]:
    """The chosen framework ids of each client, in id order (one statement)."""
    query = (
        select(ClientFramework.client_id, ClientFramework.framework_id)
        .where(ClientFramework.client_id.in_(client_ids))
        .order_by(ClientFramework.client_id, ClientFramework.framework_id)
    )
    chosen: dict[uuid.UUID, list[str]] = {}
    for client_id, framework_id in await session.execute(query):
        chosen.setdefault(client_id, []).append(framework_id)
    return chosen


async def choose_client_frameworks(
    session: AsyncSession,
    *,
    actor: Actor,
    client_id: uuid.UUID,
    framework_ids: Sequence[str],
    known: Collection[str],
) -> list[str]:
    """Make `framework_ids` the client's frameworks: adds and removes are each audited."""
    await load_target(session, ClientOrganisation, client_id, field="clientOrganisationId")
    c = Collector()
    for index, fid in enumerate(framework_ids):
        if fid not in known:
            c.add(f"frameworkIds[{index}]", f"unknown framework {fid!r}")
    c.raise_if_any()
    wanted = set(framework_ids)
    rows = list(
        await session.scalars(select(ClientFramework).where(ClientFramework.client_id == client_id))
    )
    have = {r.framework_id: r for r in rows}
    async with guarded_write(session):
        for fid, row in sorted(have.items()):
            if fid not in wanted:
                await record_audit(
                    session, actor=actor, action="delete", obj=row, before=snapshot(row), after=None
                )
                await session.delete(row)
        for fid in sorted(wanted - set(have)):
            added = ClientFramework(client_id=client_id, framework_id=fid)
            session.add(added)
            await session.flush()
            await record_audit(
                session, actor=actor, action="create", obj=added, before=None, after=snapshot(added)
            )
    await session.flush()
    return sorted(wanted)


CONTROL_SET_KEY = re.compile(r"^[a-z0-9][a-z0-9-]{0,99}$")


@dataclass(frozen=True, slots=True)
class ControlInput:
    """One validated control (the jobs package parses and checks the file)."""

    control_id: str
    title: str
    summary: str | None
    rule_ids: tuple[str, ...]


async def import_control_set(
    session: AsyncSession,
    *,
    actor: Actor,
    set_key: str,
    set_title: str,
    controls: Sequence[ControlInput],
    content_problems: Sequence[tuple[str, str]] = (),
) -> list[TenantControl]:
    """Replace the tenant's control set `set_key` with `controls`; all audited.

    `content_problems` are the (field, message) pairs the file's parser found: they are
    reported together with the key's and title's, so one answer names every problem.

    One audit event per control removed and per control added: the trail shows exactly
    which controls and rule mappings an import changed.
    """
    c = Collector()
    key = c.text("key", set_key, max_length=100)
    if key and not CONTROL_SET_KEY.match(key):
        c.add("key", "must be lowercase letters, digits and hyphens")
    title = c.text("title", set_title, max_length=200)
    for field_name, problem in content_problems:
        c.add(field_name, problem)
    c.raise_if_any()
    old = list(await session.scalars(select(TenantControl).where(TenantControl.set_key == key)))
    added: list[TenantControl] = []
    async with guarded_write(session):
        for row in old:
            await record_audit(
                session, actor=actor, action="delete", obj=row, before=snapshot(row), after=None
            )
            await session.delete(row)
        await session.flush()
        for position, control in enumerate(controls, start=1):
            new = TenantControl(
                set_key=key,
                set_title=title,
                position=position,
                control_id=control.control_id,
                title=control.title,
                summary=control.summary,
                rule_ids=list(control.rule_ids),
            )
            session.add(new)
            added.append(new)
        await session.flush()
    for new in added:
        await record_audit(
            session, actor=actor, action="create", obj=new, before=None, after=snapshot(new)
        )
    await session.flush()
    return added


async def control_set(session: AsyncSession, set_key: str) -> list[TenantControl]:
    query = (
        select(TenantControl)
        .where(TenantControl.set_key == set_key)
        .order_by(TenantControl.position)
    )
    return list(await session.scalars(query))
