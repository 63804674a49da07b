"""Generate the next tenant migration from the models: `python -m tenants.make_migration MSG`.

Creates a scratch database on DATABASE_URL's server, brings a scratch tenant
schema to the current head, and lets Alembic autogenerate the difference
between it and `tenants.models`. Review the file it writes before committing.

The file has the short header of every revision (tenants/migrations/*/script.py.mako):
the message and date as its docstring, `revision` and `down_revision` (Alembic reads
`branch_labels` and `depends_on` only when present). Before committing, write the
repeated shapes Alembic spells out (the record columns, enums, keys, checks, indexes)
with tenants/migrations/columns.py, as the other revisions do.
"""

from __future__ import annotations

import asyncio
import os
import sys
import uuid

from alembic import command
from sqlalchemy import Connection, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from tenants.migrate import TENANT, _config, upgrade_tenant
from tenants.registry import TenantRef


async def generate(message: str) -> None:
    raw = os.environ.get("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
    base = make_url(raw).set(drivername="postgresql+asyncpg")
    name = f"steward_autogen_{uuid.uuid4().hex[:8]}"
    admin = create_async_engine(base, isolation_level="AUTOCOMMIT")
    async with admin.connect() as conn:
        await conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine = create_async_engine(base.set(database=name))
    role = f"autogen_{uuid.uuid4().hex[:8]}"
    ref = TenantRef(uuid.uuid4(), "autogen", "autogen", "tenant_autogen", role)
    try:
        async with engine.begin() as conn:
            await conn.execute(text(f'CREATE ROLE "{role}"'))
            await conn.execute(text(f'CREATE SCHEMA tenant_autogen AUTHORIZATION "{role}"'))
            await conn.execute(text("CREATE TABLE public.tenants (id uuid, schema_revision text)"))
            await upgrade_tenant(conn, ref)

        def autogenerate(sync_conn: Connection) -> None:
            cfg = _config(TENANT)
            cfg.attributes["connection"] = sync_conn
            cfg.attributes["tenant_schema"] = ref.schema_name
            command.revision(cfg, message=message, autogenerate=True)

        async with engine.begin() as conn:
            await conn.execute(text("SET LOCAL search_path TO tenant_autogen"))
            await conn.run_sync(autogenerate)
    finally:
        await engine.dispose()
        async with admin.connect() as conn:
            await conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            await conn.execute(text(f'DROP ROLE IF EXISTS "{role}"'))
        await admin.dispose()


if __name__ == "__main__":
    asyncio.run(generate(" ".join(sys.argv[1:]) or "change"))
