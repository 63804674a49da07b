"""SCIM provisioning, below the HTTP layer: tokens per identity provider, and members as users.

A provider's scope is the client organisation it belongs to, or the staff for the staff
provider; every function takes the provider and never reaches a member outside its scope
(such a member is "not found", exactly like one that does not exist). Members are written
through tenants/services/members.py (invite, deactivate), so SCIM deactivation ends the
member's sessions and API tokens in the same transaction as any other deactivation. Every
write is audited with the provider as the actor.
"""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from tenants.errors import conflict, not_found
from tenants.models import IdentityProvider, Member, MemberStatus, ScimToken, ScimUser
from tenants.services.audit import (
    Actor,
    AuditActorKind,
    apply_audited,
    finish_write,
    record_audit,
    snapshot,
)
from tenants.services.members import EMAIL_INDEX, deactivate_member, invite_member
from tenants.services.persistence import apply, guarded_write, utcnow
from tenants.services.validation import Collector
from tenants.tokens import IssuedToken, digest

SCIM_TOKEN_PREFIX = "scim_"  # noqa: S105  (a public marker, not a secret)
_CONFLICT = {EMAIL_INDEX: conflict("userName", "a member with this e-mail address exists")}


def provider_actor(provider: IdentityProvider) -> Actor:
    """The audit trail names the provider whose SCIM client made the change."""
    return Actor(f"SCIM of {provider.name}", AuditActorKind.SCIM, provider.id)


@dataclass(frozen=True, slots=True)
class ScimMember:
    """A member as one provider sees it: the row, and its SCIM side if this provider wrote one."""

    member: Member
    resource: ScimUser | None


@dataclass(frozen=True, slots=True)
class UserFields:
    """What a SCIM User sets on a member; `attributes` keeps the rest of the resource."""

    user_name: str
    email: str
    display_name: str | None
    active: bool
    external_id: str | None
    attributes: dict[str, Any]


async def _audit_resource(
    session: AsyncSession,
    actor: Actor,
    action: str,
    resource: ScimUser,
    before: dict[str, Any] | None,
) -> None:
    """The SCIM side is keyed by its member: the trail names the member's id."""
    await session.flush()
    await record_audit(
        session,
        actor=actor,
        action=action,
        obj=resource,
        before=before,
        after=snapshot(resource),
        object_id=resource.member_id,
    )
    await session.flush()


async def issue_scim_token(
    session: AsyncSession, *, actor: Actor, identity_provider_id: uuid.UUID
) -> IssuedToken:
    """Issue a bearer token for the provider's SCIM client; earlier ones stay valid until
    revoked, so a provider can rotate without downtime."""
    provider = await session.get(IdentityProvider, identity_provider_id)
    if provider is None:
        raise not_found("identityProviderId", "identity provider not found")
    secret = SCIM_TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ScimToken(
        identity_provider_id=provider.id,
        token_digest=digest(secret),
        prefix=secret[: len(SCIM_TOKEN_PREFIX) + 6],
    )
    session.add(token)
    await session.flush()
    await record_audit(
        session,
        actor=actor,
        action="issue_scim_token",
        obj=provider,
        before=None,
        after={"scim_token_prefix": token.prefix},
    )
    await session.flush()
    return IssuedToken(token.id, secret)


