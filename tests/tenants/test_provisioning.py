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
