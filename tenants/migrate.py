"""Programmatic Alembic: the shared history (public) and the tenant history.

Both histories run on a connection the caller owns, inside the caller's
transaction, so provisioning a tenant (role, schema, migrations, registry row)
commits or rolls back as one unit.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, text, update
from sqlalchemy.ext.asyncio import AsyncConnection

from tenants.registry import Tenant, TenantRef
from tenants.slugs import quote_ident

MIGRATIONS = Path(__file__).parent / "migrations"
SHARED = MIGRATIONS / "shared"
TENANT = MIGRATIONS / "tenant"


def include_object(obj: object, name: str | None, type_: str, *_: object) -> bool:
    """What autogenerate compares in a tenant schema: the version table is Alembic's own."""
    return not (type_ == "table" and name == "alembic_version")


def _config(location: Path) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(location))
    return cfg


def head_of(location: Path) -> str | None:
    """The head revision of a history."""
    return ScriptDirectory.from_config(_config(location)).get_current_head()


def _upgrade_shared(conn: Connection) -> None:
    cfg = _config(SHARED)
    cfg.attributes["connection"] = conn
    command.upgrade(cfg, "head")


async def upgrade_shared(conn: AsyncConnection) -> None:
    """Bring the public schema to the head of the shared history."""
    await conn.run_sync(_upgrade_shared)


def _move_tenant(conn: Connection, schema: str, revision: str, down: bool) -> None:
    cfg = _config(TENANT)
    cfg.attributes["connection"] = conn
    cfg.attributes["tenant_schema"] = schema
    if down:
        command.downgrade(cfg, revision)
    else:
        command.upgrade(cfg, revision)


async def upgrade_tenant(conn: AsyncConnection, tenant: TenantRef, revision: str = "head") -> None:
    """Bring one tenant schema up to `revision`, as the tenant's own role.

    Must run inside a transaction; the role and search_path are transaction-local.
    """
    await _migrate_tenant(conn, tenant, revision, down=False)


async def downgrade_tenant(conn: AsyncConnection, tenant: TenantRef, revision: str) -> None:
    """Take one tenant schema down to `revision` (`base` empties it)."""
    await _migrate_tenant(conn, tenant, revision, down=True)


async def _migrate_tenant(
    conn: AsyncConnection, tenant: TenantRef, revision: str, *, down: bool
) -> None:
    await conn.execute(text(f"SET LOCAL ROLE {quote_ident(tenant.role_name)}"))
    await conn.execute(
        text("SELECT set_config('search_path', :path, true)"),
        {"path": f'"{tenant.schema_name}"'},
    )
    await conn.run_sync(_move_tenant, tenant.schema_name, revision, down)
    # Read while still the tenant role: a login role that is not a superuser may not.
    reached = await conn.run_sync(_current, tenant.schema_name)
    await conn.execute(text("SET LOCAL ROLE NONE"))
    await conn.execute(text("SET LOCAL search_path TO DEFAULT"))
    await conn.execute(update(Tenant).where(Tenant.id == tenant.id).values(schema_revision=reached))


def _current(conn: Connection, schema: str | None) -> str | None:
    ctx = MigrationContext.configure(conn, opts={"version_table_schema": schema} if schema else {})
    return ctx.get_current_revision()


async def current_shared(conn: AsyncConnection) -> str | None:
    """The revision the public schema is at, or None before the first migration."""
    return await conn.run_sync(_current, "public")
