"""Provisioning in committed steps (Citus needs them): each undone when a later one fails.

These run on plain PostgreSQL, the same code path Citus takes (tenants/provisioning.py).
"""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import text
from sqlalchemy.exc import ProgrammingError
from sqlalchemy.ext.asyncio import AsyncEngine

from tenants.fleet import migrate_all
from tenants.provisioning import (
    TenantExistsError,
    TenantNotFoundError,
    create_tenant,
    drop_tenant,
    provisioning_steps,
    run_steps,
)
from tenants.registry import TenantRef, get_tenant
from tenants.roles import TENANT_GROUP, TenantRoleLogin, citus_present
from tenants.slugs import role_name, role_name_pattern, schema_name
from tests.support import unique_slug

STEP_NAMES = ["role", "schema", "grants", "tables"]


class InjectedFailure(RuntimeError):
    pass


async def _leftovers(engine: AsyncEngine, slug: str) -> dict[str, object]:
    """Everything a tenant of `slug` could have left: registry row, schema, role, grants."""
    async with engine.connect() as conn:
        database = str(await conn.scalar(text("SELECT current_database()")))
        pattern = role_name_pattern(slug, database)  # a role of any incarnation
        found = {
            "registry row": await get_tenant(conn, slug),
            "schema": await conn.scalar(
                text("SELECT 1 FROM pg_namespace WHERE nspname = :n"), {"n": schema_name(slug)}
            ),
            "role": await conn.scalar(
                text("SELECT count(*) FROM pg_roles WHERE rolname ~ :p"), {"p": pattern}
            ),
            "grants": await conn.scalar(
                text(
                    "SELECT count(*) FROM information_schema.role_table_grants WHERE grantee ~ :p"
                ),
                {"p": pattern},
            ),
        }
    return {k: v for k, v in found.items() if v}


async def _login_of(engine: AsyncEngine, ref: TenantRef) -> tuple[bool, bool]:
    """(may log in, has a password) of the tenant role; pg_authid needs the suite's superuser."""
    async with engine.connect() as conn:
        row = (
            await conn.execute(
                text(
                    "SELECT rolcanlogin, rolpassword IS NOT NULL FROM pg_authid WHERE rolname = :r"
                ),
                {"r": ref.role_name},
            )
        ).one()
    return bool(row[0]), bool(row[1])


@pytest.mark.parametrize("failing", STEP_NAMES)
async def test_a_failure_after_any_step_leaves_nothing_behind(
    engine: AsyncEngine, failing: str
) -> None:
    slug = unique_slug()
    committed: list[str] = []

    async def fail_after(step: str) -> None:
        committed.append(step)
        if step == failing:
            raise InjectedFailure(step)

    with pytest.raises(InjectedFailure):
        await create_tenant(engine, slug=slug, name="Doomed", after_step=fail_after)
    assert committed == STEP_NAMES[: STEP_NAMES.index(failing) + 1]
    assert await _leftovers(engine, slug) == {}


async def test_every_step_commits_on_its_own(engine: AsyncEngine) -> None:
    """What each step leaves committed, seen from another connection before the next runs."""
    slug = unique_slug()
    seen: dict[str, set[str]] = {}

    async def look(step: str) -> None:
        seen[step] = set(await _leftovers(engine, slug))

    ref = await create_tenant(engine, slug=slug, name="Stepwise", after_step=look)
    assert seen == {
        "role": {"role"},
        "schema": {"role", "schema"},
        "grants": {"role", "schema", "grants"},
        "tables": {"role", "schema", "grants", "registry row"},
    }
    await drop_tenant(engine, slug=ref.slug)
    assert await _leftovers(engine, slug) == {}


async def test_a_failing_step_undoes_only_what_this_create_made(engine: AsyncEngine) -> None:
    """A schema of that name made by someone else: CREATE SCHEMA fails, the role is undone,
    and the other schema is not dropped by the compensation."""
    slug = unique_slug()
    async with engine.begin() as conn:
        await conn.execute(text(f'CREATE SCHEMA "{schema_name(slug)}"'))
    try:
        with pytest.raises(ProgrammingError, match="already exists"):
            await create_tenant(engine, slug=slug, name="Clash")
        assert set(await _leftovers(engine, slug)) == {"schema"}
    finally:
        async with engine.begin() as conn:
            await conn.execute(text(f'DROP SCHEMA "{schema_name(slug)}"'))


