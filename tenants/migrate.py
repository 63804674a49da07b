"""Programmatic Alembic: the shared history (public) and the tenant history.

Both histories run on a connection the caller owns, inside the caller's
transaction: provisioning builds a tenant's tables and registry row in one
transaction, its last committed step (tenants/provisioning.py).
"""

from __future__ import annotations

import io
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.environment import EnvironmentContext
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, text, update
from sqlalchemy.ext.asyncio import AsyncConnection

from tenants.base import TenantBase
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


def _history_key(location: Path) -> tuple[str, tuple[tuple[str, int], ...]]:
    # The revision files and their modification times: a cached script is rebuilt when
    # a revision is added or edited (tests and make_migration do that in one process).
    files = sorted((location / "versions").glob("*.py"))
    return str(location), tuple((f.name, f.stat().st_mtime_ns) for f in files)


@lru_cache(maxsize=4)
def _tenant_history(key: tuple[str, tuple[tuple[str, int], ...]]) -> ScriptDirectory:
    """The tenant history's revisions, read once per process and per version of its files."""
    return ScriptDirectory.from_config(_config(Path(key[0])))


def _move_tenant(conn: Connection, schema: str, revision: str, down: bool) -> None:
    # As `alembic.command.upgrade` / `downgrade`, on the history read once per process:
    # reading the revision files again for every tenant (Alembic compiles each one)
    # cost about as much as an additive migration itself.
    cfg = _config(TENANT)
    cfg.attributes["connection"] = conn
    cfg.attributes["tenant_schema"] = schema
    script = _tenant_history(_history_key(TENANT))

    def steps(rev: Any, _context: Any) -> Any:
        if down:
            return script._downgrade_revs(revision, rev)
        return script._upgrade_revs(revision, rev)

    with EnvironmentContext(
        cfg, script, fn=steps, as_sql=False, starting_rev=None, destination_rev=revision
    ):
        script.run_env()


async def upgrade_tenant(
    conn: AsyncConnection, tenant: TenantRef, revision: str = "head"
) -> str | None:
    """Bring one tenant schema up to `revision`, as the tenant's own role; the revision reached.

    Must run inside a transaction; the role and search_path are transaction-local.
    """
    return await _migrate_tenant(conn, tenant, revision, down=False)


async def downgrade_tenant(conn: AsyncConnection, tenant: TenantRef, revision: str) -> None:
    """Take one tenant schema down to `revision` (`base` empties it)."""
    await _migrate_tenant(conn, tenant, revision, down=True)


async def _migrate_tenant(
    conn: AsyncConnection, tenant: TenantRef, revision: str, *, down: bool
) -> str | None:
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
    return reached


@lru_cache(maxsize=4)
def _render_new_schema(key: tuple[str, tuple[tuple[str, int], ...]]) -> tuple[str, str | None]:
    """(SQL, head): the whole history from base to head as one script, for an empty schema.

    Rendered by Alembic's offline mode from the same revision files, with unqualified
    names and the version table unqualified too: the script runs with `search_path`
    set to the new schema, as the online migration does, so it fits every tenant.
    """
    cfg = _config(Path(key[0]))
    script = _tenant_history(key)
    buffer = io.StringIO()

    def revisions(rev: Any, _context: Any) -> Any:
        return script._upgrade_revs("head", rev)

    with EnvironmentContext(
        cfg, script, fn=revisions, as_sql=True, starting_rev=None, destination_rev="head"
    ) as env:
        env.configure(  # as tenants/migrations/tenant/env.py, but offline
            dialect_name="postgresql",
            output_buffer=buffer,
            transactional_ddl=False,
            target_metadata=TenantBase.metadata,  # its naming convention names constraints
            include_object=include_object,
            version_table="alembic_version",
        )
        with env.begin_transaction():
            env.run_migrations()
    return buffer.getvalue(), script.get_current_head()


async def create_tenant_schema_objects(conn: AsyncConnection, tenant: TenantRef) -> str | None:
    """Migrate a new, empty tenant schema from base to head in one round trip; the head.

    The same end state as `upgrade_tenant` (tests/tenants/test_provisioning.py compares
    the catalogs), without a round trip per DDL statement: the history is rendered
    once per process (`_render_new_schema`) and sent as one simple-protocol query,
    as the tenant's role, inside the caller's transaction. The role, the search_path,
    the check that the schema reached head and the reset of both travel in that same
    query (tenants/provisioning.py measures why round trips matter here).
    """
    sql, head = _render_new_schema(_history_key(TENANT))
    if head is None or not _REVISION_ID.fullmatch(head):  # pragma: no cover - our own files
        raise RuntimeError(f"unexpected head revision {head!r} of the tenant history")
    # First, through SQLAlchemy: it opens the caller's transaction on the driver
    # connection if nothing has yet, so the raw query below runs inside it.
    await conn.execute(update(Tenant).where(Tenant.id == tenant.id).values(schema_revision=head))
    raw = await conn.get_raw_connection()
    driver: Any = raw.driver_connection
    as_owner = (
        f"SET LOCAL ROLE {quote_ident(tenant.role_name)};"
        f" SET LOCAL search_path TO {quote_ident(tenant.schema_name)};"
    )
    back = "SET LOCAL ROLE NONE; SET LOCAL search_path TO DEFAULT"
    await driver.execute(f"{as_owner}\n{sql}\n{_reached(head)}\n{back}")
    return head


# A revision id as the tenant history spells them, safe inside a SQL literal.
_REVISION_ID = re.compile(r"^[A-Za-z0-9_]{1,32}$")


def _reached(head: str) -> str:
    """A statement failing unless the schema's version table says `head` (checked id).

    Run as the tenant role: a login role that is not a superuser may not read it.
    """
    return (
        "DO $$ BEGIN IF (SELECT version_num FROM alembic_version)"  # noqa: S608
        f" IS DISTINCT FROM '{head}' THEN RAISE EXCEPTION"
        f" 'tenant schema not at {head} after provisioning'; END IF; END $$;"
    )


def _current(conn: Connection, schema: str | None) -> str | None:
    ctx = MigrationContext.configure(conn, opts={"version_table_schema": schema} if schema else {})
    return ctx.get_current_revision()


async def current_shared(conn: AsyncConnection) -> str | None:
    """The revision the public schema is at, or None before the first migration."""
    return await conn.run_sync(_current, "public")
