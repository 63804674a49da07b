"""`endMemberSessions`: an admin ends every browser session of a member, audited; tokens stay."""

from __future__ import annotations

import base64
import uuid

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from tenants.models import AuditEvent
from tenants.principals import Role
from tenants.session import tenant_session
from tests.auth.graphql_support import bearer_gql, login_member, member_by_email, token
from tests.auth.support import Browser, World, person, sign_in

VIEWER = "{ viewer { role } }"
END = """mutation($id: ID!) { endMemberSessions(input: {memberId: $id}) {
  member { id } sessionsEnded errors { field code } } }"""


def _gid(member_id: uuid.UUID) -> str:
    return base64.b64encode(f"Member:{member_id}".encode()).decode()


async def _end(world: World, secret: str, member_id: uuid.UUID) -> dict[str, object]:
    body = await bearer_gql(world.auth_url, secret, END, {"id": _gid(member_id)})
    result: dict[str, object] = body["data"]["endMemberSessions"]
    return result


async def test_an_admin_ends_all_of_a_members_sessions_and_it_is_audited(
    world: World, engine: AsyncEngine, auth_url: str
) -> None:
    async with httpx.AsyncClient() as h1, httpx.AsyncClient() as h2:
        first, second = Browser(h1, auth_url), Browser(h2, auth_url)
        user = person()
        for browser in (first, second):  # the same person on two machines
            await sign_in(browser, world, user)
        member = await member_by_email(engine, world.a.tenant, user["email"])
        kept = await token(engine, world.a.tenant, Role.VIEWER, member.id)
        admin = await token(engine, world.a.tenant, Role.ADMIN, None)
        result = await _end(world, admin, member.id)
        assert result == {"member": {"id": _gid(member.id)}, "sessionsEnded": 2, "errors": []}
        assert (await first.graphql(VIEWER)).status_code == 401
        assert (await second.graphql(VIEWER)).status_code == 401
        still = await h1.post(
            f"{auth_url}/graphql",
            json={"query": VIEWER},
            headers={"authorization": f"Bearer {kept}"},
        )
        assert still.status_code == 200  # API tokens are not sessions
    async with tenant_session(engine, world.a.tenant) as session:
        event = await session.scalar(
            select(AuditEvent)
            .where(AuditEvent.action == "end_sessions", AuditEvent.object_id == member.id)
            .order_by(AuditEvent.seq.desc())
        )
    assert event is not None and event.after("sessionsRevoked") == 2


async def test_a_non_admin_cannot_end_sessions_and_nothing_ends(
    browser: Browser, world: World, engine: AsyncEngine
) -> None:
    member = await login_member(browser, world, engine)
    consultant = await token(engine, world.a.tenant, Role.CONSULTANT, None)
    result = await _end(world, consultant, member.id)
    assert result["member"] is None and result["sessionsEnded"] == 0
    assert [e["code"] for e in result["errors"]] == ["FORBIDDEN"]  # type: ignore[attr-defined,index]
    assert (await browser.graphql(VIEWER)).status_code == 200


async def test_another_tenants_admin_cannot_end_this_tenants_sessions(
    browser: Browser, world: World, engine: AsyncEngine
) -> None:
    member = await login_member(browser, world, engine)
    other_admin = await token(engine, world.b.tenant, Role.ADMIN, None)
    result = await _end(world, other_admin, member.id)
    assert [e["code"] for e in result["errors"]] == ["NOT_FOUND"]  # type: ignore[attr-defined,index]
    assert (await browser.graphql(VIEWER)).status_code == 200
