"""Browser sessions and member credentials, written from inside the tenant's transaction.

These statements address `public.browser_sessions` and `public.api_tokens` as
the tenant role; row-level security confines them to the tenant's own rows
(tenants/registry.py), so opening a session at login and revoking everything at
deactivation commit or roll back with the tenant-schema change they belong to.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import uuid
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta

from sqlalchemy import insert, update
from sqlalchemy.ext.asyncio import AsyncSession

from tenants.models import Member
from tenants.registry import ApiToken, BrowserSession, TenantRef
from tenants.services.persistence import utcnow
from tenants.tokens import digest

SESSION_PREFIX = "sts_"


def csrf_token_for(secret: str) -> str:
    """The session's CSRF token, derived from its secret so that it can be handed again
    (GET /auth/session) to a front end on another origin, which cannot read our cookies;
    without the HttpOnly secret it cannot be computed."""
    mac = hmac.new(secret.encode(), b"steward-csrf-v1", hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac).rstrip(b"=").decode("ascii")


@dataclass(frozen=True, slots=True)
class SessionOrigin:
    """How a session began (public.browser_sessions documents each column)."""

    identity_provider_id: uuid.UUID | None = None
    client_address: str | None = None
    user_agent: str | None = None
    sid: str | None = None
    id_token_encrypted: str | None = None


@dataclass(frozen=True, slots=True)
class OpenedSession:
    """`secret` goes in the HttpOnly cookie, `csrf_token` in the readable one; neither is stored."""

    id: uuid.UUID
    secret: str
    csrf_token: str
    expires_at: datetime


async def open_browser_session(
    session: AsyncSession,
    *,
    tenant: TenantRef,
    member: Member,
    idle: timedelta,
    origin: SessionOrigin | None = None,
) -> OpenedSession:
    """Start a session for `member`; it expires after `idle` unless renewed by use."""
    secret = SESSION_PREFIX + secrets.token_urlsafe(32)
    csrf_token = csrf_token_for(secret)
    session_id = uuid.uuid4()
    now = utcnow()
    expires_at = now + idle
    await session.execute(
        insert(BrowserSession).values(
            id=session_id,
            tenant_id=tenant.id,
            tenant_role=tenant.role_name,
            member_id=member.id,
            member_name=member.display_name or member.email,
            token_hash=digest(secret),
            csrf_hash=digest(csrf_token),
            role=member.role.value,
            client_organisation_id=member.client_organisation_id,
            created_at=now,
            last_seen_at=now,
            expires_at=expires_at,
            **asdict(origin or SessionOrigin()),
        )
    )
    return OpenedSession(session_id, secret, csrf_token, expires_at)


async def revoke_browser_session(session: AsyncSession, *, session_id: uuid.UUID) -> bool:
    """End one session (logout); True when a live one was ended."""
    result = await session.execute(
        update(BrowserSession)
        .where(BrowserSession.id == session_id, BrowserSession.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def revoke_member_sessions(session: AsyncSession, *, member_id: uuid.UUID) -> int:
    """End every live browser session of a member; returns how many."""
    result = await session.execute(
        update(BrowserSession)
        .where(BrowserSession.member_id == member_id, BrowserSession.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


async def revoke_member_credentials(
    session: AsyncSession, *, member_id: uuid.UUID
) -> tuple[int, int]:
    """End every live session and token of a member; returns (sessions, tokens) revoked."""
    now = utcnow()
    sessions = await session.execute(
        update(BrowserSession)
        .where(BrowserSession.member_id == member_id, BrowserSession.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    return int(sessions.rowcount), await revoke_member_tokens(session, member_id=member_id)  # type: ignore[attr-defined]


async def revoke_member_tokens(session: AsyncSession, *, member_id: uuid.UUID) -> int:
    """End every live API token of a member; returns how many."""
    tokens = await session.execute(
        update(ApiToken)
        .where(ApiToken.member_id == member_id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )
    return int(tokens.rowcount)  # type: ignore[attr-defined]


async def refresh_member_sessions(session: AsyncSession, *, member: Member) -> int:
    """Copy a member's new role (and organisation) into their live sessions at once."""
    result = await session.execute(
        update(BrowserSession)
        .where(BrowserSession.member_id == member.id, BrowserSession.revoked_at.is_(None))
        .values(role=member.role.value, client_organisation_id=member.client_organisation_id)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]
