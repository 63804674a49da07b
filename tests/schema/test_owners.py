"""Owner over real HTTP: mutations, validation, conflicts, audit, filters, computed fields."""

from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.conftest import TenantFactory, TokenFactory
from tests.schema.support import (
    ARCHIVE_PROCESS,
    assign,
    audit_actions,
    errors_of,
    new_client,
    new_process,
)
from tests.support import data, gql

OWNER_FIELDS = (
    "id version name email title businessUnit decisionAuthority archivedAt"
    " clientOrganisation { id }"
)
CREATE = f"""
mutation($input: CreateOwnerInput!) {{
  createOwner(input: $input) {{ owner {{ {OWNER_FIELDS} }} errors {{ field code message }} }}
}}"""
UPDATE = f"""
mutation($input: UpdateOwnerInput!) {{
  updateOwner(input: $input) {{ owner {{ {OWNER_FIELDS} }} errors {{ field code message }} }}
}}"""
ARCHIVE = f"""
mutation($input: ArchiveOwnerInput!) {{
  archiveOwner(input: $input) {{ owner {{ {OWNER_FIELDS} }} errors {{ field code message }} }}
}}"""
END = """
mutation($input: EndAssignmentInput!) {
  endAssignment(input: $input) { ownershipAssignment { id version } errors { field code } }
}"""
NODE = "query($id: ID!) { node(id: $id) { id ... on Owner { name totalHoursPerWeek } } }"
CLIENT_OWNERS = """
query($id: ID!, $filter: OwnerFilter, $orderBy: OwnerOrder) {
  node(id: $id) { ... on ClientOrganisation {
    owners(filter: $filter, orderBy: $orderBy) { totalCount edges { node { name } } }
  } }
}"""


async def create(
    client: httpx.AsyncClient, token: str, client_id: str, **fields: Any
) -> dict[str, Any]:
    variables = {"input": {"clientOrganisationId": client_id, "name": "Ada Lovelace", **fields}}
    result: dict[str, Any] = data(await gql(client, CREATE, variables, token=token))["createOwner"]
    return result


async def test_create_update_archive_owner_with_audit(
    client: httpx.AsyncClient,
    engine: AsyncEngine,
    make_tenant: TenantFactory,
    make_token: TokenFactory,
) -> None:
    tenant = await make_tenant()
    token = await make_token(tenant, "consultant")
    cid = await new_client(client, token)
    created = await create(
        client, token, cid, email="ada@example.com", title="Head of ops", decisionAuthority="FULL"
    )
    assert created["errors"] == []
    owner = created["owner"]
    assert owner["version"] == 1 and owner["decisionAuthority"] == "FULL"
    assert owner["clientOrganisation"]["id"] == cid
    updated = data(
        await gql(
            client,
            UPDATE,
            {"input": {"id": owner["id"], "version": 1, "title": None, "businessUnit": "Claims"}},
            token=token,
        )
    )["updateOwner"]
    assert updated["errors"] == []
    assert updated["owner"]["title"] is None and updated["owner"]["businessUnit"] == "Claims"
    assert updated["owner"]["email"] == "ada@example.com"
    archived = data(
        await gql(client, ARCHIVE, {"input": {"id": owner["id"], "version": 2}}, token=token)
    )["archiveOwner"]
    assert archived["errors"] == [] and archived["owner"]["archivedAt"]
    assert await audit_actions(engine, tenant, "Owner") == ["create", "update", "archive"]


async def test_owner_validation_errors(
    client: httpx.AsyncClient,
    engine: AsyncEngine,
    make_tenant: TenantFactory,
    make_token: TokenFactory,
) -> None:
    tenant = await make_tenant()
    token = await make_token(tenant)
    cid = await new_client(client, token)
    bad = await create(client, token, cid, name="", email="not-an-email", title="t" * 201)
    assert bad["owner"] is None
    assert errors_of(bad) == {"name": "VALIDATION", "email": "VALIDATION", "title": "VALIDATION"}
    pid = await new_process(client, token, cid)
    assert errors_of(await create(client, token, pid)) == {"clientOrganisationId": "VALIDATION"}
    other_client = await new_client(client, await make_token(await make_tenant()))
    assert errors_of(await create(client, token, other_client)) == {
        "clientOrganisationId": "NOT_FOUND"
    }
    first = await create(client, token, cid, email="ada@example.com")
    assert first["errors"] == []
    taken = await create(client, token, cid, email="ADA@example.com")
    assert errors_of(taken) == {"email": "CONFLICT"}
    second = await create(client, token, cid, name="Grace")
    clash = data(
        await gql(
            client,
            UPDATE,
            {"input": {"id": second["owner"]["id"], "version": 1, "email": "ada@example.com"}},
            token=token,
        )
    )["updateOwner"]
    assert errors_of(clash) == {"email": "CONFLICT"}
    nulls = data(
        await gql(
            client,
            UPDATE,
            {"input": {"id": second["owner"]["id"], "version": 1, "decisionAuthority": None}},
            token=token,
        )
    )["updateOwner"]
    assert errors_of(nulls) == {"decisionAuthority": "VALIDATION"}
    assert await audit_actions(engine, tenant, "Owner") == ["create", "create"]


