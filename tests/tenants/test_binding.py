"""The second isolation layer: PostgreSQL itself refuses cross-tenant reads."""

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from server.settings import Settings
from tenants.engine import make_engine
from tenants.session import tenant_connection
from tests.conftest import TenantFactory
from tests.support import assert_tenant_refused


async def test_a_tenant_session_cannot_read_another_schema_even_schema_qualified(
    engine: AsyncEngine, make_tenant: TenantFactory
) -> None:
    a, b = await make_tenant(), await make_tenant()
    await assert_tenant_refused(
        engine,
        a,
        f'SELECT * FROM "{b.schema_name}".alembic_version',
        "permission denied for schema",
    )


async def test_a_tenant_session_reads_its_own_schema(
    engine: AsyncEngine, make_tenant: TenantFactory
) -> None:
    a = await make_tenant()
    async with tenant_connection(engine, a) as conn:
        version = await conn.scalar(
            text(f'SELECT version_num FROM "{a.schema_name}".alembic_version')
        )
    assert version is not None


async def test_a_tenant_session_cannot_read_the_token_registry(
    engine: AsyncEngine, make_tenant: TenantFactory
) -> None:
    a = await make_tenant()
    await assert_tenant_refused(engine, a, "SELECT token_hash FROM public.api_tokens")


async def test_nothing_session_level_is_left_on_the_pooled_connection(
    settings: Settings, make_tenant: TenantFactory
) -> None:
    assert settings.database_url
    single = make_engine(settings.database_url, pool_size=1, max_overflow=0)
    try:
        async with single.connect() as conn:
            login_role = await conn.scalar(text("SELECT current_user"))
            default_path = await conn.scalar(text("SELECT current_setting('search_path')"))
        a = await make_tenant()
        async with tenant_connection(single, a) as conn:
            assert await conn.scalar(text("SELECT current_user")) == a.role_name
        async with single.connect() as conn:
            assert await conn.scalar(text("SELECT current_user")) == login_role
            assert await conn.scalar(text("SELECT current_setting('search_path')")) == default_path
    finally:
        await single.dispose()


async def test_the_login_role_does_not_own_tenant_data(
    engine: AsyncEngine, make_tenant: TenantFactory
) -> None:
    a = await make_tenant()
    async with engine.connect() as conn:
        owner = await conn.scalar(
            text("SELECT pg_get_userbyid(nspowner) FROM pg_namespace WHERE nspname = :s"),
            {"s": a.schema_name},
        )
        table_owners = (
            (
                await conn.execute(
                    text("SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = :s"),
                    {"s": a.schema_name},
                )
            )
            .scalars()
            .all()
        )
    assert owner == a.role_name
    assert set(table_owners) == {a.role_name}
