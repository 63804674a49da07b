"""Turning a verified identity into a member: link, provision or refuse; audit either way.

The rules, in order:

1. A member with this (issuer, subject) is that person. They must not be
   deactivated and must belong to the provider's organisation (staff for the
   staff provider); e-mail plays no part.
2. Otherwise the identity needs an e-mail marked verified (or, when the
   provider's mapping does not require `email_verified`, not marked unverified),
   in one of the provider's allowed domains.
3. A member invited with that e-mail and not yet linked is linked to this
   identity, keeping the role they were invited with, if the invitation is for
   the provider's organisation; otherwise the login is refused.
4. A deactivated member with that e-mail keeps the person out: deactivation is
   not undone by arriving with a new identity.
5. Otherwise a new member is provisioned into the provider's organisation with
   the role from the claim mapping (most privileged match) or the default role.
   The role mapping applies at provisioning; later changes are the admins'.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from tenants.global_ids import global_id
from tenants.models import IdentityProvider, Member, MemberStatus
from tenants.principals import Role
from tenants.services.audit import Actor, AuditActorKind, record_event
from tenants.services.audit_shape import facts
from tenants.services.login_refusals import LoginRefused, Refusal
from tenants.services.persistence import utcnow

# Most privileged first: when several mapped claim values match, the first wins.
ROLE_ORDER = (Role.ADMIN, Role.CONSULTANT, Role.VIEWER, Role.CLIENT_OWNER, Role.CLIENT_VIEWER)


@dataclass(frozen=True, slots=True)
class VerifiedIdentity:
    """Claims of an id token whose signature and claims were already checked."""

    issuer: str
    subject: str
    email: str | None
    email_verified: bool | None
    name: str | None
    claims: dict[str, Any] = field(default_factory=dict)


def _domain(email: str) -> str:
    return email.rsplit("@", 1)[1].lower() if "@" in email else ""


def mapped_role(idp: IdentityProvider, claims: dict[str, Any]) -> Role:
    """The role the provider's claim mapping gives these claims, else its default role."""
    mapping = idp.claim_role_mapping or {}
    claim, values = mapping.get("claim"), mapping.get("values") or {}
    raw = claims.get(claim) if isinstance(claim, str) else None
    present = {raw} if isinstance(raw, str) else {v for v in raw or () if isinstance(v, str)}
    matched = {Role(values[v]) for v in present if v in values}
    return next((r for r in ROLE_ORDER if r in matched), idp.default_role)


def _same_organisation(member: Member, idp: IdentityProvider) -> bool:
    return member.client_organisation_id == idp.client_organisation_id


async def _by_email(session: AsyncSession, email: str) -> list[Member]:
    rows = await session.scalars(
        select(Member).where(func.lower(Member.email) == email.lower()).with_for_update()
    )
    return list(rows)


def _checked_email(idp: IdentityProvider, identity: VerifiedIdentity) -> str:
    if not identity.email or "@" not in identity.email:
        raise LoginRefused(Refusal.EMAIL_MISSING, "the identity provider sent no e-mail address")
    # Strict unless the provider's mapping says it sends no email_verified (Entra ID): then
    # only an explicit false refuses.
    required = idp.require_email_verified is not False
    if identity.email_verified is False or (required and identity.email_verified is not True):
        raise LoginRefused(
            Refusal.EMAIL_UNVERIFIED, "the identity provider has not verified this e-mail address"
        )
    if _domain(identity.email) not in idp.allowed_domains:
        raise LoginRefused(
            Refusal.DOMAIN_NOT_ALLOWED,
            "accounts of this e-mail domain may not sign in here; ask an administrator",
        )
    return identity.email


