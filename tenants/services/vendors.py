"""Vendor agreements: the ownership clauses and the processes they cover."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Text, case, delete, func, literal, null, or_, select
from sqlalchemy.dialects.postgresql import ARRAY, array
from sqlalchemy.ext.asyncio import AsyncSession

from tenants.errors import ErrorCode
from tenants.models import (
    CLAUSES,
    AIProcess,
    ClientOrganisation,
    ResponsibleParty,
    VendorAgreement,
    VendorAgreementProcess,
)
from tenants.services.audit import Actor, finish_write, snapshot
from tenants.services.audit_shape import global_ids_of
from tenants.services.changes import Changes, Rule, between, long_text, one_of, optional_text, text
from tenants.services.persistence import apply, guarded_write, utcnow
from tenants.services.validation import LIST_MAX, UNSET, Collector, Unset, given

RESPONSE_HOURS_MAX = 24 * 365


@dataclass(frozen=True, slots=True)
class Clause:
    """Who is responsible for one ownership duty, and the agreed terms."""

    party: ResponsibleParty = ResponsibleParty.UNSPECIFIED
    terms: str | None = None


def missing_clauses(agreement: VendorAgreement) -> list[str]:
    """Clause names (`monitoring`, `incident_response`, `updates`, `data_governance`)
    whose party is unspecified, plus `incident_response` when it has no response hours."""
    missing = []
    for clause in CLAUSES:
        party = getattr(agreement, f"{clause}_party")
        if party is ResponsibleParty.UNSPECIFIED or (
            clause == "incident_response" and agreement.incident_response_hours is None
        ):
            missing.append(clause)
    return missing


def clause_missing_sql(clause: str) -> ColumnElement[bool]:
    """SQL over VendorAgreement: `clause` is among `missing_clauses`."""
    party: ColumnElement[ResponsibleParty] = getattr(VendorAgreement, f"{clause}_party")
    unspecified = party == ResponsibleParty.UNSPECIFIED
    if clause == "incident_response":
        return or_(unspecified, VendorAgreement.incident_response_hours.is_(None))
    return unspecified


def missing_clauses_sql() -> ColumnElement[list[str]]:
    """SQL over VendorAgreement: `missing_clauses` as a text array, in the same order."""
    names: array[Any] = array(
        [case((clause_missing_sql(c), literal(c, Text)), else_=null()) for c in CLAUSES],
        type_=Text,
    )
    return func.array_remove(names, null(), type_=ARRAY(Text))


async def process_ids_by_agreement(
    session: AsyncSession, *, agreement_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, list[uuid.UUID]]:
    """The processes each agreement covers (for a DataLoader)."""
    rows = await session.execute(
        select(VendorAgreementProcess.agreement_id, VendorAgreementProcess.process_id).where(
            VendorAgreementProcess.agreement_id.in_(agreement_ids)
        )
    )
    out: dict[uuid.UUID, list[uuid.UUID]] = {aid: [] for aid in agreement_ids}
    for agreement_id, process_id in rows:
        out[agreement_id].append(process_id)
    return out


async def _check_processes(
    c: Collector, session: AsyncSession, process_ids: Sequence[uuid.UUID], client_id: uuid.UUID
) -> list[uuid.UUID]:
    if len(process_ids) > LIST_MAX:
        c.add("process_ids", f"must have at most {LIST_MAX} items")
        return []
    unique = list(dict.fromkeys(process_ids))
    found = {
        p.id: p for p in await session.scalars(select(AIProcess).where(AIProcess.id.in_(unique)))
    }
    for i, pid in enumerate(process_ids):
        process = found.get(pid)
        field = f"process_ids[{i}]"
        if process is None:
            c.add(field, "not found", ErrorCode.NOT_FOUND)
        elif process.client_id != client_id:
            c.add(field, "belongs to another client organisation")
        elif process.archived_at is not None:
            c.add(field, "is archived")
    return unique


def _ends_in_order(c: Collector, row: Mapping[str, Any]) -> None:
    c.dates_ordered(row["starts_on"], "ends_on", row["ends_on"])


def _clause_rules(name: str) -> tuple[Rule, Rule]:
    """A clause is two columns; its rules are named by the input path of each part
    (`incident_response.party`), so their errors name the part."""
    return (
        Rule(
            f"{name}.party",
            one_of(ResponsibleParty),
            nullable=False,
            default=ResponsibleParty.UNSPECIFIED,
            column=f"{name}_party",
        ),
        Rule(f"{name}.terms", long_text, column=f"{name}_terms"),
    )


VENDOR_CHANGES = Changes(
    VendorAgreement,
    Rule("vendor", text, nullable=False),
    Rule("product", optional_text),
    Rule("starts_on"),
    Rule("ends_on"),
    Rule("renewal_on"),
    Rule("auto_renews", nullable=False, default=False),
    *_clause_rules("monitoring"),
    *_clause_rules("incident_response"),
    Rule("incident_response_hours", between(0, RESPONSE_HOURS_MAX)),
    *_clause_rules("updates"),
    *_clause_rules("data_governance"),
    cross=[_ends_in_order],
)


def _clause_parts(c: Collector, values: Mapping[str, Any], *, creating: bool) -> dict[str, Any]:
    """`values` with each given clause as its parts. A null clause is the default on create
    and a VALIDATION error on update: a gap is cleared by sending party UNSPECIFIED."""
    out: dict[str, Any] = {}
    for name, value in values.items():
        if name not in CLAUSES:
            out[name] = value
        elif value is not None:
            out |= {f"{name}.party": value.party, f"{name}.terms": value.terms}
        elif not creating:
            c.add(name, "must not be null")
    return out


def _checked(
    c: Collector, values: Mapping[str, Any], current: VendorAgreement | None
) -> dict[str, Any]:
    """The checked column changes of `values` (every column on create)."""
    changes = VENDOR_CHANGES.check(c, _clause_parts(c, values, creating=current is None), current)
    # Only a renewal date given in this write is held to the start (an update that moves
    # the start alone does not re-judge the renewal date), unlike the end date.
    if "renewal_on" in changes:
        start = (
            changes["starts_on"] if current is None or "starts_on" in changes else current.starts_on
        )
        c.dates_ordered(start, "renewal_on", changes["renewal_on"])
    return changes


async def _replace_processes(
    session: AsyncSession, agreement_id: uuid.UUID, process_ids: Sequence[uuid.UUID]
) -> None:
    await session.execute(
        delete(VendorAgreementProcess).where(VendorAgreementProcess.agreement_id == agreement_id)
    )
    session.add_all(
        VendorAgreementProcess(agreement_id=agreement_id, process_id=pid) for pid in process_ids
    )


async def create_vendor_agreement(
    session: AsyncSession,
    *,
    actor: Actor,
    client_id: uuid.UUID,
    process_ids: Sequence[uuid.UUID] = (),
    **values: Any,
) -> VendorAgreement:
    """Record a vendor agreement of a client (the fields of `VENDOR_CHANGES`, each clause a
    `Clause`) and the processes it covers."""
    c = Collector()
    await c.load(session, ClientOrganisation, client_id, "client_organisation_id")
    changes = _checked(c, values, None)
    covered = await _check_processes(c, session, process_ids, client_id)
    c.raise_if_any()
    agreement = VendorAgreement(id=uuid.uuid4(), client_id=client_id, **changes)
    async with guarded_write(session):
        session.add(agreement)
        await session.flush()
        await _replace_processes(session, agreement.id, covered)
    await finish_write(
        session,
        actor=actor,
        action="create",
        obj=agreement,
        before=None,
        extra_after={"processes": global_ids_of(AIProcess, list(covered))},
    )
    return agreement


async def update_vendor_agreement(
    session: AsyncSession,
    *,
    actor: Actor,
    agreement_id: uuid.UUID,
    expected_version: int,
    process_ids: Sequence[uuid.UUID] | Unset | None = UNSET,
    **values: Any,
) -> VendorAgreement:
    """Change the given fields of an agreement; `process_ids` replaces the covered set."""
    agreement = await VENDOR_CHANGES.load(session, agreement_id, expected_version=expected_version)
    c = Collector()
    changes = _checked(c, values, agreement)
    covered: list[uuid.UUID] | None = None
    if process_ids is None:
        c.add("process_ids", "must not be null")
    elif given(process_ids):
        covered = await _check_processes(c, session, process_ids, agreement.client_id)
    c.raise_if_any()
    before, now_covered = await _write_update(session, agreement, changes, covered)
    await finish_write(
        session,
        actor=actor,
        action="update",
        obj=agreement,
        before=before,
        extra_after={"processes": global_ids_of(AIProcess, now_covered)},
    )
    return agreement


async def _write_update(
    session: AsyncSession,
    agreement: VendorAgreement,
    changes: dict[str, Any],
    covered: list[uuid.UUID] | None,
) -> tuple[dict[str, Any], list[uuid.UUID]]:
    """Apply `changes` (and a new covered set); the snapshot before, and the set after."""
    before = snapshot(agreement)
    previous = (await process_ids_by_agreement(session, agreement_ids=[agreement.id]))[agreement.id]
    before["processes"] = global_ids_of(AIProcess, previous)
    async with guarded_write(session):
        changed = apply(agreement, changes)
        if covered is not None and set(covered) != set(previous):
            await _replace_processes(session, agreement.id, covered)
            if not changed:
                # The covered set is part of the agreement: a change to it alone must
                # still UPDATE the row (bumping its version) so a concurrent edit conflicts.
                agreement.updated_at = utcnow()
    return before, list(covered if covered is not None else previous)
