"""SCIM Users over real HTTP: create, read, filter, page, replace, patch, delete, errors."""

from __future__ import annotations

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from tenants.models import AuditEvent, Member, MemberStatus, ScimUser
from tenants.principals import Role
from tenants.session import tenant_session
from tests.scim.conftest import ScimProvider, ScimWorld, new_user

SCIM = "application/scim+json"


async def _create(http: httpx.AsyncClient, p: ScimProvider, **extra: object) -> dict[str, object]:
    body = new_user(**extra)
    r = await http.post(f"{p.base}/Users", json=body, headers=p.headers())
    assert r.status_code == 201, r.text
    assert r.headers["content-type"].startswith(SCIM)
    created: dict[str, object] = r.json()
    assert r.headers["location"] == f"{p.base}/Users/{created['id']}"
    return created


async def test_create_invites_a_member_of_the_providers_organisation(
    http: httpx.AsyncClient, scim_world: ScimWorld, engine: AsyncEngine
) -> None:
    p = scim_world.globex
    user = await _create(http, p)
    async with tenant_session(engine, p.tenant) as db:
        member = await db.get(Member, user["id"])
        assert member is not None
        events = list(await db.scalars(select(AuditEvent).where(AuditEvent.object_id == member.id)))
    assert member.email == user["userName"]
    assert member.display_name == user["displayName"]
    assert member.client_organisation_id == p.client_organisation_id
    assert member.role is Role.CLIENT_VIEWER and member.status is MemberStatus.INVITED
    assert events and all(e.actor_kind == "scim" and e.actor_id == p.idp_id for e in events)
    assert user["name"] == {"givenName": "Ada", "familyName": user["name"]["familyName"]}  # type: ignore[index]
    assert user["meta"]["resourceType"] == "User"  # type: ignore[index]


async def test_get_returns_what_was_written_with_an_etag(
    http: httpx.AsyncClient, scim_world: ScimWorld
) -> None:
    p = scim_world.globex
    user = await _create(http, p)
    r = await http.get(f"{p.base}/Users/{user['id']}", headers=p.headers())
    assert r.status_code == 200
    assert r.json() == user
    assert r.headers["etag"] == user["meta"]["version"]  # type: ignore[index]
    again = await http.get(
        f"{p.base}/Users/{user['id']}", headers=p.headers() | {"if-none-match": r.headers["etag"]}
    )
    assert again.status_code == 304


async def test_filter_user_name_eq_is_case_insensitive(
    http: httpx.AsyncClient, scim_world: ScimWorld
) -> None:
    p = scim_world.globex
    user = await _create(http, p)
    wanted = str(user["userName"]).upper()
    r = await http.get(
        f"{p.base}/Users", params={"filter": f'userName eq "{wanted}"'}, headers=p.headers()
    )
    assert r.status_code == 200
    body = r.json()
    assert body["schemas"] == ["urn:ietf:params:scim:api:messages:2.0:ListResponse"]
    assert body["totalResults"] == 1 and [u["id"] for u in body["Resources"]] == [user["id"]]
    by_external = await http.get(
        f"{p.base}/Users",
        params={"filter": f'externalId eq "{user["externalId"]}" and active eq true'},
        headers=p.headers(),
    )
    assert [u["id"] for u in by_external.json()["Resources"]] == [user["id"]]


async def test_pagination_by_start_index_and_count(
    http: httpx.AsyncClient, scim_world: ScimWorld
) -> None:
    p = scim_world.initech
    for _ in range(3):
        await _create(http, p)
    everyone = (await http.get(f"{p.base}/Users", headers=p.headers())).json()
    total = everyone["totalResults"]
    ids = [u["id"] for u in everyone["Resources"]]
    page = (
        await http.get(f"{p.base}/Users", params={"startIndex": 2, "count": 2}, headers=p.headers())
    ).json()
    assert page["totalResults"] == total and page["startIndex"] == 2
    assert page["itemsPerPage"] == 2 and [u["id"] for u in page["Resources"]] == ids[1:3]
    none = (await http.get(f"{p.base}/Users", params={"count": 0}, headers=p.headers())).json()
    assert none["totalResults"] == total and none.get("Resources", []) == []


