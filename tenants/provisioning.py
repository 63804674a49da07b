"""Creating and dropping tenants: role, schema, migrations and registry row as one unit."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable

from sqlalchemy import delete, insert, text
from sqlalchemy.exc import IntegrityError, ProgrammingError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession

from tenants.migrate import create_tenant_schema_objects
from tenants.registry import Tenant, TenantRef, get_tenant
from tenants.services.assessments import ensure_default_dimensions
from tenants.session import bind_connection
from tenants.slugs import quote_ident, role_name, schema_name, validate_slug


class TenantExistsError(ValueError):
    """A tenant with this slug is already registered."""


class TenantNotFoundError(LookupError):
    """No tenant with this slug is registered."""


AfterMigrate = Callable[[AsyncConnection, TenantRef], Awaitable[None]]


async def _seed_defaults(conn: AsyncConnection, ref: TenantRef) -> None:
    """Tenant data every consultancy starts with: the default capability dimensions."""
    bound = await bind_connection(conn, ref)
    session = AsyncSession(bind=bound)
    try:
        await ensure_default_dimensions(session)
        await session.flush()
    finally:
        await session.close()
    await conn.execute(text("SET LOCAL ROLE NONE"))
    await conn.execute(text("SET LOCAL search_path TO DEFAULT"))


# What a tenant role may do on the shared credential tables, limited to its own
# rows by row-level security (tenants/registry.py), so that deactivating a member
# revokes their sessions and tokens in the tenant's own transaction. Column
# grants keep digests out of reach: a tenant transaction can list, issue and
# revoke credentials but never read a token or session hash.
PLATFORM_GRANTS = (
    "GRANT USAGE ON SCHEMA public TO {role}",
    "GRANT SELECT (id, tenant_id, tenant_role, member_id, name, role, client_organisation_id,"
    " scopes, prefix, created_at, expires_at, revoked_at, last_used_at),"
    " INSERT, UPDATE (revoked_at) ON public.api_tokens TO {role}",
    "GRANT SELECT (id, tenant_id, tenant_role, member_id, member_name, role,"
    " client_organisation_id, created_at, expires_at, last_seen_at, revoked_at),"
    " INSERT, UPDATE (revoked_at, role, client_organisation_id)"
    " ON public.browser_sessions TO {role}",
)


async def grant_platform_access(conn: AsyncConnection, role: str) -> None:
    """Let a tenant role reach its own rows of the shared credential tables."""
    for statement in PLATFORM_GRANTS:
        await conn.execute(text(statement.format(role=quote_ident(role))))


async def revoke_platform_access(conn: AsyncConnection, role: str) -> None:
    """Undo `grant_platform_access`; a role with privileges left cannot be dropped."""
    await conn.execute(
        text(f"REVOKE ALL ON public.api_tokens, public.browser_sessions FROM {quote_ident(role)}")
    )
    await conn.execute(text(f"REVOKE USAGE ON SCHEMA public FROM {quote_ident(role)}"))


async def create_tenant(
    engine: AsyncEngine, *, slug: str, name: str, after_migrate: AfterMigrate | None = None
) -> TenantRef:
    """Register a tenant, create its role and schema and migrate it, in one transaction.

    PostgreSQL DDL, including CREATE ROLE, is transactional: if any step fails
    (or `after_migrate`, used to seed data, raises) nothing is left behind.
    """
    validate_slug(slug)
    name = name.strip()
    if not name or len(name) > 200:
        raise ValueError("invalid tenant name: use 1 to 200 characters")
    async with engine.connect() as conn, conn.begin():
        if await get_tenant(conn, slug) is not None:
            raise TenantExistsError(f"tenant {slug!r} already exists")
        database = await conn.scalar(text("SELECT current_database()"))
        ref = TenantRef(uuid.uuid4(), slug, name, schema_name(slug), role_name(slug, str(database)))
        # The tenant role cannot log in and inherits nothing; the application's
        # login role may SET ROLE to it but does not inherit its rights, so a
        # transaction that forgot SET LOCAL ROLE cannot reach tenant data
        # (on PostgreSQL 15, make the login role NOINHERIT for the same effect).
        try:
            async with conn.begin_nested():
                await conn.execute(
                    text(f"CREATE ROLE {quote_ident(ref.role_name)} NOLOGIN NOINHERIT")
                )
        except ProgrammingError as exc:
            # Roles are cluster-wide: a database dropped without `steward tenants drop`
            # leaves its tenants' roles behind.
            raise TenantExistsError(
                f"role {ref.role_name} already exists on this server (left by a database "
                "dropped without `steward tenants drop`?); drop the role or pick another slug"
            ) from exc
        server_version = int(str(await conn.scalar(text("SHOW server_version_num"))))
        grant = f"GRANT {quote_ident(ref.role_name)} TO CURRENT_USER"
        if server_version >= 160000:
            grant += " WITH INHERIT FALSE, SET TRUE"
        await conn.execute(text(grant))
        schema, role = quote_ident(ref.schema_name), quote_ident(ref.role_name)
        await conn.execute(text(f"CREATE SCHEMA {schema} AUTHORIZATION {role}"))
        # As the schema's owner: a login role that is not a superuser holds no rights
        # on it (it inherits nothing from the tenant role).
        await conn.execute(text(f"SET LOCAL ROLE {role}"))
        await conn.execute(text(f"REVOKE ALL ON SCHEMA {schema} FROM PUBLIC"))
        await conn.execute(text("SET LOCAL ROLE NONE"))
        await grant_platform_access(conn, ref.role_name)
        try:
            await conn.execute(
                insert(Tenant).values(
                    id=ref.id,
                    slug=ref.slug,
                    name=ref.name,
                    schema_name=ref.schema_name,
                    role_name=ref.role_name,
                )
            )
        except IntegrityError as exc:  # a concurrent create of the same slug
            raise TenantExistsError(f"tenant {slug!r} already exists") from exc
        await create_tenant_schema_objects(conn, ref)
        # Read back with the revision the schema reached: sessions of a tenant whose
        # revision is known share prepared statements (tenants/session.py).
        ref = await get_tenant(conn, slug) or ref
        await _seed_defaults(conn, ref)
        if after_migrate is not None:
            await after_migrate(conn, ref)
        return ref


async def drop_tenant(engine: AsyncEngine, *, slug: str) -> None:
    """Drop a tenant's schema (with all its data), its role, tokens and registry row."""
    async with engine.connect() as conn, conn.begin():
        ref = await get_tenant(conn, slug)
        if ref is None:
            raise TenantNotFoundError(f"tenant {slug!r} does not exist")
        await conn.execute(text(f"SET LOCAL ROLE {quote_ident(ref.role_name)}"))
        await conn.execute(text(f"DROP SCHEMA IF EXISTS {quote_ident(ref.schema_name)} CASCADE"))
        await conn.execute(text("SET LOCAL ROLE NONE"))
        await conn.execute(delete(Tenant).where(Tenant.id == ref.id))
        await revoke_platform_access(conn, ref.role_name)
        try:
            await conn.execute(text(f"DROP ROLE IF EXISTS {quote_ident(ref.role_name)}"))
        except ProgrammingError as exc:  # pragma: no cover - depends on server state
            raise RuntimeError(f"could not drop role {ref.role_name}: {exc.orig}") from exc