async def revoke_scim_tokens(
    session: AsyncSession, *, actor: Actor, identity_provider_id: uuid.UUID
) -> int:
    """Revoke every live SCIM token of a provider; returns how many."""
    provider = await session.get(IdentityProvider, identity_provider_id)
    if provider is None:
        raise not_found("identityProviderId", "identity provider not found")
    result = await session.execute(
        update(ScimToken)
        .where(ScimToken.identity_provider_id == provider.id, ScimToken.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )
    count = int(result.rowcount)  # type: ignore[attr-defined]
    await record_audit(
        session,
        actor=actor,
        action="revoke_scim_tokens",
        obj=provider,
        before=None,
        after={"revoked": count},
    )
    await session.flush()
    return count


async def provider_for_token(
    session: AsyncSession, *, identity_provider_id: uuid.UUID, secret: str
) -> IdentityProvider | None:
    """The provider a live SCIM token belongs to, if it is this one; None otherwise."""
    if not secret.startswith(SCIM_TOKEN_PREFIX):
        return None
    token = await session.scalar(
        select(ScimToken).where(
            ScimToken.token_digest == digest(secret),
            ScimToken.identity_provider_id == identity_provider_id,
            ScimToken.revoked_at.is_(None),
        )
    )
    if token is None:
        return None
    token.last_used_at = utcnow()
    return await session.get(IdentityProvider, identity_provider_id)


def user_name_of(item: ScimMember) -> str:
    """The userName the provider wrote, or the e-mail of a member it did not provision."""
    stored = item.resource.attributes.get("userName") if item.resource is not None else None
    return str(stored) if stored else item.member.email


async def _check_user_name(
    session: AsyncSession, provider: IdentityProvider, user_name: str, skip: uuid.UUID | None
) -> None:
    """userName is unique per service provider (RFC 7643 §4.1.1), case-insensitively.

    The provider's row is held until the transaction ends first, so its SCIM writes run one
    at a time: a name found free stays free until this write commits."""
    await session.execute(
        select(IdentityProvider.id).where(IdentityProvider.id == provider.id).with_for_update()
    )
    wanted = user_name.casefold()
    for item in await list_scim_members(session, provider=provider):
        if item.member.id != skip and user_name_of(item).casefold() == wanted:
            raise conflict("userName", "is already taken")


def _in_scope(provider: IdentityProvider) -> ColumnElement[bool]:
    if provider.client_organisation_id is None:
        return Member.client_organisation_id.is_(None)
    return Member.client_organisation_id == provider.client_organisation_id


def _visible_to(provider: IdentityProvider) -> ColumnElement[bool]:
    mine = (ScimUser.identity_provider_id == provider.id) & ScimUser.deleted_at.is_(None)
    unclaimed = ScimUser.member_id.is_(None) & (Member.status != MemberStatus.DEACTIVATED)
    return _in_scope(provider) & (mine | unclaimed)


async def list_scim_members(
    session: AsyncSession, *, provider: IdentityProvider
) -> list[ScimMember]:
    """The members this provider sees, oldest first: those of its scope that it provisioned,
    and the live ones no provider provisioned (so it can match existing members by
    userName before creating). A member another provider provisioned is not its to touch."""
    rows = await session.execute(
        select(Member, ScimUser)
        .outerjoin(ScimUser, ScimUser.member_id == Member.id)
        .where(_visible_to(provider))
        .order_by(Member.created_at, Member.id)
    )
    return [ScimMember(member, resource) for member, resource in rows]


async def get_scim_member(
    session: AsyncSession, *, provider: IdentityProvider, member_id: uuid.UUID
) -> ScimMember:
    """One member this provider sees, locked for the rest of the transaction."""
    row = (
        await session.execute(
            select(Member, ScimUser)
            .outerjoin(ScimUser, ScimUser.member_id == Member.id)
            .where(Member.id == member_id)
            .where(_visible_to(provider))
            .with_for_update(of=Member)
        )
    ).first()
    if row is None:
        raise not_found("id", "user not found")
    return ScimMember(row[0], row[1])


async def create_scim_member(
    session: AsyncSession, *, provider: IdentityProvider, fields: UserFields
) -> ScimMember:
    """Provision a member in the provider's scope with its default role (invited until their
    first login links them), deactivated at once when the provider says `active: false`."""
    actor = provider_actor(provider)
    await _check_user_name(session, provider, fields.user_name, None)
    member = await invite_member(
        session,
        actor=actor,
        email=fields.email,
        role=provider.default_role,
        client_organisation_id=provider.client_organisation_id,
        display_name=fields.display_name,
    )
    resource = ScimUser(
        member_id=member.id,
        identity_provider_id=provider.id,
        external_id=fields.external_id,
        attributes=fields.attributes,
    )
    session.add(resource)
    await _audit_resource(session, actor, "scim_create", resource, None)
    if not fields.active:
        member = await deactivate_member(
            session, actor=actor, member_id=member.id, expected_version=member.version
        )
    return ScimMember(member, resource)


async def _set_profile(
    session: AsyncSession, actor: Actor, member: Member, fields: UserFields
) -> None:
    c = Collector()
    address = c.email("userName", fields.email)
    name = c.optional_text("displayName", fields.display_name)
    c.raise_if_any()
    before = snapshot(member)
    async with guarded_write(session, _CONFLICT):
        changed = apply(member, {"email": str(address), "display_name": name})
    if changed:
        await finish_write(session, actor=actor, action="scim_update", obj=member, before=before)


async def _set_active(session: AsyncSession, actor: Actor, member: Member, active: bool) -> Member:
    if not active and member.status is not MemberStatus.DEACTIVATED:
        return await deactivate_member(
            session, actor=actor, member_id=member.id, expected_version=member.version
        )
    if active and member.status is MemberStatus.DEACTIVATED:
        # Back as they were before: linked members may log in again at once, others on
        # their next first login. No session or token comes back.
        status = MemberStatus.INVITED if member.issuer is None else MemberStatus.ACTIVE
        await apply_audited(
            session,
            member,
            {"status": status},
            actor=actor,
            action="reactivate",
            constraints=_CONFLICT,
        )
    return member


async def replace_scim_member(
    session: AsyncSession, *, provider: IdentityProvider, member_id: uuid.UUID, fields: UserFields
) -> ScimMember:
    """Replace the SCIM resource of a member (PUT, and PATCH after it is applied)."""
    actor = provider_actor(provider)
    await _check_user_name(session, provider, fields.user_name, member_id)
    current = await get_scim_member(session, provider=provider, member_id=member_id)
    member = current.member
    if fields.active:
        member = await _set_active(session, actor, member, True)
    await _set_profile(session, actor, member, fields)
    resource = current.resource
    if resource is None:
        resource = ScimUser(member_id=member.id, identity_provider_id=provider.id, attributes={})
        session.add(resource)
        before = None
    else:
        before = snapshot(resource)
    apply(resource, {"external_id": fields.external_id, "attributes": fields.attributes})
    await _audit_resource(session, actor, "scim_replace", resource, before)
    if not fields.active:
        member = await _set_active(session, actor, member, False)
    return ScimMember(member, resource)


async def delete_scim_member(
    session: AsyncSession, *, provider: IdentityProvider, member_id: uuid.UUID
) -> None:
    """Deprovision: the member is deactivated (sessions and tokens end with it) and its SCIM
    resource removed, so the provider no longer sees it. The member row stays, for the
    audit trail and the ownership history that names it."""
    actor = provider_actor(provider)
    current = await get_scim_member(session, provider=provider, member_id=member_id)
    member = await _set_active(session, actor, current.member, False)
    resource = current.resource
    if resource is None:
        resource = ScimUser(member_id=member.id, identity_provider_id=provider.id, attributes={})
        session.add(resource)
        await session.flush()
    before = snapshot(resource)
    await record_audit(
        session, actor=actor, action="scim_delete", obj=member, before=before, after=None
    )
    # The row stays, marking the member as this provider's and deleted: it is out of the
    # listing of every provider from now on.
    apply(resource, {"deleted_at": utcnow(), "external_id": None})
    await session.flush()
