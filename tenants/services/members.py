"""Members: invited by e-mail and role, linked on first login, deactivated at once.

Role changes and deactivation reach the member's live browser sessions (and,
for deactivation, API tokens) in the same transaction, through the row-level
secured platform tables, so there is no window in which an old session still
carries the old rights.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tenants.errors import conflict, validation
from tenants.models import ClientOrganisation, Member, MemberStatus
from tenants.principals import STAFF_ROLES, Role
from tenants.services.audit import Actor, add_audited, finish_write, snapshot
from tenants.services.browser_sessions import (
    refresh_member_sessions,
    revoke_member_credentials,
    revoke_member_tokens,
)
from tenants.services.changes import Changes, Rule, one_of, optional_text
from tenants.services.persistence import apply, guarded_write, load_target
from tenants.services.validation import UNSET, Collector, Unset, given

EMAIL_INDEX = "uq_members_email_live"
_ORG = "clientOrganisationId"
_CONSTRAINTS = {EMAIL_INDEX: conflict("email", "a member with this e-mail address exists")}


def _check_scope(c: Collector, role: Role, client_organisation_id: uuid.UUID | None) -> None:
    if role in STAFF_ROLES and client_organisation_id is not None:
        c.add("clientOrganisationId", "staff roles belong to no client organisation")
    if role not in STAFF_ROLES and client_organisation_id is None:
        c.add("clientOrganisationId", "client roles need a client organisation")


async def _is_last_admin(session: AsyncSession, member: Member) -> bool:
    if member.role is not Role.ADMIN or member.status is not MemberStatus.ACTIVE:
        return False
    # FOR UPDATE on every active admin, this one included: two admins removing each
    # other at once would otherwise each count the other (write skew) and leave none.
    # The second waits for the first to commit, then PostgreSQL re-checks the rows it
    # waited on and no longer counts the one the first removed.
    admins = await session.scalars(
        select(Member.id)
        .where(Member.role == Role.ADMIN, Member.status == MemberStatus.ACTIVE)
        .order_by(Member.id)  # one lock order for every transaction: no deadlock
        .with_for_update()
    )
    return not any(admin != member.id for admin in admins)


def _address(c: Collector, field: str, value: str) -> str | None:
    address = c.email(field, value)
    if address is None and not c.has(field):
        c.add(field, "must not be blank")
    return address


# A member's writable fields. Invite and role change check through it but keep their own
# audit actions (invite, update_role) and side effects (sessions refreshed, tokens revoked).
# The organisation's rules (it exists; staff roles have none, client roles one) need the
# database and the role, so the writes check them after these.
MEMBER_CHANGES = Changes(
    Member,
    Rule("email", _address, nullable=False),
    Rule("role", one_of(Role), nullable=False),
    Rule("client_organisation_id"),
    Rule("display_name", optional_text),
)


async def invite_member(session: AsyncSession, *, actor: Actor, **values: Any) -> Member:
    """Pre-provision a member from the fields of `MEMBER_CHANGES`; their first login from an
    allowed domain of the right provider links them."""
    c = Collector()
    changes = MEMBER_CHANGES.check(c, values)
    await c.load(session, ClientOrganisation, changes["client_organisation_id"], _ORG)
    if not c.has("role"):
        _check_scope(c, changes["role"], changes["client_organisation_id"])
    c.raise_if_any()
    member = Member(**changes, status=MemberStatus.INVITED)
    await add_audited(session, member, actor=actor, action="invite", constraints=_CONSTRAINTS)
    return member


async def update_member_role(
    session: AsyncSession,
    *,
    actor: Actor,
    member_id: uuid.UUID,
    expected_version: int,
    role: Role,
    **organisation: Any,
) -> Member:
    """Change a member's role and, given `client_organisation_id` (moving between staff and
    client), organisation.

    Their live sessions take the new role at once; their API tokens are revoked.
    """
    member = await load_target(session, Member, member_id, expected_version=expected_version)
    c = Collector()
    if member.status is MemberStatus.DEACTIVATED:
        c.add("id", "is deactivated")
    changes = MEMBER_CHANGES.check(c, {"role": role, **organisation}, member)
    if organisation:
        await c.load(session, ClientOrganisation, changes["client_organisation_id"], _ORG)
    if not c.has("role"):
        _check_scope(
            c, changes["role"], changes.get("client_organisation_id", member.client_organisation_id)
        )
        if changes["role"] is not Role.ADMIN and await _is_last_admin(session, member):
            c.add("role", "the tenant's last active admin cannot be demoted")
    c.raise_if_any()
    before = snapshot(member)
    async with guarded_write(session):
        changed = apply(member, changes)
    revoked = 0
    if changed:
        await refresh_member_sessions(session, member=member)
        # A token keeps the role it was issued with: a demoted admin's tokens would
        # stay admin. Every token of the member goes; they may issue new ones if the
        # new role allows it.
        revoked = await revoke_member_tokens(session, member_id=member.id)
    await finish_write(
        session,
        actor=actor,
        action="update_role",
        obj=member,
        before=before,
        extra_after={"tokens_revoked": revoked},
    )
    return member


async def deactivate_member(
    session: AsyncSession, *, actor: Actor, member_id: uuid.UUID, expected_version: int
) -> Member:
    """Deactivate a member and, in the same transaction, end their sessions and API tokens."""
    member = await load_target(session, Member, member_id, expected_version=expected_version)
    if member.status is MemberStatus.DEACTIVATED:
        raise validation("id", "is already deactivated")
    if await _is_last_admin(session, member):
        raise validation("id", "the tenant's last active admin cannot be deactivated")
    before = snapshot(member)
    async with guarded_write(session):
        apply(member, {"status": MemberStatus.DEACTIVATED})
    sessions, tokens = await revoke_member_credentials(session, member_id=member.id)
    await finish_write(
        session,
        actor=actor,
        action="deactivate",
        obj=member,
        before=before,
        extra_after={"sessions_revoked": sessions, "tokens_revoked": tokens},
    )
    return member


async def list_members(
    session: AsyncSession,
    *,
    client_organisation_id: uuid.UUID | Unset | None = UNSET,
    status: MemberStatus | None = None,
) -> list[Member]:
    """Members by creation; `client_organisation_id=None` selects staff members only."""
    query = select(Member).order_by(Member.created_at, Member.id)
    if given(client_organisation_id):
        query = query.where(
            Member.client_organisation_id.is_(None)
            if client_organisation_id is None
            else Member.client_organisation_id == client_organisation_id
        )
    if status is not None:
        query = query.where(Member.status == status)
    return list(await session.scalars(query))
