"""A provider's SCIM token reaches only its own scope: its client organisation's members, or
the staff; never another organisation, the staff of a client provider, or another tenant."""

from __future__ import annotations

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from tenants.models import AuditEvent, Member
from tenants.principals import Role
from tenants.services.audit import SYSTEM
from tenants.services.members import invite_member
from tenants.services.scim import revoke_scim_tokens
from tenants.session import tenant_session
from tests.scim.conftest import ScimProvider, ScimWorld, add_scim_provider, new_user


async def _create(http: httpx.AsyncClient, p: ScimProvider) -> dict[str, object]:
    r = await http.post(f"{p.base}/Users", json=new_user(), headers=p.headers())
    assert r.status_code == 201, r.text
    created: dict[str, object] = r.json()
    return created


async def _listed(http: httpx.AsyncClient, p: ScimProvider) -> set[str]:
    r = await http.get(f"{p.base}/Users", headers=p.headers())
    assert r.status_code == 200
    return {u["id"] for u in r.json().get("Resources", [])}


async def _cannot_touch(http: httpx.AsyncClient, p: ScimProvider, user_id: object) -> None:
    url = f"{p.base}/Users/{user_id}"
    h = p.headers()
    patch = {
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations": [{"op": "replace", "value": {"active": False}}],
    }
    assert (await http.get(url, headers=h)).status_code == 404
    assert (await http.put(url, json=new_user(), headers=h)).status_code == 404
    assert (await http.patch(url, json=patch, headers=h)).status_code == 404
    assert (await http.delete(url, headers=h)).status_code == 404
    assert user_id not in await _listed(http, p)


async def test_an_organisations_provider_cannot_touch_another_organisations_members(
    http: httpx.AsyncClient, scim_world: ScimWorld
) -> None:
    globex_user = await _create(http, scim_world.globex)
    await _cannot_touch(http, scim_world.initech, globex_user["id"])
    r = await http.get(
        f"{scim_world.globex.base}/Users/{globex_user['id']}", headers=scim_world.globex.headers()
    )
    assert r.status_code == 200 and r.json()["active"] is True


async def test_the_staff_provider_and_client_providers_do_not_see_each_other(
    http: httpx.AsyncClient, scim_world: ScimWorld, engine: AsyncEngine
) -> None:
    staff_user = await _create(http, scim_world.staff)
    client_user = await _create(http, scim_world.globex)
    await _cannot_touch(http, scim_world.globex, staff_user["id"])
    await _cannot_touch(http, scim_world.staff, client_user["id"])
    async with tenant_session(engine, scim_world.staff.tenant) as db:
        member = await db.get(Member, staff_user["id"])
    assert (
        member is not None and member.role is Role.VIEWER and member.client_organisation_id is None
    )


async def test_existing_unprovisioned_members_of_the_scope_are_visible_and_others_not(
    http: httpx.AsyncClient, scim_world: ScimWorld, engine: AsyncEngine
) -> None:
    p = scim_world.initech
    async with tenant_session(engine, p.tenant) as db:
        own = await invite_member(
            db,
            actor=SYSTEM,
            email="pre@example.org",
            role=Role.CLIENT_OWNER,
            client_organisation_id=p.client_organisation_id,
        )
        staff = await invite_member(
            db, actor=SYSTEM, email="staffer@example.org", role=Role.CONSULTANT
        )
    listed = await _listed(http, p)
    assert str(own.id) in listed and str(staff.id) not in listed
    found = await http.get(
        f"{p.base}/Users", params={"filter": 'userName eq "pre@example.org"'}, headers=p.headers()
    )
    assert [u["id"] for u in found.json()["Resources"]] == [str(own.id)]


async def test_a_token_works_only_on_its_own_providers_path_and_tenant(
    http: httpx.AsyncClient, scim_world: ScimWorld
) -> None:
    a, b = scim_world.globex, scim_world.other
    wrong_provider = f"{scim_world.initech.base}/Users"
    wrong_tenant = f"{b.base}/Users"
    # Tenant A's slug with tenant B's provider id, and the reverse.
    mixed = f"{a.base.rsplit('/', 1)[0]}/{b.idp_id}/Users"
    for url in (wrong_provider, wrong_tenant, mixed):
        r = await http.get(url, headers=a.headers())
        assert r.status_code == 401, url
        assert r.json()["status"] == "401"
        assert r.headers["www-authenticate"].startswith("Bearer")
    assert (await http.get(f"{a.base}/Users")).status_code == 401
    bogus = {"authorization": "Bearer scim_not-a-token"}
    assert (await http.get(f"{a.base}/ServiceProviderConfig", headers=bogus)).status_code == 401
    unknown_tenant = a.base.replace(a.tenant.slug, "nosuchtenant")
    assert (await http.get(f"{unknown_tenant}/Users", headers=a.headers())).status_code == 401


async def test_another_tenants_members_are_never_listed(
    http: httpx.AsyncClient, scim_world: ScimWorld
) -> None:
    a_user = await _create(http, scim_world.staff)
    b_user = await _create(http, scim_world.other)
    assert a_user["id"] not in await _listed(http, scim_world.other)
    assert b_user["id"] not in await _listed(http, scim_world.staff)
    r = await http.get(
        f"{scim_world.other.base}/Users/{a_user['id']}", headers=scim_world.other.headers()
    )
    assert r.status_code == 404


async def test_every_scim_write_is_audited_with_the_provider_as_actor(
    http: httpx.AsyncClient, scim_world: ScimWorld, engine: AsyncEngine
) -> None:
    p = scim_world.globex
    user = await _create(http, p)
    await http.delete(f"{p.base}/Users/{user['id']}", headers=p.headers())
    async with tenant_session(engine, p.tenant) as db:
        events = list(
            await db.scalars(select(AuditEvent).where(AuditEvent.object_id == user["id"]))
        )
    actions = {e.action for e in events}
    assert {"invite", "scim_create", "deactivate", "scim_delete"} <= actions
    assert all(e.actor_kind == "scim" and e.actor_id == p.idp_id for e in events)


async def test_a_revoked_token_is_refused(
    http: httpx.AsyncClient, scim_world: ScimWorld, engine: AsyncEngine, base_url: str
) -> None:
    p = await add_scim_provider(engine, base_url, scim_world.other.tenant, "Hooli")
    assert (await http.get(f"{p.base}/Users", headers=p.headers())).status_code == 200
    async with tenant_session(engine, p.tenant) as db:
        assert await revoke_scim_tokens(db, actor=SYSTEM, identity_provider_id=p.idp_id) == 1
    assert (await http.get(f"{p.base}/Users", headers=p.headers())).status_code == 401


async def test_a_scim_token_is_no_api_token(
    http: httpx.AsyncClient, scim_world: ScimWorld, base_url: str
) -> None:
    """It opens the provider's SCIM endpoint and nothing else: GraphQL refuses it."""
    p = scim_world.staff
    query = {"query": "{ viewer { role } }"}
    bearer = {"authorization": f"Bearer {p.token}"}
    r = await http.post(f"{base_url}/graphql", json=query, headers=bearer)
    assert r.status_code == 401
