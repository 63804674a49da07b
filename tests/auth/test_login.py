"""The two login paths that succeed: staff through the tenant's IdP, client staff through theirs."""

from __future__ import annotations

import base64

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from tenants.global_ids import parse_global_id
from tenants.models import AuditEvent, Member, MemberStatus
from tenants.principals import Role
from tenants.services.audit import SYSTEM
from tenants.services.members import invite_member
from tenants.session import tenant_session
from tests.auth.graphql_support import member_by_email
from tests.auth.support import Browser, World, person

# Every login here runs with the claims in the id token and with them only in UserInfo.
pytestmark = pytest.mark.usefixtures("claims_mode")

VIEWER = "{ viewer { kind name role tenant { slug } clientOrganisationId } }"


def _global_id(type_name: str, value: object) -> str:
    return base64.b64encode(f"{type_name}:{value}".encode()).decode()


async def test_staff_login_redirects_to_next_with_a_session_whose_viewer_is_the_member(
    browser: Browser, world: World, engine: AsyncEngine
) -> None:
    user = person(groups=["consultants"])
    await world.providers["staff"].next_user(**user)
    response = await browser.login(world.a.tenant.slug, next_path="/app/clients?tab=open")
    assert response.status_code == 303, response.text
    assert response.headers["location"] == "/app/clients?tab=open"
    viewer = (await browser.graphql(VIEWER)).json()["data"]["viewer"]
    assert viewer == {
        "kind": "MEMBER",
        "name": user["name"],
        "role": "CONSULTANT",
        "tenant": {"slug": world.a.tenant.slug},
        "clientOrganisationId": None,
    }
    member = await member_by_email(engine, world.a.tenant, user["email"])
    assert (member.issuer, member.subject) == (world.providers["staff"].issuer, user["sub"])
    assert member.status is MemberStatus.ACTIVE and member.last_login_at is not None


async def test_client_login_gives_a_client_role_confined_to_the_client_organisation(
    browser: Browser, world: World
) -> None:
    await world.providers["client"].next_user(**person("globex.test", groups=["ai-owners"]))
    response = await browser.login(world.a.tenant.slug, world.a.client_idp_id)
    assert response.status_code == 303, response.text
    viewer = (await browser.graphql(VIEWER)).json()["data"]["viewer"]
    assert viewer["role"] == "CLIENT_OWNER"
    assert viewer["clientOrganisationId"] == _global_id("ClientOrganisation", world.a.client_org_id)


async def test_without_a_mapped_claim_the_default_role_applies(
    browser: Browser, world: World
) -> None:
    await world.providers["staff"].next_user(**person())
    await browser.login(world.a.tenant.slug)
    viewer = (await browser.graphql(VIEWER)).json()["data"]["viewer"]
    assert viewer["role"] == "VIEWER"


async def test_an_invited_member_is_linked_on_first_login_and_keeps_the_invited_role(
    browser: Browser, world: World, engine: AsyncEngine
) -> None:
    user = person()
    async with tenant_session(engine, world.a.tenant) as session:
        invited = await invite_member(session, actor=SYSTEM, email=user["email"], role=Role.ADMIN)
    await world.providers["staff"].next_user(**user)
    await browser.login(world.a.tenant.slug)
    viewer = (await browser.graphql(VIEWER)).json()["data"]["viewer"]
    assert viewer["role"] == "ADMIN"
    member = await member_by_email(engine, world.a.tenant, user["email"])
    assert member.id == invited.id and member.subject == user["sub"]


async def test_a_returning_member_is_found_by_issuer_and_subject_even_with_a_new_email(
    world: World, engine: AsyncEngine, auth_url: str
) -> None:
    user = person()
    staff = world.providers["staff"]
    for email in (user["email"], "renamed-" + user["email"]):
        await staff.control(reset=True)
        await staff.next_user(**{**user, "email": email})
        async with httpx.AsyncClient() as http:
            assert (await Browser(http, auth_url).login(world.a.tenant.slug)).status_code == 303
    async with tenant_session(engine, world.a.tenant) as session:
        members = list(await session.scalars(select(Member).where(Member.subject == user["sub"])))
    assert len(members) == 1 and members[0].email == user["email"]


async def test_a_login_is_audited(browser: Browser, world: World, engine: AsyncEngine) -> None:
    user = person()
    await world.providers["staff"].next_user(**user)
    await browser.login(world.a.tenant.slug)
    member = await member_by_email(engine, world.a.tenant, user["email"])
    async with tenant_session(engine, world.a.tenant) as session:
        event = await session.scalar(
            select(AuditEvent).where(
                AuditEvent.action == "login", AuditEvent.object_id == member.id
            )
        )
    assert event is not None and event.actor == user["name"]
    assert event.actor_kind == "member" and event.actor_id == member.id
    provider = parse_global_id(event.after("identityProvider"))
    assert provider is not None and provider[0] == "IdentityProvider"
