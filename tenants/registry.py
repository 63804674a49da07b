"""The tenant registry and platform records of the `public` schema.

Row-level security: public.api_tokens and public.browser_sessions have RLS
enabled with one policy, `USING (tenant_role = current_user) WITH CHECK
(tenant_role = current_user)`, and every tenant role is granted INSERT and
column-limited SELECT and UPDATE on them, never on a digest column
(tenants/provisioning.py). So a tenant transaction, after
`SET LOCAL ROLE <tenant role>`, can revoke its own members' tokens and sessions
atomically with the tenant-schema change that requires it, and sees zero rows
of any other tenant whatever the SQL says. The application's login role owns
the tables and therefore bypasses the policy (RLS is enabled, not forced): that
is how a credential is resolved to its tenant before any tenant is known.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ARRAY,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    String,
    Text,
    func,
    select,
)
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from sqlalchemy.orm import Mapped, mapped_column

from tenants.base import PlatformBase, UUIDPrimaryKey


class Tenant(UUIDPrimaryKey, PlatformBase):
    """One consultancy. `schema_name` and `role_name` are fixed at provisioning."""

    __tablename__ = "tenants"

    slug: Mapped[str] = mapped_column(String(40), unique=True, nullable=False)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    schema_name: Mapped[str] = mapped_column(String(63), unique=True, nullable=False)
    role_name: Mapped[str] = mapped_column(String(63), unique=True, nullable=False)
    # The tenant history revision the schema is at, written by the migration that
    # moved it, so /readyz checks every tenant with one query.
    schema_revision: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), nullable=False
    )


class ApiToken(UUIDPrimaryKey, PlatformBase):
    """A service credential. Only the SHA-256 of the secret is stored.

    Tokens live in `public` because a request must be resolved to its tenant
    before anything is bound to a tenant schema; the tenant comes from here.
    Row-level security (module docstring) keys rows on `tenant_role`.
    """

    __tablename__ = "api_tokens"
    # Named as the shared migrations name them: the naming convention would put the
    # schema in the name (ix_public_...), and the models must match the database
    # (tests/tenants/test_migrations_match_models.py).
    __table_args__ = (
        Index("ix_api_tokens_tenant_id", "tenant_id"),
        Index("ix_api_tokens_member_id", "member_id"),
    )

    tenant_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("public.tenants.id", ondelete="CASCADE"), nullable=False
    )
    tenant_role: Mapped[str] = mapped_column(String(63), nullable=False)
    # The member the token was created by or for: deactivating them revokes it.
    member_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    role: Mapped[str] = mapped_column(String(32), nullable=False)
    # A client role's organisation lives in the tenant schema; no foreign key may
    # cross from `public` into a tenant schema, so this is a plain id.
    client_organisation_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    scopes: Mapped[list[str]] = mapped_column(ARRAY(Text), nullable=False, default=list)
    prefix: Mapped[str] = mapped_column(String(16), nullable=False)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), nullable=False
    )
    expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class BrowserSession(UUIDPrimaryKey, PlatformBase):
    """A logged-in browser: the cookie holds a secret whose SHA-256 is `token_hash`.

    In `public` for the same reason as API tokens (the cookie must lead to the
    tenant), with the member's role and client organisation copied in so that
    resolving a request touches no tenant schema. `member_id` is a plain id: no
    foreign key crosses from `public` into a tenant schema.
    """

    __tablename__ = "browser_sessions"
    __table_args__ = (
        Index("ix_browser_sessions_tenant_id", "tenant_id"),
        Index("ix_browser_sessions_member_id", "member_id"),
        Index("ix_browser_sessions_identity_provider_id_sid", "identity_provider_id", "sid"),
    )

    tenant_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True),
        ForeignKey("public.tenants.id", ondelete="CASCADE"),
        nullable=False,
    )
    tenant_role: Mapped[str] = mapped_column(String(63), nullable=False)
    member_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), nullable=False)
    member_name: Mapped[str] = mapped_column(String(320), nullable=False)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    csrf_hash: Mapped[str] = mapped_column(String(64), nullable=False)
    role: Mapped[str] = mapped_column(String(32), nullable=False)
    client_organisation_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), nullable=False
    )
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    last_seen_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), nullable=False
    )
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # How the session began, for Member.sessions and for logout (issue 10): the provider
    # (a plain id, as member_id), the browser's address and user agent (truncated), the
    # id token's `sid` (OpenID Back-Channel Logout) and the id token itself, encrypted
    # with STEWARD_SECRET_KEY, as the `id_token_hint` of RP-initiated logout. Tenant
    # roles may read every column here but the id token.
    identity_provider_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    client_address: Mapped[str | None] = mapped_column(String(64))
    user_agent: Mapped[str | None] = mapped_column(String(256))
    sid: Mapped[str | None] = mapped_column(String(255))
    id_token_encrypted: Mapped[str | None] = mapped_column(Text)


class TrustedDocument(PlatformBase):
    """A GraphQL document a front-end build may run, by the SHA-256 of its text.

    Platform-wide, not per tenant: every tenant is served the same front end, so its
    build output is registered once (`steward documents register`, see
    tenants/trusted_documents.py). Tenant roles have no grant on it; the login role
    reads it before any tenant binding (server/middleware/persisted_documents.py).
    """

    __tablename__ = "trusted_documents"
    __table_args__ = (CheckConstraint("sha256 ~ '^[0-9a-f]{64}$'", name="sha256_hex"),)

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    document: Mapped[str] = mapped_column(Text, nullable=False)
    # The operation's name from an Apollo manifest, for `steward documents list`.
    operation_name: Mapped[str | None] = mapped_column(Text)
    # The client the documents came from (`--name`), e.g. "web@2.4.0".
    client_name: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), nullable=False
    )


@dataclass(frozen=True, slots=True)
class TenantRef:
    """What a request or job needs to bind a session: read from the registry only."""

    id: uuid.UUID
    slug: str
    name: str
    schema_name: str
    role_name: str
    # The schema's revision as the registry read it (None: unknown, e.g. mid-provisioning).
    # Known, it lets the session share prepared statements with every tenant at the same
    # revision (tenants/session.py); unknown, the session uses schema-qualified SQL.
    schema_revision: str | None = None

    @classmethod
    def of(cls, row: Tenant) -> TenantRef:
        return cls(row.id, row.slug, row.name, row.schema_name, row.role_name, row.schema_revision)

    @classmethod
    def from_row(cls, row: Any) -> TenantRef:
        """From a registry row mapping (the `tenants` columns)."""
        return cls(
            row["id"],
            row["slug"],
            row["name"],
            row["schema_name"],
            row["role_name"],
            row["schema_revision"],
        )


async def get_tenant(conn: AsyncConnection, slug: str) -> TenantRef | None:
    """The registry entry for `slug`, or None."""
    row = (
        (await conn.execute(select(Tenant.__table__).where(Tenant.slug == slug))).mappings().first()
    )
    if row is None:
        return None
    return TenantRef.from_row(row)


async def lookup_tenant(engine: AsyncEngine, slug: str) -> TenantRef | None:
    """The tenant of `slug` on a connection of its own (jobs get only the slug)."""
    async with engine.connect() as conn:
        return await get_tenant(conn, slug)


async def list_tenants(conn: AsyncConnection) -> list[TenantRef]:
    """Every registered tenant, by slug."""
    rows = (await conn.execute(select(Tenant.__table__).order_by(Tenant.slug))).mappings()
    return [TenantRef.from_row(r) for r in rows]
