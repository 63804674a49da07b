from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from tenants.fleet import MigrationOutcome, migrate_all
from tenants.migrate import TENANT, downgrade_tenant, head_of
from tenants.registry import TenantRef
from tests.conftest import TenantFactory


async def _downgrade_to_base(engine: AsyncEngine, ref: TenantRef) -> None:
    async with engine.connect() as conn, conn.begin():
        await downgrade_tenant(conn, ref, "base")


async def _as_tenant_role(engine: AsyncEngine, ref: TenantRef, statement: str) -> None:
    """Run `statement` as the tenant's own role, as its migrations run."""
    async with engine.connect() as conn, conn.begin():
        await conn.execute(text(f'SET LOCAL ROLE "{ref.role_name}"'))
        await conn.execute(text(statement))


async def _migrate(engine: AsyncEngine, slugs: set[str]) -> dict[str, MigrationOutcome]:
    """`migrate_all` over `slugs`, two at a time; each tenant's outcome by slug."""
    return {o.tenant: o for o in await migrate_all(engine, concurrency=2, slugs=slugs)}


async def test_migrate_all_brings_many_tenants_to_head_and_reports_each(
    engine: AsyncEngine, make_tenant: TenantFactory
) -> None:
    refs = [await make_tenant() for _ in range(6)]
    for ref in refs[:4]:
        await _downgrade_to_base(engine, ref)
    seen: list[str] = []
    outcomes = await migrate_all(
        engine,
        concurrency=3,
        on_done=lambda o: seen.append(o.tenant),
        slugs={r.slug for r in refs},
    )
    assert all(o.ok for o in outcomes)
    assert {r.slug for r in refs} <= set(seen)
    async with engine.connect() as conn:
        behind = await conn.scalar(
            text("SELECT count(*) FROM public.tenants WHERE schema_revision IS DISTINCT FROM :h"),
            {"h": head_of(TENANT)},
        )
    assert behind == 0


async def test_one_failing_tenant_does_not_stop_the_others_and_a_rerun_fixes_it(
    engine: AsyncEngine, make_tenant: TenantFactory
) -> None:
    good, bad = await make_tenant(), await make_tenant()
    await _downgrade_to_base(engine, good)
    await _downgrade_to_base(engine, bad)
    both, in_the_way = {good.slug, bad.slug}, f'"{bad.schema_name}".client_organisations'
    # Sabotage: a table in the way of the first migration makes it fail for `bad` only.
    await _as_tenant_role(engine, bad, f"CREATE TABLE {in_the_way} (x int)")
    outcomes = await _migrate(engine, both)
    assert outcomes[good.slug].ok
    assert not outcomes[bad.slug].ok
    assert outcomes[bad.slug].error
    await _as_tenant_role(engine, bad, f"DROP TABLE {in_the_way}")
    outcomes = await _migrate(engine, both)
    assert outcomes[bad.slug].ok
