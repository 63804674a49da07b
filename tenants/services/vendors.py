"""Vendor agreements: the ownership clauses and the processes they cover."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
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
from tenants.services.persistence import apply, guarded_write, load_target, utcnow
from tenants.services.validation import LIST_MAX, UNSET, Collector, Unset, given

RESPONSE_HOURS_MAX = 24 * 365
# GraphQL input names of the clauses, by column prefix.
_CLAUSE_FIELDS = {
    "monitoring": "monitoring",
    "incident_response": "incidentResponse",
    "updates": "updates",
    "data_governance": "dataGovernance",
}


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
        c.add("processIds", f"must have at most {LIST_MAX} items")
        return []
    unique = list(dict.fromkeys(process_ids))
    found = {
        p.id: p for p in await session.scalars(select(AIProcess).where(AIProcess.id.in_(unique)))
    }
    for i, pid in enumerate(process_ids):
        process = found.get(pid)
        field = f"processIds[{i}]"
        if process is None:
            c.add(field, "not found", ErrorCode.NOT_FOUND)
        elif process.client_id != client_id:
            c.add(field, "belongs to another client organisation")
        elif process.archived_at is not None:
            c.add(field, "is archived")
    return unique


def _clause_changes(c: Collector, name: str, clause: Clause) -> dict[str, object]:
    field = _CLAUSE_FIELDS[name]
    return {
        f"{name}_party": c.enum(f"{field}.party", ResponsibleParty, clause.party),
        f"{name}_terms": c.long_text(f"{field}.terms", clause.terms),
    }


def _check_fields(
    c: Collector,
    *,
    current: VendorAgreement | None,
    vendor: str | Unset,
    product: str | Unset | None,
    starts_on: date | Unset | None,
    ends_on: date | Unset | None,
    renewal_on: date | Unset | None,
    auto_renews: bool | Unset,
    clauses: dict[str, Clause | Unset],
    incident_response_hours: int | Unset | None,
) -> dict[str, object]:
    changes: dict[str, object] = {}
    if given(vendor):
        changes["vendor"] = c.text("vendor", vendor)
    if given(product):
        changes["product"] = c.optional_text("product", product)
    start = current.starts_on if current else None
    end = current.ends_on if current else None
    if given(starts_on):
        changes["starts_on"] = start = starts_on
    if given(ends_on):
        changes["ends_on"] = end = ends_on
    c.dates_ordered(start, "endsOn", end)
    if given(renewal_on):
        changes["renewal_on"] = renewal_on
        c.dates_ordered(start, "renewalOn", renewal_on)
    if given(auto_renews):
        changes["auto_renews"] = bool(auto_renews)
    for name, clause in clauses.items():
        if given(clause):
            changes |= _clause_changes(c, name, clause)
    if given(incident_response_hours):
        if incident_response_hours is not None:
            c.int_range("incidentResponseHours", incident_response_hours, 0, RESPONSE_HOURS_MAX)
        changes["incident_response_hours"] = incident_response_hours
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
    vendor: str,
    product: str | None = None,
    starts_on: date | None = None,
    ends_on: date | None = None,
    renewal_on: date | None = None,
    auto_renews: bool = False,
    monitoring: Clause | None = None,
    incident_response: Clause | None = None,
    incident_response_hours: int | None = None,
    updates: Clause | None = None,
    data_governance: Clause | None = None,
    process_ids: Sequence[uuid.UUID] = (),
) -> VendorAgreement:
    """Record a vendor agreement of a client and the processes it covers."""
    c = Collector()
    await c.load(session, ClientOrganisation, client_id, "clientOrganisationId")
    changes = _check_fields(
        c,
        current=None,
        vendor=vendor,
        product=product,
        starts_on=starts_on,
        ends_on=ends_on,
        renewal_on=renewal_on,
        auto_renews=auto_renews,
        clauses={
            "monitoring": monitoring or Clause(),
            "incident_response": incident_response or Clause(),
            "updates": updates or Clause(),
            "data_governance": data_governance or Clause(),
        },
        incident_response_hours=incident_response_hours,
    )
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
    vendor: str | Unset = UNSET,
    product: str | Unset | None = UNSET,
    starts_on: date | Unset | None = UNSET,
    ends_on: date | Unset | None = UNSET,
    renewal_on: date | Unset | None = UNSET,
    auto_renews: bool | Unset = UNSET,
    monitoring: Clause | Unset = UNSET,
    incident_response: Clause | Unset = UNSET,
    incident_response_hours: int | Unset | None = UNSET,
    updates: Clause | Unset = UNSET,
    data_governance: Clause | Unset = UNSET,
    process_ids: Sequence[uuid.UUID] | Unset = UNSET,
) -> VendorAgreement:
    """Change the given fields of an agreement; `process_ids` replaces the covered set."""
    agreement = await load_target(
        session, VendorAgreement, agreement_id, expected_version=expected_version
    )
    c = Collector()
    changes = _check_fields(
        c,
        current=agreement,
        vendor=vendor,
        product=product,
        starts_on=starts_on,
        ends_on=ends_on,
        renewal_on=renewal_on,
        auto_renews=auto_renews,
        clauses={
            "monitoring": monitoring,
            "incident_response": incident_response,
            "updates": updates,
            "data_governance": data_governance,
        },
        incident_response_hours=incident_response_hours,
    )
    covered: list[uuid.UUID] | None = None
    if given(process_ids):
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