async def test_stale_versions_and_archiving_an_owner_with_open_assignments(
    client: httpx.AsyncClient, make_tenant: TenantFactory, make_token: TokenFactory
) -> None:
    token = await make_token(await make_tenant())
    cid = await new_client(client, token)
    owner = (await create(client, token, cid))["owner"]
    ok = {"input": {"id": owner["id"], "version": 1, "name": "Ada L."}}
    assert data(await gql(client, UPDATE, ok, token=token))["updateOwner"]["errors"] == []
    stale = data(await gql(client, UPDATE, ok, token=token))["updateOwner"]
    assert stale["owner"] is None and errors_of(stale) == {"version": "CONFLICT"}
    stale_archive = data(
        await gql(client, ARCHIVE, {"input": {"id": owner["id"], "version": 1}}, token=token)
    )["archiveOwner"]
    assert errors_of(stale_archive) == {"version": "CONFLICT"}

    pid = await new_process(client, token, cid)
    assignment = (await assign(client, token, pid, owner["id"]))["ownershipAssignment"]
    blocked = data(
        await gql(client, ARCHIVE, {"input": {"id": owner["id"], "version": 2}}, token=token)
    )["archiveOwner"]
    assert errors_of(blocked) == {"id": "VALIDATION"}
    data(await gql(client, END, {"input": {"id": assignment["id"], "version": 1}}, token=token))
    done = data(
        await gql(client, ARCHIVE, {"input": {"id": owner["id"], "version": 2}}, token=token)
    )["archiveOwner"]
    assert done["errors"] == []


async def test_viewer_may_not_write_owners_and_other_tenants_see_null(
    client: httpx.AsyncClient, make_tenant: TenantFactory, make_token: TokenFactory
) -> None:
    tenant = await make_tenant()
    token = await make_token(tenant)
    viewer = await make_token(tenant, "viewer")
    other = await make_token(await make_tenant())
    cid = await new_client(client, token)
    oid = (await create(client, token, cid))["owner"]["id"]
    attempts: list[tuple[str, dict[str, Any], str]] = [
        (CREATE, {"input": {"clientOrganisationId": cid, "name": "X"}}, "createOwner"),
        (UPDATE, {"input": {"id": oid, "version": 1, "name": "X"}}, "updateOwner"),
        (ARCHIVE, {"input": {"id": oid, "version": 1}}, "archiveOwner"),
    ]
    for query, variables, name in attempts:
        payload = data(await gql(client, query, variables, token=viewer))[name]
        assert [e["code"] for e in payload["errors"]] == ["FORBIDDEN"], name
    assert data(await gql(client, NODE, {"id": oid}, token=viewer))["node"]["name"] == (
        "Ada Lovelace"
    )
    assert data(await gql(client, NODE, {"id": oid}, token=other))["node"] is None


async def test_client_owners_filters_and_order(
    client: httpx.AsyncClient, make_tenant: TenantFactory, make_token: TokenFactory
) -> None:
    token = await make_token(await make_tenant())
    cid = await new_client(client, token)
    await create(client, token, await new_client(client, token, "Other"), name="Zed")
    await create(client, token, cid, name="Bea", decisionAuthority="OPERATIONAL")
    await create(client, token, cid, name="Al", email="al@x.org")
    gone = (await create(client, token, cid, name="Cy"))["owner"]
    data(await gql(client, ARCHIVE, {"input": {"id": gone["id"], "version": 1}}, token=token))

    async def names(**variables: Any) -> list[str]:
        conn = data(await gql(client, CLIENT_OWNERS, {"id": cid, **variables}, token=token))[
            "node"
        ]["owners"]
        assert conn["totalCount"] == len(conn["edges"])
        return [e["node"]["name"] for e in conn["edges"]]

    assert await names() == ["Al", "Bea"]
    assert await names(filter={"includeArchived": True}) == ["Al", "Bea", "Cy"]
    assert await names(filter={"decisionAuthority": ["OPERATIONAL"]}) == ["Bea"]
    assert await names(filter={"search": "X.ORG"}) == ["Al"]
    assert await names(orderBy={"field": "NAME", "direction": "DESC"}) == ["Bea", "Al"]
    assert await names(orderBy={"field": "CREATED_AT"}) == ["Bea", "Al"]


async def test_total_hours_count_only_assignments_in_effect(
    client: httpx.AsyncClient, make_tenant: TenantFactory, make_token: TokenFactory
) -> None:
    token = await make_token(await make_tenant())
    cid = await new_client(client, token)
    oid = (await create(client, token, cid))["owner"]["id"]
    p1 = await new_process(client, token, cid, name="P1")
    p2 = await new_process(client, token, cid, name="P2")
    p3 = await new_process(client, token, cid, name="P3")
    assert (await assign(client, token, p1, oid, hoursPerWeek=6.5))["errors"] == []
    assert (await assign(client, token, p2, oid, raciRole="RESPONSIBLE", hoursPerWeek=2))[
        "errors"
    ] == []
    future = await assign(client, token, p3, oid, hoursPerWeek=9, startsOn="2999-01-01")
    assert future["errors"] == []
    node = data(await gql(client, NODE, {"id": oid}, token=token))["node"]
    assert node["totalHoursPerWeek"] == 8.5
    # archiving a process keeps its assignments, so they still count
    data(await gql(client, ARCHIVE_PROCESS, {"input": {"id": p1, "version": 1}}, token=token))
    node = data(await gql(client, NODE, {"id": oid}, token=token))["node"]
    assert node["totalHoursPerWeek"] == 8.5
