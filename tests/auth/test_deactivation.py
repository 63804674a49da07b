"""Deactivating a member ends their sessions and tokens in the same transaction."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from tenants.errors import DomainError
from tenants.models import Member
from tenants.principals import Role
from tenants.services.api_tokens import create_api_token
from tenants.services.audit import SYSTEM
from tenants.services.members import deactivate_member, update_member_role
from tenants.session import tenant_session
from tests.auth.support import Browser, World, person

VIEWER = "{ viewer { role } }"


async def _login(browser: Browser, world: World, engine: AsyncEngine) -> Member:
    user = person()
    await world.providers["staff"].next_user(**user)
    assert (await browser.login(world.a.tenant.slug)).status_code == 303
    async with tenant_session(engine, world.a.tenant) as session:
        member = await session.scalar(select(Member).where(Member.email == user["email"]))
    assert member is not None
    return member


async def test_deactivation_ends_sessions_and_tokens_at_once(
    browser: Browser, world: World, engine: AsyncEngine
) -> None:
    member = await _login(browser, world, engine)
    async with tenant_session(engine, world.a.tenant) as session:
        issued = await create_api_token(
            session,
            actor=SYSTEM,
            tenant=world.a.tenant,
            name="member's script",
            role=Role.VIEWER,
            member_id=member.id,
        )
    bearer = {"authorization": f"Bearer {issued.secret}"}
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
    member = await _login(browser, world, engine)
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
    member = await _login(browser, world, engine)
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
    member = await _login(browser, world, engine)
    with pytest.raises(DomainError) as error:
        async with tenant_session(engine, world.a.tenant) as session:
            await deactivate_member(
                session, actor=SYSTEM, member_id=member.id, expected_version=member.version + 5
            )
    assert error.value.errors[0].code == "CONFLICT"
