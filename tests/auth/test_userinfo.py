"""UserInfo (OpenID Connect Core 5.3/5.4): claims the id token lacks, and its refusals."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from tenants.models import Member
from tenants.session import tenant_session
from tests.auth.graphql_support import member_by_email
from tests.auth.refusals import assert_login_refused
from tests.auth.support import Browser, World, person


async def _userinfo_requests(world: World) -> int:
    summary = await world.providers["staff"].control()
    return int(summary["userinfo_requests"])


async def test_claims_only_in_userinfo_provision_the_member_with_its_email_and_name(
    browser: Browser, world: World, engine: AsyncEngine
) -> None:
    user = person(groups=["consultants"])
    await world.providers["staff"].knobs(claims_in_userinfo=True)
    await world.providers["staff"].next_user(**user)
    before = await _userinfo_requests(world)
    response = await browser.login(world.a.tenant.slug, next_path="/app")
    assert response.status_code == 303, response.text
    assert await _userinfo_requests(world) == before + 1
    member = await member_by_email(engine, world.a.tenant, user["email"])
    assert (member.display_name, member.role.value) == (user["name"], "consultant")


async def test_userinfo_is_not_called_when_the_id_token_has_the_claims(
    browser: Browser, world: World
) -> None:
    await world.providers["staff"].next_user(**person())
    before = await _userinfo_requests(world)
    response = await browser.login(world.a.tenant.slug, next_path="/app")
    assert response.status_code == 303, response.text
    assert await _userinfo_requests(world) == before


async def test_userinfo_for_another_subject_is_refused_and_nobody_is_provisioned(
    browser: Browser, world: World, engine: AsyncEngine
) -> None:
    user = person()
    await world.providers["staff"].knobs(claims_in_userinfo=True, userinfo_sub="someone-else")
    await world.providers["staff"].next_user(**user)
    await assert_login_refused(browser, world, engine, "userinfo_subject_mismatch", status=400)
    async with tenant_session(engine, world.a.tenant) as session:
        assert await session.scalar(select(Member).where(Member.email == user["email"])) is None
