"""ClientOrganisation over real HTTP: mutations, validation, conflicts, audit, pagination."""

from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncEngine

from tenants.registry import TenantRef
from tests.schema.support import audit_actions, errors_of
from tests.support import data, gql

CREATE = """
mutation($input: CreateClientOrganisationInput!) {
  createClientOrganisation(input: $input) {
    clientOrganisation { id version name engagementStatus engagementStart engagementEnd }
    errors { field code message }
  }
}"""
UPDATE = """
mutation($input: UpdateClientOrganisationInput!) {
  updateClientOrganisation(input: $input) {
    clientOrganisation { id version name industry }
    errors { field code message }
  }
}"""
ARCHIVE = """
mutation($input: ArchiveClientOrganisationInput!) {
  archiveClientOrganisation(input: $input) {
    clientOrganisation { id archivedAt }
    errors { field code message }
  }
}"""
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
    body = data(await gql(client, CREATE, {"input": {"name": "Northwind", **fields}}, token=token))
    result: dict[str, Any] = body["createClientOrganisation"]
    return result


async def test_create_update_archive_each_write_an_audit_event(
    client: httpx.AsyncClient, engine: AsyncEngine, tenant: TenantRef, consultant: str
) -> None:
    created = await create(
        client, consultant, engagementStatus="ACTIVE", engagementStart="2026-01-05"
    )
    assert created["errors"] == []
    org = created["clientOrganisation"]
    assert org["engagementStatus"] == "ACTIVE" and org["version"] == 1
    updated = data(
        await gql(
            client,
            UPDATE,
            {"input": {"id": org["id"], "version": 1, "industry": "Insurance"}},
            token=consultant,
        )
    )
    assert updated["updateClientOrganisation"]["errors"] == []
    assert updated["updateClientOrganisation"]["clientOrganisation"]["version"] == 2
    archived = data(
        await gql(client, ARCHIVE, {"input": {"id": org["id"], "version": 2}}, token=consultant)
    )
    assert archived["archiveClientOrganisation"]["clientOrganisation"]["archivedAt"]
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
    first = {"input": {"id": org["id"], "version": 1, "name": "First edit"}}
    second = {"input": {"id": org["id"], "version": 1, "name": "Second edit"}}
    assert (
        data(await gql(client, UPDATE, first, token=token))["updateClientOrganisation"]["errors"]
        == []
    )
    stale = data(await gql(client, UPDATE, second, token=token))["updateClientOrganisation"]
    assert stale["clientOrganisation"] is None
    assert stale["errors"][0]["code"] == "CONFLICT" and stale["errors"][0]["field"] == "version"
    node = data(
        await gql(
            client,
            NODE_NAME,
            {"id": org["id"]},
            token=token,
        )
    )
    assert node["node"]["name"] == "First edit"


async def test_a_wrong_type_of_id_is_a_validation_error(
    client: httpx.AsyncClient, token: str
) -> None:
    result = data(
        await gql(client, UPDATE, {"input": {"id": "bm90LWFuLWlk", "version": 1}}, token=token)
    )
    assert result["updateClientOrganisation"]["errors"] == [
        {"field": "id", "code": "VALIDATION", "message": "must be the id of a ClientOrganisation"}
    ]


async def test_another_tenants_id_is_not_found(
    client: httpx.AsyncClient, token: str, stranger: str
) -> None:
    org = (await create(client, token))["clientOrganisation"]
    result = data(
        await gql(
            client, UPDATE, {"input": {"id": org["id"], "version": 1, "name": "x"}}, token=stranger
        )
    )
    assert result["updateClientOrganisation"]["errors"][0]["code"] == "NOT_FOUND"
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
