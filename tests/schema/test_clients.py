"""ClientOrganisation over real HTTP: mutations, validation, conflicts, audit, pagination."""

from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncEngine

from tenants.registry import TenantRef
from tests.schema.support import audit_actions, errors_of, mutation, ok
from tests.support import data, gql

CREATE = mutation(
    "createClientOrganisation",
    "clientOrganisation { id version name engagementStatus engagementStart engagementEnd }",
)
UPDATE = mutation("updateClientOrganisation", "clientOrganisation { id version name industry }")
ARCHIVE = mutation("archiveClientOrganisation", "clientOrganisation { id archivedAt }")
NODE_NAME = "query($id: ID!) { node(id: $id) { ... on ClientOrganisation { name } } }"
NODE_ID = "query($id: ID!) { node(id: $id) { id } }"
LIST = """
query($first: Int, $after: String, $filter: ClientOrganisationFilter) {
  clientOrganisations(first: $first, after: $after, filter: $filter) {
    totalCount
    edges { cursor node { id name } }
    pageInfo { hasNextPage endCursor }
  }
}"""


async def create(client: httpx.AsyncClient, token: str, **fields: Any) -> dict[str, Any]:
    return await CREATE.send(client, token, **{"name": "Northwind", **fields})


async def test_create_update_archive_each_write_an_audit_event(
    client: httpx.AsyncClient, engine: AsyncEngine, tenant: TenantRef, consultant: str
) -> None:
    created = await create(
        client, consultant, engagementStatus="ACTIVE", engagementStart="2026-01-05"
    )
    org = ok(created)
    assert org["engagementStatus"] == "ACTIVE" and org["version"] == 1
    updated = await UPDATE.send(client, consultant, id=org["id"], version=1, industry="Insurance")
    assert ok(updated)["version"] == 2
    archived = await ARCHIVE.send(client, consultant, id=org["id"], version=2)
    assert archived["clientOrganisation"]["archivedAt"]
    assert await audit_actions(engine, tenant, "ClientOrganisation") == [
        "create",
        "update",
        "archive",
    ]


async def test_validation_errors_name_the_field_and_write_nothing(
    client: httpx.AsyncClient, engine: AsyncEngine, tenant: TenantRef, token: str
) -> None:
    result = await create(
        client, token, name="  ", engagementStart="2026-05-01", engagementEnd="2026-01-01"
    )
    assert result["clientOrganisation"] is None
    assert errors_of(result) == {"name": "VALIDATION", "engagementEnd": "VALIDATION"}
    assert await audit_actions(engine, tenant, "ClientOrganisation") == []
    listed = data(await gql(client, LIST, token=token))["clientOrganisations"]
    assert listed["totalCount"] == 0


async def test_a_stale_version_is_a_conflict_not_an_overwrite(
    client: httpx.AsyncClient, token: str
) -> None:
    org = (await create(client, token))["clientOrganisation"]
    first = await UPDATE.send(client, token, id=org["id"], version=1, name="First edit")
    assert first["errors"] == []
    stale = await UPDATE.send(client, token, id=org["id"], version=1, name="Second edit")
    assert stale["clientOrganisation"] is None
    assert stale["errors"][0]["code"] == "CONFLICT" and stale["errors"][0]["field"] == "version"
    node = data(await gql(client, NODE_NAME, {"id": org["id"]}, token=token))
    assert node["node"]["name"] == "First edit"


async def test_a_wrong_type_of_id_is_a_validation_error(
    client: httpx.AsyncClient, token: str
) -> None:
    result = await UPDATE.send(client, token, id="bm90LWFuLWlk", version=1)
    assert result["errors"] == [
        {"field": "id", "code": "VALIDATION", "message": "must be the id of a ClientOrganisation"}
    ]


async def test_another_tenants_id_is_not_found(
    client: httpx.AsyncClient, token: str, stranger: str
) -> None:
    org = (await create(client, token))["clientOrganisation"]
    result = await UPDATE.send(client, stranger, id=org["id"], version=1, name="x")
    assert result["errors"][0]["code"] == "NOT_FOUND"
    node = data(await gql(client, NODE_ID, {"id": org["id"]}, token=stranger))
    assert node["node"] is None


async def test_the_viewer_role_cannot_write(client: httpx.AsyncClient, viewer: str) -> None:
    result = await create(client, viewer)
    assert result["clientOrganisation"] is None
    assert result["errors"][0]["code"] == "FORBIDDEN"


async def test_pagination_is_stable_while_rows_are_inserted(
    client: httpx.AsyncClient, token: str
) -> None:
    for name in ["Bravo", "Delta", "Foxtrot", "Hotel"]:
        await create(client, token, name=name)
    page1 = data(await gql(client, LIST, {"first": 2}, token=token))["clientOrganisations"]
    assert [e["node"]["name"] for e in page1["edges"]] == ["Bravo", "Delta"]
    assert page1["pageInfo"]["hasNextPage"] and page1["totalCount"] == 4
    await create(client, token, name="Alpha")  # sorts before the cursor
    await create(client, token, name="Echo")  # sorts after it
    page2 = data(
        await gql(client, LIST, {"first": 2, "after": page1["pageInfo"]["endCursor"]}, token=token)
    )
    names = [e["node"]["name"] for e in page2["clientOrganisations"]["edges"]]
    assert names == ["Echo", "Foxtrot"]


async def test_first_above_100_is_refused(client: httpx.AsyncClient, token: str) -> None:
    body = await gql(client, LIST, {"first": 101}, token=token)
    assert "between 0 and 100" in body["errors"][0]["message"]


async def test_a_forged_cursor_is_a_clear_error(client: httpx.AsyncClient, token: str) -> None:
    body = await gql(client, LIST, {"after": "garbage!"}, token=token)
    assert "invalid cursor" in body["errors"][0]["message"]
