"""`Member.sessions` and `endMemberSession`: the current sessions, seen by admins and the
member themself, and ending exactly one of them."""

from __future__ import annotations

import uuid

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from schema.ids import global_id
from tenants.models import AuditEvent, Member
from tenants.principals import Role
from tenants.session import tenant_session
from tests.auth.graphql_support import bearer_gql, member_by_email, token
from tests.auth.support import Browser, World, person, sign_in
from tests.support import data

SESSIONS = """query($id: ID!) { node(id: $id) { ... on Member { sessions {
  id createdAt lastSeenAt expiresAt clientAddress userAgent identityProvider { id }
  member { id } } } } }"""
MY_SESSIONS = """{ viewer { member { id sessions { id userAgent } } } }"""
END = """mutation($id: ID!) { endMemberSession(input: {sessionId: $id}) {
  member { id } errors { field code message } } }"""
VIEWER = "{ viewer { role } }"


async def _two_browsers(
    world: World, engine: AsyncEngine, h1: httpx.AsyncClient, h2: httpx.AsyncClient
) -> tuple[Member, Browser, Browser]:
    first, second = Browser(h1, world.auth_url), Browser(h2, world.auth_url)
    user = person()
    for browser in (first, second):
        await sign_in(browser, world, user)
    return await member_by_email(engine, world.a.tenant, user["email"]), first, second


async def _sessions(world: World, secret: str, member: Member) -> list[dict[str, object]]:
    body = await bearer_gql(
        world.auth_url, secret, SESSIONS, {"id": global_id("Member", member.id)}
    )
    found: list[dict[str, object]] = data(body)["node"]["sessions"]
    return found


async def test_an_admin_sees_a_members_current_sessions_with_their_origin(
    world: World, engine: AsyncEngine, auth_url: str
) -> None:
    agents = {"user-agent": "Laptop/1.0 " + "x" * 400}
    async with httpx.AsyncClient(headers=agents) as h1, httpx.AsyncClient() as h2:
        member, _, _ = await _two_browsers(world, engine, h1, h2)
    admin = await token(engine, world.a.tenant, Role.ADMIN)
    sessions = await _sessions(world, admin, member)
    assert len(sessions) == 2
    newest, oldest = sessions
    assert str(newest["createdAt"]) >= str(oldest["createdAt"])
    assert (
        str(oldest["userAgent"]).startswith("Laptop/1.0 ") and len(str(oldest["userAgent"])) == 256
    )
    assert str(newest["userAgent"]).startswith("python-httpx/")
    for s in sessions:
        assert s["clientAddress"] == "127.0.0.1"
        assert s["identityProvider"] == {"id": global_id("IdentityProvider", world.a.staff_idp_id)}
        assert s["member"] == {"id": global_id("Member", member.id)}
        assert str(s["id"]).startswith(global_id("MemberSession", "")[:12])


async def test_a_member_sees_their_own_sessions_and_a_consultant_none(
    browser: Browser, world: World, engine: AsyncEngine
) -> None:
    user = await sign_in(browser, world)
    mine = data((await browser.graphql(MY_SESSIONS)).json())["viewer"]["member"]
    assert len(mine["sessions"]) == 1 and mine["sessions"][0]["userAgent"].startswith(
        "python-httpx/"
    )
    member = await member_by_email(engine, world.a.tenant, user["email"])
    consultant = await token(engine, world.a.tenant, Role.CONSULTANT)
    assert await _sessions(world, consultant, member) == []
    other = await bearer_gql(
        world.auth_url,
        consultant,
        "query($id: ID!) { node(id: $id) { id } }",
        {"id": mine["sessions"][0]["id"]},
    )
    assert other == {"data": {"node": None}}


async def test_an_admin_ends_one_session_and_the_other_stays(
    world: World, engine: AsyncEngine, auth_url: str
) -> None:
    async with httpx.AsyncClient() as h1, httpx.AsyncClient() as h2:
        member, first, second = await _two_browsers(world, engine, h1, h2)
        admin = await token(engine, world.a.tenant, Role.ADMIN)
        sessions = await _sessions(world, admin, member)
        ended_id = str(sessions[0]["id"])  # the newest: the second browser's
        result = data(await bearer_gql(auth_url, admin, END, {"id": ended_id}))["endMemberSession"]
        assert result == {"member": {"id": global_id("Member", member.id)}, "errors": []}
        assert (await second.graphql(VIEWER)).status_code == 401
        assert (await first.graphql(VIEWER)).status_code == 200
        assert [s["id"] for s in await _sessions(world, admin, member)] == [sessions[1]["id"]]
        again = data(await bearer_gql(auth_url, admin, END, {"id": ended_id}))["endMemberSession"]
        assert again["member"] is None
        assert [(e["field"], e["code"]) for e in again["errors"]] == [("sessionId", "VALIDATION")]
        assert "already ended" in again["errors"][0]["message"]
    async with tenant_session(engine, world.a.tenant) as session:
        events = list(
            await session.scalars(
                select(AuditEvent).where(
                    AuditEvent.action == "end_session", AuditEvent.object_id == member.id
                )
            )
        )
    assert len(events) == 1
    assert events[0].after("sessionRevoked") == ended_id


async def test_only_this_tenants_admins_may_end_a_session(
    browser: Browser, world: World, engine: AsyncEngine, auth_url: str
) -> None:
    await sign_in(browser, world)
    mine = data((await browser.graphql(MY_SESSIONS)).json())["viewer"]["member"]["sessions"]
    session_id = mine[0]["id"]
    consultant = await token(engine, world.a.tenant, Role.CONSULTANT)
    refused = data(await bearer_gql(auth_url, consultant, END, {"id": session_id}))
    assert [e["code"] for e in refused["endMemberSession"]["errors"]] == ["FORBIDDEN"]
    other_admin = await token(engine, world.b.tenant, Role.ADMIN)
    foreign = data(await bearer_gql(auth_url, other_admin, END, {"id": session_id}))
    assert [(e["field"], e["code"]) for e in foreign["endMemberSession"]["errors"]] == [
        ("sessionId", "NOT_FOUND")
    ]
    wrong_type = global_id("Member", uuid.UUID(int=1))  # an id, but not of a session
    not_a_session = data(await bearer_gql(auth_url, other_admin, END, {"id": wrong_type}))
    assert [e["field"] for e in not_a_session["endMemberSession"]["errors"]] == ["sessionId"]
    assert (await browser.graphql(VIEWER)).status_code == 200
