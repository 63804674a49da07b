"""Schemas migrated to head are exactly what the models declare (tenant and shared).

A model changed without a migration (or a migration edited away from its model) would
otherwise surface only in production, as an error on the first query that touches it.
`python -m tenants.make_migration MSG` writes the missing migration.
"""

from __future__ import annotations

from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection, ForeignKeyConstraint, MetaData, text
from sqlalchemy.ext.asyncio import AsyncEngine

from tenants.base import PlatformBase, TenantBase
from tenants.migrate import include_object
from tests.conftest import TenantFactory


def _differences(conn: Connection, metadata: MetaData) -> list[Any]:
    context = MigrationContext.configure(
        conn,
        opts={
            "include_object": include_object,
            "compare_type": True,
            "compare_server_default": False,
            "include_schemas": False,
        },
    )
    return list(compare_metadata(context, metadata))


async def test_a_tenant_schema_at_head_matches_the_models(
    engine: AsyncEngine, make_tenant: TenantFactory
) -> None:
    tenant = await make_tenant()
    async with engine.connect() as conn, conn.begin():
        await conn.execute(
            text("SELECT set_config('search_path', :path, true)"),
            {"path": f'"{tenant.schema_name}"'},
        )
        differences = await conn.run_sync(_differences, TenantBase.metadata)
    assert differences == []


def _fk_key(fk: ForeignKeyConstraint) -> tuple[Any, ...]:
    # The referred table without its schema: ("tenants", "id") for "public.tenants.id".
    target = tuple(tuple(e.target_fullname.split(".")[-2:]) for e in fk.elements)
    return fk.name, tuple(e.parent.name for e in fk.elements), target, fk.ondelete


def _without_public_fk_echoes(differences: list[Any]) -> list[Any]:
    """Drop the remove/add pairs of one foreign key that differ only in naming `public`.

    The platform models name their schema (`public`), reflection leaves the default
    schema unnamed, so Alembic sees every foreign key as changed (sqlalchemy/alembic
    issue 1128, open). A pair survives if anything else differs.
    """
    removed = {_fk_key(d[1]) for d in differences if d[0] == "remove_fk"}
    added = {_fk_key(d[1]) for d in differences if d[0] == "add_fk"}
    echoes = removed & added
    return [
        d for d in differences if not (d[0] in ("remove_fk", "add_fk") and _fk_key(d[1]) in echoes)
    ]


async def test_the_shared_schema_at_head_matches_the_platform_models(engine: AsyncEngine) -> None:
    # The test database's public schema was migrated to head by the session fixture.
    async with engine.connect() as conn:
        differences = await conn.run_sync(_differences, PlatformBase.metadata)
    assert _without_public_fk_echoes(differences) == []
