"""API tokens: issued once, stored as a SHA-256 digest, resolved to tenant and role.

Tokens carry 256 bits of randomness, so a fast digest is enough: there is
nothing to brute-force that a slow password hash would protect.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import bindparam, insert, select
from sqlalchemy.dialects.postgresql.asyncpg import dialect as asyncpg_dialect
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from tenants.principals import STAFF_ROLES, Role
from tenants.registry import ApiToken, Tenant, TenantRef

TOKEN_PREFIX = "stw_"  # noqa: S105  (a public marker, not a secret)
# The role names a token may carry, in the order the CLI lists them (tenants/principals.py).
ROLES = tuple(role.value for role in Role)


class InvalidRoleError(ValueError):
    """The role is not one Steward knows."""


@dataclass(frozen=True, slots=True)
class IssuedToken:
    id: uuid.UUID
    secret: str  # shown once, never stored


@dataclass(frozen=True, slots=True)
class ResolvedToken:
    id: uuid.UUID
    name: str
    role: str
    scopes: tuple[str, ...]
    client_organisation_id: uuid.UUID | None
    tenant: TenantRef
    member_id: uuid.UUID | None = None


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


async def issue_token(
    conn: AsyncConnection,
    *,
    tenant: TenantRef,
    role: str,
    name: str,
    client_organisation_id: uuid.UUID | None = None,
    scopes: tuple[str, ...] = (),
    expires_at: datetime | None = None,
    member_id: uuid.UUID | None = None,
) -> IssuedToken:
    """Create a token for `tenant` and return its secret, which is not stored.

    Works on the login role's connection (CLI) and inside a tenant transaction:
    there row-level security accepts the row only when `tenant_role` is the
    transaction's own role, so a tenant can never mint a token for another.
    """
    if role not in ROLES:
        raise InvalidRoleError(f"invalid role {role!r}: choose one of {', '.join(ROLES)}")
    if role not in STAFF_ROLES and client_organisation_id is None:
        raise InvalidRoleError(f"role {role!r} needs a client organisation")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token_id = uuid.uuid4()
    await conn.execute(
        insert(ApiToken).values(
            id=token_id,
            tenant_id=tenant.id,
            tenant_role=tenant.role_name,
            member_id=member_id,
            name=name,
            role=role,
            client_organisation_id=client_organisation_id,
            scopes=list(scopes),
            prefix=secret[:12],
            token_hash=digest(secret),
            expires_at=expires_at,
        )
    )
    return IssuedToken(token_id, secret)


# The lookup of a secret's digest, with the token's tenant: one statement, built once.
_LOOKUP = (
    select(
        ApiToken.__table__,
        Tenant.__table__.c.slug,
        Tenant.__table__.c.name.label("tenant_name"),
        Tenant.__table__.c.schema_name,
        Tenant.__table__.c.role_name.label("registry_role"),
        Tenant.__table__.c.schema_revision,
    )
    .join(Tenant.__table__, Tenant.__table__.c.id == ApiToken.__table__.c.tenant_id)
    .where(ApiToken.__table__.c.token_hash == bindparam("token_hash"))
)
# The same statement as asyncpg text, for the request path (`lookup_token`): every API
# request runs it, and SQLAlchemy's execution machinery costs more than the query.
_LOOKUP_SQL = str(_LOOKUP.compile(dialect=asyncpg_dialect()))  # type: ignore[no-untyped-call]


def _live(row: Any) -> ResolvedToken | None:
    """The token of a lookup row (an asyncpg Record or a RowMapping), if it is live."""
    if row is None or row["revoked_at"] is not None:
        return None
    if row["expires_at"] is not None and row["expires_at"] <= datetime.now(UTC):
        return None
    tenant = TenantRef(
        row["tenant_id"],
        row["slug"],
        row["tenant_name"],
        row["schema_name"],
        row["registry_role"],
        row["schema_revision"],
    )
    return ResolvedToken(
        row["id"],
        row["name"],
        row["role"],
        tuple(row["scopes"]),
        row["client_organisation_id"],
        tenant,
        row["member_id"],
    )


def _well_formed(secret: str) -> bool:
    return secret.startswith(TOKEN_PREFIX) and len(secret) <= 200


async def resolve_token(conn: AsyncConnection, secret: str) -> ResolvedToken | None:
    """The live token with this secret, with its tenant; None when unknown, revoked or expired."""
    if not _well_formed(secret):
        return None
    result = await conn.execute(_LOOKUP, {"token_hash": digest(secret)})
    return _live(result.mappings().first())


async def lookup_token(engine: AsyncEngine, secret: str) -> ResolvedToken | None:
    """`resolve_token` on a pooled connection's asyncpg driver, outside any transaction.

    One SELECT is atomic on its own: without a transaction around it the lookup is
    one round trip instead of three (BEGIN, SELECT, ROLLBACK).
    """
    if not _well_formed(secret):
        return None
    async with engine.connect() as conn:
        raw = await conn.get_raw_connection()
        driver: Any = raw.driver_connection
        row = await driver.fetchrow(_LOOKUP_SQL, digest(secret))
    return _live(row)


async def list_tokens(conn: AsyncConnection, *, tenant: TenantRef) -> list[dict[str, object]]:
    """The tenant's tokens without secrets or digests."""
    t = ApiToken.__table__
    rows = await conn.execute(
        select(
            t.c.id,
            t.c.name,
            t.c.role,
            t.c.prefix,
            t.c.scopes,
            t.c.client_organisation_id,
            t.c.member_id,
            t.c.created_at,
            t.c.expires_at,
            t.c.revoked_at,
            t.c.last_used_at,
        )
        .where(t.c.tenant_id == tenant.id)
        .order_by(t.c.created_at)
    )
    return [dict(r) for r in rows.mappings()]
