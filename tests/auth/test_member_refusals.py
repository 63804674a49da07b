"""Who may become or act as a member: domains, verification, deactivation, organisations."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from tenants.models import Member
from tenants.principals import Role
from tenants.services.audit import SYSTEM
from tenants.services.members import deactivate_member, invite_member
from tenants.session import tenant_session
from tests.auth.refusals import assert_login_refused
from tests.auth.support import Browser, World, person, sign_in

# Every login here runs with the claims in the id token and with them only in UserInfo.
pytestmark = pytest.mark.usefixtures("claims_mode")


async def _members_with(engine: AsyncEngine, world: World, email: str) -> list[Member]:
    async with tenant_session(engine, world.a.tenant) as session:
        return list(await session.scalars(select(Member).where(Member.email == email)))


async def test_an_email_domain_that_is_not_allowed_is_refused_and_nobody_is_provisioned(
    browser: Browser, world: World, engine: AsyncEngine
) -> None:
    user = person("gmail.example")
    await world.providers["staff"].next_user(**user)
    await assert_login_refused(browser, world, engine, "domain_not_allowed", status=403)
    assert await _members_with(engine, world, user["email"]) == []


async def test_a_lookalike_subdomain_is_not_an_allowed_domain(
    browser: Browser, world: World, engine: AsyncEngine
) -> None:
    await world.providers["staff"].next_user(**person("consultancy.test.evil.example"))
    await assert_login_refused(browser, world, engine, "domain_not_allowed")


async def test_an_unverified_email_is_refused(
    browser: Browser, world: World, engine: AsyncEngine
) -> None:
    await world.providers["staff"].next_user(**person(email_verified=False))
    await assert_login_refused(browser, world, engine, "email_unverified")


async def test_a_deactivated_member_is_refused(
    browser: Browser, world: World, engine: AsyncEngine
) -> None:
    user = await sign_in(browser, world)
    [member] = await _members_with(engine, world, user["email"])
    async with tenant_session(engine, world.a.tenant) as session:
        await deactivate_member(
            session, actor=SYSTEM, member_id=member.id, expected_version=member.version
        )
    await world.providers["staff"].next_user(**user)
    await assert_login_refused(browser, world, engine, "member_deactivated")


async def test_a_deactivated_member_cannot_return_with_a_new_identity(
    browser: Browser, world: World, engine: AsyncEngine
) -> None:
    user = person()
    async with tenant_session(engine, world.a.tenant) as session:
        invited = await invite_member(session, actor=SYSTEM, email=user["email"], role=Role.VIEWER)
        await deactivate_member(session, actor=SYSTEM, member_id=invited.id, expected_version=1)
    await world.providers["staff"].next_user(**user)
    await assert_login_refused(browser, world, engine, "member_deactivated")


async def test_a_client_idp_cannot_claim_a_staff_invitation(
    browser: Browser, world: World, engine: AsyncEngine
) -> None:
    user = person("globex.test")
    async with tenant_session(engine, world.a.tenant) as session:
        await invite_member(session, actor=SYSTEM, email=user["email"], role=Role.ADMIN)
    await world.providers["client"].next_user(**user)
    await assert_login_refused(
        browser, world, engine, "wrong_organisation", idp_id=world.a.client_idp_id
    )
    [member] = await _members_with(engine, world, user["email"])
    assert member.issuer is None and member.role is Role.ADMIN


async def test_an_email_already_linked_to_another_identity_is_not_taken_over(
    browser: Browser, world: World, engine: AsyncEngine
) -> None:
    user = await sign_in(browser, world)
    await world.providers["staff"].next_user(**{**user, "sub": "someone-else"})
    await assert_login_refused(browser, world, engine, "email_conflict")
    [member] = await _members_with(engine, world, user["email"])
    assert member.subject == user["sub"]
