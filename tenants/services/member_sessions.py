"""A member's browser sessions: listing the current ones, ending one or all of them without
deactivating the member (a lost laptop, a shared PC), and ending them when the identity
provider says the person signed out there (OpenID Back-Channel Logout)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from tenants.errors import not_found, validation
from tenants.global_ids import global_id
from tenants.models import IdentityProvider, Member
from tenants.models.audit import AuditActorKind
from tenants.registry import BrowserSession, TenantRef
from tenants.services.audit import Actor, record_audit, snapshot
from tenants.services.browser_sessions import revoke_member_sessions
from tenants.services.persistence import load_target, utcnow


async def end_member_sessions(
    session: AsyncSession, *, actor: Actor, member_id: uuid.UUID
) -> tuple[Member, int]:
    """End every live browser session of a member, audited; returns the member and the count.

    API tokens stay (they are revoked one by one with revokeApiToken); the member's
    version does not change, since the member itself is not edited.
    """
    member = await load_target(session, Member, member_id)
    ended = await revoke_member_sessions(session, member_id=member.id)
    await _audit_ended(session, actor, "end_sessions", member, {"sessions_revoked": ended})
    await session.flush()
    return member, ended


@dataclass(frozen=True, slots=True)
class SessionView:
    """A browser session as Member.sessions shows it (never its digests or id token)."""

    id: uuid.UUID
    member_id: uuid.UUID
    identity_provider_id: uuid.UUID | None
    client_address: str | None
    user_agent: str | None
    created_at: datetime
    last_seen_at: datetime
    expires_at: datetime


_S = BrowserSession
VIEW_COLUMNS = (
    _S.id,
    _S.member_id,
    _S.identity_provider_id,
    _S.client_address,
    _S.user_agent,
    _S.created_at,
    _S.last_seen_at,
    _S.expires_at,
)


def current_sessions(tenant: TenantRef) -> list[Any]:
    """SQL: the tenant's sessions that are neither ended nor expired (now() is the
    transaction's start, as on the compiled read path)."""
    return [_S.tenant_id == tenant.id, _S.revoked_at.is_(None), _S.expires_at > func.now()]


async def list_current_sessions(
    session: AsyncSession,
    *,
    tenant: TenantRef,
    member_ids: list[uuid.UUID] | None = None,
    ids: list[uuid.UUID] | None = None,
) -> list[SessionView]:
    """Current sessions of these members (or with these ids), newest first."""
    stmt = select(*VIEW_COLUMNS).where(*current_sessions(tenant))
    if member_ids is not None:
        stmt = stmt.where(_S.member_id.in_(member_ids))
    if ids is not None:
        stmt = stmt.where(_S.id.in_(ids))
    rows = await session.execute(stmt.order_by(_S.created_at.desc(), _S.id.desc()))
    return [SessionView(**row._mapping) for row in rows]


async def end_member_session(
    session: AsyncSession, *, actor: Actor, tenant: TenantRef, session_id: uuid.UUID
) -> tuple[Member, uuid.UUID]:
    """End one current browser session, audited; returns its member and the session id.

    A session that is already ended or expired is a VALIDATION error on `sessionId`
    (nothing changes); one that is not the tenant's is NOT_FOUND, like a missing one.
    """
    ended = await session.scalar(
        update(_S)
        .where(_S.id == session_id, *current_sessions(tenant))
        .values(revoked_at=utcnow())
        .returning(_S.member_id)
    )
    if ended is None:
        exists = await session.scalar(
            select(_S.id).where(_S.id == session_id, _S.tenant_id == tenant.id)
        )
        if exists is None:
            raise not_found("sessionId", "no such session")
        raise validation("sessionId", "this session has already ended")
    member = await load_target(session, Member, ended)
    ended_id = global_id("MemberSession", session_id)
    await _audit_ended(session, actor, "end_session", member, {"session_revoked": ended_id})
    await session.flush()
    return member, session_id


async def end_sessions_at_provider_logout(
    session: AsyncSession,
    *,
    idp: IdentityProvider,
    sid: str | None,
    subject: str | None,
) -> int:
    """OpenID Back-Channel Logout: end this provider's sessions of `sid` and/or `sub`,
    audited per member; returns how many ended (0 is a success: already signed out)."""
    conditions: list[Any] = [_S.identity_provider_id == idp.id, _S.revoked_at.is_(None)]
    if sid is not None:
        conditions.append(_S.sid == sid)
    if subject is not None:
        member_id = await session.scalar(
            select(Member.id).where(Member.issuer == idp.issuer, Member.subject == subject)
        )
        if member_id is None:
            return 0
        conditions.append(_S.member_id == member_id)
    rows = (
        await session.execute(
            update(_S).where(*conditions).values(revoked_at=utcnow()).returning(_S.member_id)
        )
    ).all()
    actor = Actor(label=idp.name or idp.issuer, kind=AuditActorKind.IDENTITY_PROVIDER, id=idp.id)
    for member_id in sorted({row[0] for row in rows}):
        member = await session.get(Member, member_id)
        if member is None:
            continue
        ended = {"sessions_revoked": sum(1 for row in rows if row[0] == member_id)}
        await _audit_ended(session, actor, "backchannel_logout", member, ended)
    await session.flush()
    return len(rows)


async def _audit_ended(
    session: AsyncSession, actor: Actor, action: str, member: Member, facts: dict[str, Any]
) -> None:
    """An event on the member naming what ended. The member itself is not edited, so the
    diff of its snapshot with the facts added holds only the facts (camelCased)."""
    view = snapshot(member)
    await record_audit(
        session, actor=actor, action=action, obj=member, before=view, after=view | facts
    )
