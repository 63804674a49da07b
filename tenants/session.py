"""The tenant-bound session: the only way request and job code reaches tenant data.

Two layers keep a session inside one tenant:

1. The application binds SQL to the tenant schema, one of two ways:

   - **Shared statements** (every tenant whose schema revision the registry knows,
     which after provisioning or `steward tenants migrate` is every tenant): the SQL
     is unqualified, the transaction sets `search_path` to the tenant schema
     (`pg_catalog, "tenant_<slug>", pg_temp`, so neither a catalog name nor anything
     in pg_temp can be shadowed), and every statement's text starts with a comment
     naming the revision (`/* tenant revision 0011 */`, tenants/engine.py
     STATEMENT_TAG). Tenants at one revision have the same shape, so one prepared
     statement per connection serves all of them: PostgreSQL re-analyzes a prepared
     statement whenever search_path differs from the one it was planned under, so
     it always reads the current tenant's tables. Tenants at different revisions
     (a `steward tenants migrate` halfway) have different texts, so a statement is
     never run against a shape it was not prepared for (which fails with "cached
     plan must not change result type": tests/tenants/test_shared_statements.py).
   - **Schema-qualified** (revision unknown, e.g. during provisioning):
     SQLAlchemy's `schema_translate_map` ({None: "tenant_<slug>"}), so every tenant
     has statements of its own.

   History: qualified SQL for every tenant was chosen first (bench_binding.py,
   figures in README "Tenant binding"), because a plain search_path shares one
   statement between tenants at different shapes during a migration (25 of 50
   transactions failed). The revision in the text removes that failure; the cost
   of qualified SQL showed at many tenants: round robin over 1,000, each visit
   prepared its statements again on the connection it got (bench_tenants.py,
   infra/SCALE_OUT.md). A request that read its tenant's revision just before
   `steward tenants migrate` committed that tenant can still meet the new shape
   with the old text: it fails and rolls back, as a statement prepared just
   before a migration always could.
2. PostgreSQL enforces it: each transaction sets the tenant's role (`SET LOCAL ROLE`
   or `set_config('role', ..., true)`); that role has USAGE on its own schema only,
   so even a hand-written `SELECT * FROM tenant_b.x` inside tenant A's session is
   refused, and a statement planned for another tenant's tables would be refused
   at execution too (privileges are checked on every execution, not when planned).

Role and path are transaction-local, so nothing outlives the transaction on a
pooled connection.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession

from tenants.engine import STATEMENT_TAG, tags_statements
from tenants.registry import TenantRef
from tenants.slugs import SLUG_PATTERN, quote_ident

# Shared statements (module docstring, 3.); False restores schema-qualified SQL for every
# tenant (bench_tenants compares both in one run).
SHARED_STATEMENTS = True


# A revision id as the tenant history names them, safe inside a SQL comment.
_REVISION = re.compile(r"^[A-Za-z0-9_]{1,32}$")
# Tenant-independent text, so one prepared statement per connection serves every tenant.
_BIND_SHARED = text(
    "SELECT set_config('role', :role, true), set_config('search_path', :path, true)"
)


def statement_tag(tenant: TenantRef) -> str | None:
    """The prefix of a tenant's shared statements, or None: use schema-qualified SQL."""
    if not SHARED_STATEMENTS or tenant.schema_revision is None:
        return None
    if not _REVISION.fullmatch(tenant.schema_revision):
        return None
    return f"/* tenant revision {tenant.schema_revision} */ "


def search_path(tenant: TenantRef) -> str:
    """The tenant's search_path: its schema, after the catalog, and temporary tables last,
    so nothing a session left in pg_temp can stand in for a tenant table."""
    return f"pg_catalog, {quote_ident(tenant.schema_name)}, pg_temp"


async def bind_connection(conn: AsyncConnection, tenant: TenantRef) -> AsyncConnection:
    """Bind an open transaction on `conn` to `tenant`; returns the bound connection."""
    if not SLUG_PATTERN.fullmatch(tenant.slug) or not tenant.schema_name.startswith("tenant_"):
        # The registry is the only source of these names; refuse anything odd
        # rather than splice it into SQL.
        raise ValueError("refusing to bind to an invalid tenant registry entry")
    tag = statement_tag(tenant)
    if tag is not None and tags_statements(conn.sync_engine):
        await conn.execute(_BIND_SHARED, {"role": tenant.role_name, "path": search_path(tenant)})
        return await conn.execution_options(**{STATEMENT_TAG: tag})
    await conn.execute(text(f"SET LOCAL ROLE {quote_ident(tenant.role_name)}"))
    return await conn.execution_options(schema_translate_map={None: tenant.schema_name})


@asynccontextmanager
async def tenant_connection(
    engine: AsyncEngine, tenant: TenantRef
) -> AsyncIterator[AsyncConnection]:
    """A connection in one transaction bound to `tenant`; commits on success."""
    async with engine.connect() as raw, raw.begin():
        yield await bind_connection(raw, tenant)


@asynccontextmanager
async def tenant_session(engine: AsyncEngine, tenant: TenantRef) -> AsyncIterator[AsyncSession]:
    """An ORM session in one transaction bound to `tenant`.

    Commits when the block exits normally and rolls back on any exception, so a
    failure halfway through a write leaves nothing behind.
    """
    async with tenant_connection(engine, tenant) as conn:
        session = AsyncSession(bind=conn, expire_on_commit=False, autoflush=True)
        try:
            yield session
            await session.flush()
        finally:
            await session.close()
