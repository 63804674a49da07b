"""Owners: people at a client who hold assignments."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from tenants.errors import DomainError, ErrorCode, FieldError
from tenants.models import ClientOrganisation, DecisionAuthority, Owner, OwnershipAssignment
from tenants.services.assignments import hours_by_owner, total_hours_per_week
from tenants.services.audit import Actor
from tenants.services.changes import Changes, Rule, Verify, email, one_of, optional_text, text
from tenants.services.validation import Collector

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


OWNER_CHANGES = Changes(
    Owner,
    Rule("name", text, nullable=False),
    # Unique among the client's live owners: `_email_free` asks the database.
    Rule("email", email),
    Rule("title", optional_text),
    Rule("business_unit", optional_text),
    Rule(
        "decision_authority",
        one_of(DecisionAuthority),
        nullable=False,
        default=DecisionAuthority.NONE,
    ),
    Rule("member_id"),
)


def _email_free(
    session: AsyncSession, *, client_id: uuid.UUID, exclude: uuid.UUID | None
) -> Verify:
    """A CONFLICT on `email` when another live owner of the client has the address, as the
    email rule cleaned it. An address the rule refused is not looked up: it can never be
    stored, and one with a NUL would fail in the database rather than as a VALIDATION
    error. The unique index backs this up."""

    async def verify(c: Collector, changes: dict[str, Any]) -> None:
        address = changes.get("email")
        if (
            address is not None
            and not c.has("email")
            and await _email_in_use(session, client_id=client_id, email=address, exclude=exclude)
        ):
            c.errors.extend(_email_taken().errors)

    return verify


async def create_owner(
    session: AsyncSession, *, actor: Actor, client_id: uuid.UUID, **values: Any
) -> Owner:
    """Create an owner at a client from the fields of `OWNER_CHANGES`; the email, when
    given, is unique among live owners."""
    c = Collector()
    await c.load(session, ClientOrganisation, client_id, "client_organisation_id")
    return await OWNER_CHANGES.create(
        session,
        actor=actor,
        values=values,
        fixed={"client_id": client_id},
        c=c,
        constraints={EMAIL_INDEX: _email_taken()},
        verify=_email_free(session, client_id=client_id, exclude=None),
    )


async def update_owner(
    session: AsyncSession,
    *,
    actor: Actor,
    owner_id: uuid.UUID,
    expected_version: int,
    **values: Any,
) -> Owner:
    """Change the given fields of an owner."""
    owner = await OWNER_CHANGES.load(session, owner_id, expected_version=expected_version)
    return await OWNER_CHANGES.update(
        session,
        owner,
        actor=actor,
        values=values,
        constraints={EMAIL_INDEX: _email_taken()},
        verify=_email_free(session, client_id=owner.client_id, exclude=owner.id),
    )


async def archive_owner(
    session: AsyncSession, *, actor: Actor, owner_id: uuid.UUID, expected_version: int
) -> Owner:
    """Archive an owner who holds no open assignment (VALIDATION on `id` otherwise)."""
    # Loaded first so a missing, archived or stale owner is refused before its assignments
    # are looked at; the archive below finds it in the session without a second query.
    await OWNER_CHANGES.load(session, owner_id, expected_version=expected_version)
    open_assignment = await session.scalar(
        select(OwnershipAssignment.id)
        .where(OwnershipAssignment.owner_id == owner_id, OwnershipAssignment.ends_on.is_(None))
        .limit(1)
    )
    if open_assignment is not None:
        raise DomainError.one("id", ErrorCode.VALIDATION, "end the owner's assignments first")
    return await OWNER_CHANGES.archive(
        session, owner_id, actor=actor, expected_version=expected_version
    )
