"""Browser session cookie to Principal, with sliding renewal under an absolute cap.

Resolution runs as the login role on `public.browser_sessions` only: the
session row carries the tenant, role and client organisation, so no tenant
schema is touched before the tenant is known. A session lives `idle` after its
last renewal and never beyond `absolute` after login; renewal writes at most
once a minute per session, so reading pages does not turn into writes.
"""

from __future__ import annotations

import hmac
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import RowMapping, func, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from tenants.principals import Principal, PrincipalKind, Role
from tenants.registry import BrowserSession, Tenant, TenantRef
from tenants.services.browser_sessions import SESSION_PREFIX
from tenants.tokens import digest

RENEW_AFTER = timedelta(seconds=60)


@dataclass(frozen=True, slots=True)
class ResolvedSession:
    id: uuid.UUID
    tenant: TenantRef
    member_id: uuid.UUID
    member_name: str
    role: Role
    client_organisation_id: uuid.UUID | None
    csrf_hash: str
    expires_at: datetime
    renewed: bool

    @property
    def principal(self) -> Principal:
        return Principal(
            kind=PrincipalKind.MEMBER,
            id=self.member_id,
            name=self.member_name,
            role=self.role,
            tenant=self.tenant,
            client_organisation_id=self.client_organisation_id,
            member_id=self.member_id,
        )

    def csrf_matches(self, token: str | None) -> bool:
        """Whether `token` is this session's CSRF token (constant-time)."""
        return token is not None and hmac.compare_digest(digest(token), self.csrf_hash)


async def resolve_browser_session(
    engine: AsyncEngine, secret: str, *, idle: timedelta, absolute: timedelta
) -> ResolvedSession | None:
    """The live session with this secret, renewed if due; None when unknown, revoked or expired."""
    if not secret.startswith(SESSION_PREFIX) or len(secret) > 200:
        return None
    now = datetime.now(UTC)
    async with engine.connect() as conn, conn.begin():
        row = await _session_row(conn, secret)
        if row is None or row["revoked_at"] is not None or row["expires_at"] <= now:
            return None
        if row["created_at"] + absolute <= now:
            return None
        expires_at, renewed = row["expires_at"], False
        if now - row["last_seen_at"] >= RENEW_AFTER:
            expires_at = await conn.scalar(
                update(BrowserSession)
                .where(BrowserSession.id == row["id"], BrowserSession.revoked_at.is_(None))
                .values(
                    last_seen_at=now,
                    expires_at=func.least(now + idle, BrowserSession.created_at + absolute),
                )
                .returning(BrowserSession.expires_at)
            )
            if expires_at is None:  # revoked in between
                return None
            renewed = True
    tenant = TenantRef(
        row["tenant_id"],
        row["slug"],
        row["tenant_name"],
        row["schema_name"],
        row["role_name"],
        row["schema_revision"],
    )
    return ResolvedSession(
        id=row["id"],
        tenant=tenant,
        member_id=row["member_id"],
        member_name=row["member_name"],
        role=Role(row["role"]),
        client_organisation_id=row["client_organisation_id"],
        csrf_hash=row["csrf_hash"],
        expires_at=expires_at,
        renewed=renewed,
    )


async def _session_row(conn: AsyncConnection, secret: str) -> RowMapping | None:
    """The session with this secret and its tenant's registry entry, in one lookup."""
    s, t = BrowserSession.__table__, Tenant.__table__
    result = await conn.execute(
        select(
            s,
            t.c.slug,
            t.c.name.label("tenant_name"),
            t.c.schema_name,
            t.c.role_name,
            t.c.schema_revision,
        )
        .join(t, t.c.id == s.c.tenant_id)
        .where(s.c.token_hash == digest(secret))
    )
    return result.mappings().first()
