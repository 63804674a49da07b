"""Owners: people at a client who hold assignments."""

from __future__ import annotations

import uuid

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from tenants.errors import DomainError, ErrorCode, FieldError
from tenants.models import ClientOrganisation, DecisionAuthority, Owner, OwnershipAssignment
from tenants.services.assignments import hours_by_owner, total_hours_per_week
from tenants.services.audit import Actor, finish_write, snapshot
from tenants.services.persistence import apply, guarded_write, load_target, utcnow
from tenants.services.validation import UNSET, Collector, Unset, given

__all__ = [
    "archive_owner",
    "create_owner",
    "hours_by_owner",
    "total_hours_per_week",
    "update_owner",
]

EMAIL_INDEX = "uq_owners_client_id_email_live"
EMAIL_TAKEN = "another owner of this client has this email address"


def _email_taken() -> DomainError:
    return DomainError([FieldError("email", ErrorCode.CONFLICT, EMAIL_TAKEN)])


async def _email_in_use(
    session: AsyncSession, *, client_id: uuid.UUID, email: str, exclude: uuid.UUID | None
) -> bool:
    query = select(Owner.id).where(
        Owner.client_id == client_id,
        func.lower(Owner.email) == email.lower(),
        Owner.archived_at.is_(None),
    )
    if exclude is not None:
        query = query.where(Owner.id != exclude)
    return (await session.scalar(query.limit(1))) is not None


def _check_fields(
    c: Collector,
    *,
    name: str | Unset,
    email: str | Unset | None,
    title: str | Unset | None,
    business_unit: str | Unset | None,
    decision_authority: DecisionAuthority | Unset,
    member_id: uuid.UUID | Unset | None,
) -> dict[str, object]:
    changes: dict[str, object] = {}
    if given(name):
        changes["name"] = c.text("name", name)
    if given(email):
        changes["email"] = c.email("email", email)
    if given(title):
        changes["title"] = c.optional_text("title", title)
    if given(business_unit):
        changes["business_unit"] = c.optional_text("businessUnit", business_unit)
    if given(decision_authority):
        changes["decision_authority"] = c.enum(
            "decisionAuthority", DecisionAuthority, decision_authority
        )
    if given(member_id):
        changes["member_id"] = member_id
    return changes


async def create_owner(
    session: AsyncSession,
    *,
    actor: Actor,
    client_id: uuid.UUID,
    name: str,
    email: str | None = None,
    title: str | None = None,
    business_unit: str | None = None,
    decision_authority: DecisionAuthority = DecisionAuthority.NONE,
    member_id: uuid.UUID | None = None,
) -> Owner:
    """Create an owner at a client; the email, when given, is unique among live owners."""
    c = Collector()
    await c.load(session, ClientOrganisation, client_id, "clientOrganisationId")
    changes = _check_fields(
        c,
        name=name,
        email=email,
        title=title,
        business_unit=business_unit,
        decision_authority=decision_authority,
        member_id=member_id,
    )
    cleaned = changes.get("email")
    if isinstance(cleaned, str) and await _email_in_use(
        session, client_id=client_id, email=cleaned, exclude=None
    ):
        c.errors.extend(_email_taken().errors)
    c.raise_if_any()
    owner = Owner(client_id=client_id, **changes)
    async with guarded_write(session, {EMAIL_INDEX: _email_taken()}):
        session.add(owner)
    await finish_write(session, actor=actor, action="create", obj=owner, before=None)
    return owner


async def update_owner(
    session: AsyncSession,
    *,
    actor: Actor,
    owner_id: uuid.UUID,
    expected_version: int,
    name: str | Unset = UNSET,
    email: str | Unset | None = UNSET,
    title: str | Unset | None = UNSET,
    business_unit: str | Unset | None = UNSET,
    decision_authority: DecisionAuthority | Unset = UNSET,
    member_id: uuid.UUID | Unset | None = UNSET,
) -> Owner:
    """Change the given fields of an owner."""
    owner = await load_target(session, Owner, owner_id, expected_version=expected_version)
    c = Collector()
    changes = _check_fields(
        c,
        name=name,
        email=email,
        title=title,
        business_unit=business_unit,
        decision_authority=decision_authority,
        member_id=member_id,
    )
    cleaned = changes.get("email")
    if isinstance(cleaned, str) and await _email_in_use(
        session, client_id=owner.client_id, email=cleaned, exclude=owner.id
    ):
        c.errors.extend(_email_taken().errors)
    c.raise_if_any()
    before = snapshot(owner)
    async with guarded_write(session, {EMAIL_INDEX: _email_taken()}):
        apply(owner, changes)
    await finish_write(session, actor=actor, action="update", obj=owner, before=before)
    return owner


async def archive_owner(
    session: AsyncSession, *, actor: Actor, owner_id: uuid.UUID, expected_version: int
) -> Owner:
    """Archive an owner who holds no open assignment (VALIDATION on `id` otherwise)."""
    owner = await load_target(session, Owner, owner_id, expected_version=expected_version)
    open_assignment = await session.scalar(
        select(OwnershipAssignment.id)
        .where(OwnershipAssignment.owner_id == owner_id, OwnershipAssignment.ends_on.is_(None))
        .limit(1)
    )
    if open_assignment is not None:
        raise DomainError.one("id", ErrorCode.VALIDATION, "end the owner's assignments first")
    before = snapshot(owner)
    async with guarded_write(session):
        apply(owner, {"archived_at": utcnow()})
    await finish_write(session, actor=actor, action="archive", obj=owner, before=before)
    return owner
