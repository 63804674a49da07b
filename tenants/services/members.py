"""Members: invited by e-mail and role, linked on first login, deactivated at once.

Role changes and deactivation reach the member's live browser sessions (and,
for deactivation, API tokens) in the same transaction, through the row-level
secured platform tables, so there is no window in which an old session still
carries the old rights.
"""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tenants.errors import conflict, validation
from tenants.models import ClientOrganisation, Member, MemberStatus
from tenants.principals import STAFF_ROLES, Role
from tenants.services.audit import Actor, finish_write, snapshot
from tenants.services.browser_sessions import (
    refresh_member_sessions,
    revoke_member_credentials,
    revoke_member_tokens,
)
from tenants.services.persistence import apply, guarded_write, load_target
from tenants.services.validation import UNSET, Collector, Unset, given

EMAIL_INDEX = "uq_members_email_live"
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


async def invite_member(
    session: AsyncSession,
    *,
    actor: Actor,
    email: str,
    role: Role,
    client_organisation_id: uuid.UUID | None = None,
    display_name: str | None = None,
) -> Member:
    """Pre-provision a member; their first login from an allowed domain of the right provider
    links them."""
    c = Collector()
    address = c.email("email", email)
    if address is None and not c.has("email"):
        c.add("email", "must not be blank")
    checked_role = c.enum("role", Role, role)
    name = c.optional_text("displayName", display_name)
    await c.load(session, ClientOrganisation, client_organisation_id, "clientOrganisationId")
    if not c.has("role"):
        _check_scope(c, checked_role, client_organisation_id)
    c.raise_if_any()
    member = Member(
        email=str(address),
        role=checked_role,
        client_organisation_id=client_organisation_id,
        display_name=name,
        status=MemberStatus.INVITED,
    )
    async with guarded_write(session, _CONSTRAINTS):
        session.add(member)
    await finish_write(session, actor=actor, action="invite", obj=member, before=None)
    return member


async def update_member_role(
    session: AsyncSession,
    *,
    actor: Actor,
    member_id: uuid.UUID,
    expected_version: int,
    role: Role,
    client_organisation_id: uuid.UUID | Unset | None = UNSET,
) -> Member:
    """Change a member's role (and, moving between staff and client, organisation).

    Their live sessions take the new role at once; their API tokens are revoked.
    """
    member = await load_target(session, Member, member_id, expected_version=expected_version)
    c = Collector()
    if member.status is MemberStatus.DEACTIVATED:
        c.add("id", "is deactivated")
    new_role = c.enum("role", Role, role)
    organisation = (
        client_organisation_id if given(client_organisation_id) else member.client_organisation_id
    )
    if given(client_organisation_id):
        await c.load(session, ClientOrganisation, client_organisation_id, "clientOrganisationId")
    if not c.has("role"):
        _check_scope(c, new_role, organisation)
        if new_role is not Role.ADMIN and await _is_last_admin(session, member):
            c.add("role", "the tenant's last active admin cannot be demoted")
    c.raise_if_any()
    before = snapshot(member)
    async with guarded_write(session):
        changed = apply(member, {"role": new_role, "client_organisation_id": organisation})
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
