"""The tenant-bound session: the only way request and job code reaches tenant data.

Two layers keep a session inside one tenant:

1. The application binds SQL to the tenant schema with SQLAlchemy's
   `schema_translate_map` ({None: "tenant_<slug>"}): every statement is
   schema-qualified. We chose it over a transaction-local `search_path` by
   measurement (tests/benchmarks/bench_binding.py, figures in README
   "Tenant binding"): with `search_path`, asyncpg reuses one prepared statement
   for every tenant because the SQL text is identical; while `steward tenants
   migrate` has moved tenant A to a new column and tenant B not yet, a
   statement prepared for one shape is executed against the other and fails
   with InvalidCachedStatementError inside the transaction, which cannot be
   retried transparently. Qualified SQL gives each tenant its own cache entry,
   so a migration only invalidates that tenant's statements, at the cost of a
   larger statement cache (sized in tenants/engine.py).

   Measured on 2026-12-01 (local PostgreSQL 15, 2 cores, pool of 4, requests of
   four small statements, tenants round-robin), as a ratio of requests/s to
   search_path with asyncpg's default cache of 100:

       tenants  search_path/100  search_path/2000  translate/100  translate/2000
         20        1.00 (737/s)        1.08             1.05           1.02
        200        1.00 (821/s)        0.97             0.69           0.75
        200        1.00 (669/s)        1.11             0.74           1.13   (second run)

   Migration skew (a column's type changed in tenant A, not yet in B), the same
   statement alternately for A and B on one connection: search_path failed 25 of
   50 transactions, schema_translate_map 0 of 50 (both runs). With the larger
   cache the throughput cost is within the run-to-run spread; without it about
   a quarter at 200 tenants. Transactions that never fail during a migration
   are worth that.
2. PostgreSQL enforces it: each transaction runs `SET LOCAL ROLE <tenant role>`;
   that role has USAGE on its own schema only, so even a hand-written
   `SELECT * FROM tenant_b.x` inside tenant A's session is refused.

Both settings are transaction-local (`SET LOCAL`), so nothing outlives the
transaction on a pooled connection.
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
