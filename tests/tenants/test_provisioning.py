import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from tenants.migrate import TENANT, head_of
from tenants.provisioning import TenantExistsError, create_tenant, drop_tenant
from tenants.registry import TenantRef, get_tenant
from tenants.slugs import InvalidSlugError
from tests.support import unique_slug


async def _schema_exists(engine: AsyncEngine, schema: str) -> bool:
    async with engine.connect() as conn:
        found = await conn.scalar(
            text("SELECT 1 FROM pg_namespace WHERE nspname = :n"), {"n": schema}
        )
    return found is not None


async def _role_exists(engine: AsyncEngine, role: str) -> bool:
    async with engine.connect() as conn:
        found = await conn.scalar(text("SELECT 1 FROM pg_roles WHERE rolname = :n"), {"n": role})
    return found is not None


async def test_create_tenant_makes_registry_row_schema_role_and_migrates(
    engine: AsyncEngine,
) -> None:
    ref = await create_tenant(engine, slug=unique_slug(), name="Northwind Advisory")
    async with engine.connect() as conn:
        stored = await get_tenant(conn, ref.slug)
        revision = await conn.scalar(
            text("SELECT schema_revision FROM public.tenants WHERE id = :id"), {"id": ref.id}
        )
    assert stored == ref
    assert await _schema_exists(engine, ref.schema_name)
    assert await _role_exists(engine, ref.role_name)
    assert revision == head_of(TENANT)


async def test_a_failure_after_migrating_leaves_no_half_made_tenant(engine: AsyncEngine) -> None:
    slug = unique_slug()
    made: list[TenantRef] = []

    async def explode(conn: AsyncConnection, ref: TenantRef) -> None:
        made.append(ref)
        raise RuntimeError("seed failed")

    with pytest.raises(RuntimeError, match="seed failed"):
        await create_tenant(engine, slug=slug, name="Doomed", after_migrate=explode)
    ref = made[0]
    async with engine.connect() as conn:
        assert await get_tenant(conn, slug) is None
    assert not await _schema_exists(engine, ref.schema_name)
    assert not await _role_exists(engine, ref.role_name)


async def test_duplicate_slug_is_refused(engine: AsyncEngine) -> None:
    slug = unique_slug()
    await create_tenant(engine, slug=slug, name="First")
    with pytest.raises(TenantExistsError, match="already exists"):
        await create_tenant(engine, slug=slug, name="Second")


async def test_invalid_slug_is_refused_before_touching_the_database(engine: AsyncEngine) -> None:
    with pytest.raises(InvalidSlugError):
        await create_tenant(engine, slug="pg_evil", name="Evil")


async def test_drop_tenant_removes_schema_role_and_row(engine: AsyncEngine) -> None:
    ref = await create_tenant(engine, slug=unique_slug(), name="Short-lived")
    await drop_tenant(engine, slug=ref.slug)
    async with engine.connect() as conn:
        assert await get_tenant(conn, ref.slug) is None
    assert not await _schema_exists(engine, ref.schema_name)
    assert not await _role_exists(engine, ref.role_name)


async def test_a_leftover_role_of_a_dropped_database_is_a_clear_error(engine: AsyncEngine) -> None:
    from tenants.slugs import role_name

    slug = unique_slug()
    async with engine.connect() as conn:
        database = str(await conn.scalar(text("SELECT current_database()")))
    leftover = role_name(slug, database)
    async with engine.begin() as conn:
        await conn.execute(text(f'CREATE ROLE "{leftover}" NOLOGIN'))
    try:
        with pytest.raises(TenantExistsError, match="already exists on this server"):
            await create_tenant(engine, slug=slug, name="Clash")
        async with engine.connect() as conn:
            assert await get_tenant(conn, slug) is None
    finally:
        async with engine.begin() as conn:
            await conn.execute(text(f'DROP ROLE "{leftover}"'))


CATALOG = """
SELECT 'column', c.relname || '.' || a.attname,
       format_type(a.atttypid, a.atttypmod) || CASE WHEN a.attnotnull THEN ' not null' ELSE '' END
       || coalesce(' default ' || pg_get_expr(d.adbin, d.adrelid), '')
       || CASE WHEN a.attidentity <> '' THEN ' identity ' || a.attidentity::text ELSE '' END
  FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
  LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
 WHERE c.relnamespace = to_regnamespace(:schema) AND a.attnum > 0 AND NOT a.attisdropped
UNION ALL
SELECT 'constraint', c.relname || '.' || k.conname, pg_get_constraintdef(k.oid)
  FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid
 WHERE k.connamespace = to_regnamespace(:schema)
UNION ALL
SELECT 'index', i.indexname, replace(i.indexdef, :schema || '.', '')
  FROM pg_indexes i WHERE i.schemaname = :schema
UNION ALL
SELECT 'owner', c.relname || ' ' || c.relkind::text, (pg_get_userbyid(c.relowner) = :role)::text
  FROM pg_class c WHERE c.relnamespace = to_regnamespace(:schema)
UNION ALL
SELECT 'type', t.typname, (pg_get_userbyid(t.typowner) = :role)::text
  FROM pg_type t WHERE t.typnamespace = to_regnamespace(:schema) AND t.typtype <> 'c'
ORDER BY 1, 2, 3
"""


async def _catalog(engine: AsyncEngine, ref: TenantRef) -> list[tuple[str, str, str]]:
    async with engine.connect() as conn:
        result = await conn.execute(
            text(CATALOG), {"schema": ref.schema_name, "role": ref.role_name}
        )
        # Relation names of TOAST tables and their indexes carry OIDs: leave them out.
        return [
            (kind, name, str(value).replace(ref.schema_name + ".", ""))
            for kind, name, value in result.all()
            if not name.startswith("pg_toast")
        ]


async def test_a_provisioned_schema_is_the_one_the_migrations_make(engine: AsyncEngine) -> None:
    """Provisioning runs the history as one rendered script; the online path must agree."""
    from tenants.migrate import downgrade_tenant, upgrade_tenant

    rendered = await create_tenant(engine, slug=unique_slug(), name="Rendered")
    migrated = await create_tenant(engine, slug=unique_slug(), name="Migrated")
    async with engine.connect() as conn, conn.begin():
        await downgrade_tenant(conn, migrated, "base")
    async with engine.connect() as conn, conn.begin():
        await upgrade_tenant(conn, migrated)
    ours, theirs = await _catalog(engine, rendered), await _catalog(engine, migrated)
    assert len(ours) > 100
    assert sorted(set(ours) - set(theirs)) == sorted(set(theirs) - set(ours)) == []
    assert ours == theirs
    assert all(value == "true" for kind, _, value in ours if kind in ("owner", "type"))
    async with engine.connect() as conn:
        revision = await conn.scalar(
            text("SELECT schema_revision FROM public.tenants WHERE id = :id"),
            {"id": rendered.id},
        )
    assert revision == head_of(TENANT)