async def test_put_replaces_and_a_stale_if_match_is_refused(
    http: httpx.AsyncClient, scim_world: ScimWorld, engine: AsyncEngine
) -> None:
    p = scim_world.globex
    user = await _create(http, p)
    stale = user["meta"]["version"]  # type: ignore[index]
    replacement = new_user() | {"id": user["id"]}
    r = await http.put(
        f"{p.base}/Users/{user['id']}", json=replacement, headers=p.headers() | {"if-match": stale}
    )
    assert r.status_code == 200, r.text
    assert r.json()["userName"] == replacement["userName"]
    assert r.json()["meta"]["version"] != stale
    async with tenant_session(engine, p.tenant) as db:
        member = await db.get(Member, user["id"])
    assert member is not None and member.email == replacement["userName"]
    refused = await http.put(
        f"{p.base}/Users/{user['id']}", json=new_user(), headers=p.headers() | {"if-match": stale}
    )
    assert refused.status_code == 412
    assert refused.json()["schemas"] == ["urn:ietf:params:scim:api:messages:2.0:Error"]


async def test_patch_replaces_one_attribute(http: httpx.AsyncClient, scim_world: ScimWorld) -> None:
    p = scim_world.globex
    user = await _create(http, p)
    patch = {
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations": [{"op": "replace", "path": "displayName", "value": "Ada Lovelace"}],
    }
    r = await http.patch(f"{p.base}/Users/{user['id']}", json=patch, headers=p.headers())
    assert r.status_code == 200, r.text
    assert r.json()["displayName"] == "Ada Lovelace"
    assert r.json()["userName"] == user["userName"]


async def test_duplicate_user_name_is_a_uniqueness_error(
    http: httpx.AsyncClient, scim_world: ScimWorld
) -> None:
    p = scim_world.globex
    user = await _create(http, p)
    r = await http.post(
        f"{p.base}/Users", json=new_user(userName=user["userName"]), headers=p.headers()
    )
    assert r.status_code == 409
    assert r.json()["scimType"] == "uniqueness" and r.json()["status"] == "409"


async def test_bad_input_answers_scim_errors(
    http: httpx.AsyncClient, scim_world: ScimWorld
) -> None:
    p = scim_world.globex
    bad_filter = await http.get(
        f"{p.base}/Users", params={"filter": "userName eq"}, headers=p.headers()
    )
    assert bad_filter.status_code == 400 and bad_filter.json()["scimType"] == "invalidFilter"
    bad = new_user(userName="no-at-sign", emails=[{"value": "not-an-address"}])
    not_an_email = await http.post(f"{p.base}/Users", json=bad, headers=p.headers())
    assert not_an_email.status_code == 400
    assert not_an_email.json()["scimType"] == "invalidValue"
    assert "emails" in not_an_email.json()["detail"]
    missing = await http.get(
        f"{p.base}/Users/00000000-0000-0000-0000-000000000000", headers=p.headers()
    )
    assert missing.status_code == 404 and missing.json()["status"] == "404"


async def test_delete_deactivates_and_hides_the_member(
    http: httpx.AsyncClient, scim_world: ScimWorld, engine: AsyncEngine
) -> None:
    p = scim_world.globex
    user = await _create(http, p)
    r = await http.delete(f"{p.base}/Users/{user['id']}", headers=p.headers())
    assert r.status_code == 204
    assert (await http.get(f"{p.base}/Users/{user['id']}", headers=p.headers())).status_code == 404
    by_name = {"filter": f'userName eq "{user["userName"]}"'}
    listed = await http.get(f"{p.base}/Users", params=by_name, headers=p.headers())
    assert listed.json()["totalResults"] == 0
    async with tenant_session(engine, p.tenant) as db:
        member = await db.get(Member, user["id"])
    assert member is not None and member.status is MemberStatus.DEACTIVATED
    # Its address is free again for a new provisioning.
    again = new_user(userName=user["userName"])
    assert (await http.post(f"{p.base}/Users", json=again, headers=p.headers())).status_code == 201


async def test_a_user_name_that_is_no_address_takes_the_primary_email_and_no_password_is_kept(
    http: httpx.AsyncClient, scim_world: ScimWorld, engine: AsyncEngine
) -> None:
    p = scim_world.globex
    body = new_user()
    address = body["emails"][0]["value"]  # type: ignore[index]
    body |= {"userName": "ada.lovelace", "password": "s3cret-Passw0rd"}
    r = await http.post(f"{p.base}/Users", json=body, headers=p.headers())
    assert r.status_code == 201, r.text
    assert r.json()["userName"] == "ada.lovelace" and "password" not in r.json()
    async with tenant_session(engine, p.tenant) as db:
        member = await db.get(Member, r.json()["id"])
        stored = await db.get(ScimUser, r.json()["id"])
    assert member is not None and member.email == address
    assert stored is not None and "password" not in stored.attributes