async def test_an_interrupted_create_is_reported_and_drop_clears_it(engine: AsyncEngine) -> None:
    """A process killed between steps runs no compensation: role and schema stay, no row."""
    slug = unique_slug()
    async with engine.connect() as conn:
        database = str(await conn.scalar(text("SELECT current_database()")))
        login = TenantRoleLogin.AUTO.resolve(await citus_present(conn))
    tenant_id = uuid.uuid4()
    ref = TenantRef(
        tenant_id, slug, "Killed", schema_name(slug), role_name(slug, database, tenant_id)
    )
    await run_steps(engine, provisioning_steps(ref, login=login)[:2], None)
    assert set(await _leftovers(engine, slug)) == {"role", "schema"}

    with pytest.raises(TenantExistsError, match=f"steward tenants drop {slug}"):
        await create_tenant(engine, slug=slug, name="Again")
    assert set(await _leftovers(engine, slug)) == {"role", "schema"}  # the retry undid nothing

    await drop_tenant(engine, slug=slug)
    assert await _leftovers(engine, slug) == {}
    again = await create_tenant(engine, slug=slug, name="Again")
    # A role of its own: on Citus, connections cached for the dropped role's name would
    # otherwise serve the new one (tenants/slugs.py role_name).
    assert again.role_name != ref.role_name
    assert {"registry row", "schema", "role"} <= set(await _leftovers(engine, slug))
    await drop_tenant(engine, slug=slug)
    assert await _leftovers(engine, slug) == {}


async def test_drop_of_an_unknown_slug_is_not_found(engine: AsyncEngine) -> None:
    with pytest.raises(TenantNotFoundError):
        await drop_tenant(engine, slug=unique_slug())
    with pytest.raises(TenantNotFoundError):
        await drop_tenant(engine, slug="pg_not_a_slug")


def test_role_login_auto_follows_citus_and_explicit_values_win() -> None:
    assert TenantRoleLogin.AUTO.resolve(citus=False) is False
    assert TenantRoleLogin.AUTO.resolve(citus=True) is True
    assert TenantRoleLogin.LOGIN.resolve(citus=False) is True
    assert TenantRoleLogin.NOLOGIN.resolve(citus=True) is False


async def _citus(engine: AsyncEngine) -> bool:
    async with engine.connect() as conn:
        return await citus_present(conn)


async def test_tenant_roles_are_nologin_on_plain_postgresql_and_login_only_when_asked(
    engine: AsyncEngine,
) -> None:
    """`auto` is NOLOGIN without Citus (CI's case) and LOGIN with it (a manual Citus run)."""
    citus = await _citus(engine)
    plain = await create_tenant(engine, slug=unique_slug(), name="Plain")
    login = await create_tenant(
        engine, slug=unique_slug(), name="Login", role_login=TenantRoleLogin.LOGIN
    )
    try:
        assert await _login_of(engine, plain) == (citus, False)
        assert await _login_of(engine, login) == (True, False)  # LOGIN, never a password
    finally:
        await drop_tenant(engine, slug=plain.slug)
        await drop_tenant(engine, slug=login.slug)


async def test_every_tenant_role_is_in_the_group_pg_hba_can_name(engine: AsyncEngine) -> None:
    ref = await create_tenant(engine, slug=unique_slug(), name="Grouped")
    try:
        async with engine.connect() as conn:
            member = await conn.scalar(
                text("SELECT pg_has_role(:r, :g, 'MEMBER')"),
                {"r": ref.role_name, "g": TENANT_GROUP},
            )
            group_rights = await conn.scalar(
                text("SELECT rolcanlogin OR rolsuper FROM pg_roles WHERE rolname = :g"),
                {"g": TENANT_GROUP},
            )
        assert member is True
        assert group_rights is False
    finally:
        await drop_tenant(engine, slug=ref.slug)


async def _in_group(engine: AsyncEngine, ref: TenantRef) -> bool:
    async with engine.connect() as conn:
        found = await conn.scalar(
            text(
                "SELECT 1 FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid"
                " JOIN pg_roles r ON r.oid = m.member WHERE g.rolname = :g AND r.rolname = :r"
            ),
            {"g": TENANT_GROUP, "r": ref.role_name},
        )
    return found is not None


async def test_migrate_aligns_old_roles_with_the_login_setting(engine: AsyncEngine) -> None:
    ref = await create_tenant(engine, slug=unique_slug(), name="Moved onto Citus")
    async with engine.begin() as conn:  # as a role made before the group existed
        await conn.execute(text(f'REVOKE {TENANT_GROUP} FROM "{ref.role_name}"'))
    assert not await _in_group(engine, ref)
    try:
        outcomes = await migrate_all(
            engine, concurrency=1, slugs={ref.slug}, role_login=TenantRoleLogin.LOGIN
        )
        assert [o.ok for o in outcomes] == [True]
        assert await _login_of(engine, ref) == (True, False)
        assert await _in_group(engine, ref)
        await migrate_all(engine, concurrency=1, slugs={ref.slug}, role_login=TenantRoleLogin.AUTO)
        # auto: NOLOGIN again on plain PostgreSQL; on Citus it stays LOGIN
        assert await _login_of(engine, ref) == (await _citus(engine), False)
    finally:
        await drop_tenant(engine, slug=ref.slug)


async def test_connections_run_without_jit(engine: AsyncEngine) -> None:
    async with engine.connect() as conn:
        assert await conn.scalar(text("SHOW jit")) == "off"
        visibility = "SELECT current_setting('citus.override_table_visibility', true)"
        assert await conn.scalar(text(visibility)) == "off"
