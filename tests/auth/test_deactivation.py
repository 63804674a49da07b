"""Deactivating a member ends their sessions and tokens in the same transaction."""

from __future__ import annotations

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from tenants.errors import DomainError
from tenants.principals import Role
from tenants.services.audit import SYSTEM
from tenants.services.members import deactivate_member, update_member_role
from tenants.session import tenant_session
from tests.auth.graphql_support import login_member, token
from tests.auth.support import Browser, World

VIEWER = "{ viewer { role } }"


async def test_deactivation_ends_sessions_and_tokens_at_once(
    browser: Browser, world: World, engine: AsyncEngine
) -> None:
    member = await login_member(browser, world, engine)
    secret = await token(engine, world.a.tenant, Role.VIEWER, member.id, name="member's script")
    bearer = {"authorization": f"Bearer {secret}"}
    assert (await browser.graphql(VIEWER)).status_code == 200
    assert (
        await browser.http.post(f"{world.auth_url}/graphql", json={"query": VIEWER}, headers=bearer)
    ).status_code == 200
    async with tenant_session(engine, world.a.tenant) as session:
        await deactivate_member(
            session, actor=SYSTEM, member_id=member.id, expected_version=member.version
        )
    assert (await browser.graphql(VIEWER)).status_code == 401
    response = await browser.http.post(
        f"{world.auth_url}/graphql", json={"query": VIEWER}, headers=bearer
    )
    assert response.status_code == 401


async def test_a_failed_deactivation_revokes_nothing(
    browser: Browser, world: World, engine: AsyncEngine
) -> None:
    member = await login_member(browser, world, engine)
    with pytest.raises(RuntimeError):
        async with tenant_session(engine, world.a.tenant) as session:
            await deactivate_member(
                session, actor=SYSTEM, member_id=member.id, expected_version=member.version
            )
            raise RuntimeError("something later in the transaction failed")
    assert (await browser.graphql(VIEWER)).status_code == 200


async def test_a_role_change_reaches_live_sessions_at_once(
    browser: Browser, world: World, engine: AsyncEngine
) -> None:
    member = await login_member(browser, world, engine)
    assert (await browser.graphql(VIEWER)).json()["data"]["viewer"]["role"] == "VIEWER"
    async with tenant_session(engine, world.a.tenant) as session:
        await update_member_role(
            session,
            actor=SYSTEM,
            member_id=member.id,
            expected_version=member.version,
            role=Role.CONSULTANT,
        )
    assert (await browser.graphql(VIEWER)).json()["data"]["viewer"]["role"] == "CONSULTANT"


async def test_a_stale_version_cannot_deactivate(
    browser: Browser, world: World, engine: AsyncEngine
) -> None:
    member = await login_member(browser, world, engine)
    with pytest.raises(DomainError) as error:
        async with tenant_session(engine, world.a.tenant) as session:
            await deactivate_member(
                session, actor=SYSTEM, member_id=member.id, expected_version=member.version + 5
            )
    assert error.value.errors[0].code == "CONFLICT"