async def _link_or_provision(
    session: AsyncSession, idp: IdentityProvider, identity: VerifiedIdentity
) -> Member:
    email = _checked_email(idp, identity)
    candidates = await _by_email(session, email)
    if any(m.status is MemberStatus.DEACTIVATED for m in candidates):
        raise LoginRefused(Refusal.MEMBER_DEACTIVATED, "this account has been deactivated")
    for member in candidates:
        if member.status is MemberStatus.INVITED and member.issuer is None:
            if not _same_organisation(member, idp):
                raise LoginRefused(
                    Refusal.WRONG_ORGANISATION,
                    "this invitation is for another organisation; use its own sign-in",
                )
            member.issuer, member.subject = identity.issuer, identity.subject
            member.status = MemberStatus.ACTIVE
            return member
    if candidates:
        raise LoginRefused(
            Refusal.EMAIL_CONFLICT,
            "a member with this e-mail address signs in another way; ask an administrator",
        )
    member = Member(
        email=email,
        display_name=identity.name,
        role=mapped_role(idp, identity.claims),
        client_organisation_id=idp.client_organisation_id,
        issuer=identity.issuer,
        subject=identity.subject,
        status=MemberStatus.ACTIVE,
    )
    session.add(member)
    return member


async def complete_login(
    session: AsyncSession, *, idp: IdentityProvider, identity: VerifiedIdentity
) -> Member:
    """The member this identity logs in as, linked or provisioned; raises LoginRefused."""
    if identity.issuer != idp.issuer:  # the caller checked; a cheap second lock on the door
        raise LoginRefused(Refusal.ISSUER_MISMATCH, "the identity comes from another provider")
    member = await session.scalar(
        select(Member)
        .where(Member.issuer == identity.issuer, Member.subject == identity.subject)
        .with_for_update()
    )
    if member is None:
        member = await _link_or_provision(session, idp, identity)
    elif member.status is MemberStatus.DEACTIVATED:
        raise LoginRefused(Refusal.MEMBER_DEACTIVATED, "this account has been deactivated")
    if not _same_organisation(member, idp):
        raise LoginRefused(
            Refusal.WRONG_ORGANISATION,
            "this account belongs to another organisation; use its own sign-in",
        )
    member.last_login_at = utcnow()
    if identity.name and not member.display_name:
        member.display_name = identity.name[:200]
    try:
        async with session.begin_nested():
            await session.flush()
    except IntegrityError as exc:  # a concurrent first login of the same person
        raise LoginRefused(
            Refusal.EMAIL_CONFLICT, "this account was just created; sign in again"
        ) from exc
    return member


async def record_login(
    session: AsyncSession,
    *,
    member: Member,
    idp: IdentityProvider,
    session_id: uuid.UUID,
) -> None:
    """Audit a successful login."""
    await record_event(
        session,
        actor=Actor(member.display_name or member.email, AuditActorKind.MEMBER, member.id),
        action="login",
        object_type="Member",
        object_id=member.id,
        client_id=member.client_organisation_id,
        changes=facts(
            {
                "identity_provider": global_id("IdentityProvider", idp.id),
                "issuer": idp.issuer,
                "role": member.role,
                "browser_session": global_id("BrowserSession", session_id),
            }
        ),
    )
    await session.flush()


async def record_login_failure(
    session: AsyncSession,
    *,
    refusal: LoginRefused,
    attempt_id: uuid.UUID | None,
    identity_provider_id: uuid.UUID | None,
    issuer: str | None,
    identity: VerifiedIdentity | None = None,
) -> None:
    """Audit a refused login; the object is the login attempt (a fresh id when there was none)."""
    actor = (
        Actor((identity.email or identity.subject)[:200], AuditActorKind.IDENTITY)
        if identity
        else Actor("anonymous", AuditActorKind.ANONYMOUS)
    )
    provider = global_id("IdentityProvider", identity_provider_id) if identity_provider_id else None
    await record_event(
        session,
        actor=actor,
        action="login_failed",
        object_type="LoginAttempt",
        object_id=attempt_id or uuid.uuid4(),
        changes=facts(
            {
                "reason": refusal.reason.value,  # as the refusal page and its header name it
                "message": refusal.message,
                "detail": (refusal.detail or "")[:500] or None,
                "identity_provider": provider,
                "issuer": issuer,
                "subject": identity.subject if identity else None,
            }
        ),
    )
    await session.flush()


async def record_logout(
    session: AsyncSession, *, member_id: uuid.UUID, label: str, session_id: uuid.UUID
) -> None:
    """Audit the end of a browser session by its member."""
    await record_event(
        session,
        actor=Actor(label, AuditActorKind.MEMBER, member_id),
        action="logout",
        object_type="Member",
        object_id=member_id,
        changes=facts({"browser_session": global_id("BrowserSession", session_id)}),
    )
    await session.flush()
