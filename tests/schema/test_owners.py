"""Owner over real HTTP: mutations, validation, conflicts, audit, filters, computed fields."""

from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncEngine

from tenants.registry import TenantRef
from tests.schema.support import (
    ARCHIVE_PROCESS,
    assert_forbidden,
    assign,
    audit_actions,
    errors_of,
    mutation,
    new_client,
    new_process,
    ok,
)
from tests.support import data, gql

OWNER_FIELDS = (
    "id version name email title businessUnit decisionAuthority archivedAt"
    " clientOrganisation { id }"
)
OWNER = f"owner {{ {OWNER_FIELDS} }}"
CREATE = mutation("createOwner", OWNER)
UPDATE = mutation("updateOwner", OWNER)
ARCHIVE = mutation("archiveOwner", OWNER)
END = mutation("endAssignment", "ownershipAssignment { id version }", errors="field code")
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
    fields = {"name": "Ada Lovelace", **fields}
    return await CREATE.send(client, token, clientOrganisationId=client_id, **fields)


async def test_create_update_archive_owner_with_audit(
    client: httpx.AsyncClient, engine: AsyncEngine, tenant: TenantRef, consultant: str
) -> None:
    cid = await new_client(client, consultant)
    created = await create(
        client,
        consultant,
        cid,
        email="ada@example.com",
        title="Head of ops",
        decisionAuthority="FULL",
    )
    owner = ok(created)
    assert owner["version"] == 1 and owner["decisionAuthority"] == "FULL"
    assert owner["clientOrganisation"]["id"] == cid
    updated = ok(
        await UPDATE.send(
            client, consultant, id=owner["id"], version=1, title=None, businessUnit="Claims"
        )
    )
    assert updated["title"] is None and updated["businessUnit"] == "Claims"
    assert updated["email"] == "ada@example.com"
    archived = ok(await ARCHIVE.send(client, consultant, id=owner["id"], version=2))
    assert archived["archivedAt"]
    assert await audit_actions(engine, tenant, "Owner") == ["create", "update", "archive"]


async def test_owner_validation_errors(
    client: httpx.AsyncClient, engine: AsyncEngine, tenant: TenantRef, token: str, stranger: str
) -> None:
    cid = await new_client(client, token)
    bad = await create(client, token, cid, name="", email="not-an-email", title="t" * 201)
    assert bad["owner"] is None
    assert errors_of(bad) == {"name": "VALIDATION", "email": "VALIDATION", "title": "VALIDATION"}
    pid = await new_process(client, token, cid)
    assert errors_of(await create(client, token, pid)) == {"clientOrganisationId": "VALIDATION"}
    other_client = await new_client(client, stranger)
    assert errors_of(await create(client, token, other_client)) == {
        "clientOrganisationId": "NOT_FOUND"
    }
    first = await create(client, token, cid, email="ada@example.com")
    assert first["errors"] == []
    taken = await create(client, token, cid, email="ADA@example.com")
    assert errors_of(taken) == {"email": "CONFLICT"}
    second = (await create(client, token, cid, name="Grace"))["owner"]
    clash = await UPDATE.send(client, token, id=second["id"], version=1, email="ada@example.com")
    assert errors_of(clash) == {"email": "CONFLICT"}
    nulls = await UPDATE.send(client, token, id=second["id"], version=1, decisionAuthority=None)
    assert errors_of(nulls) == {"decisionAuthority": "VALIDATION"}
    assert await audit_actions(engine, tenant, "Owner") == ["create", "create"]


async def test_stale_versions_and_archiving_an_owner_with_open_assignments(
    client: httpx.AsyncClient, token: str
) -> None:
    cid = await new_client(client, token)
    owner = (await create(client, token, cid))["owner"]
    renamed = {"id": owner["id"], "version": 1, "name": "Ada L."}
    assert (await UPDATE.send(client, token, **renamed))["errors"] == []
    stale = await UPDATE.send(client, token, **renamed)
    assert stale["owner"] is None and errors_of(stale) == {"version": "CONFLICT"}
    stale_archive = await ARCHIVE.send(client, token, id=owner["id"], version=1)
    assert errors_of(stale_archive) == {"version": "CONFLICT"}

    pid = await new_process(client, token, cid)
    assignment = (await assign(client, token, pid, owner["id"]))["ownershipAssignment"]
    blocked = await ARCHIVE.send(client, token, id=owner["id"], version=2)
    assert errors_of(blocked) == {"id": "VALIDATION"}
    await END.send(client, token, id=assignment["id"], version=1)
    done = await ARCHIVE.send(client, token, id=owner["id"], version=2)
    assert done["errors"] == []


async def test_viewer_may_not_write_owners_and_other_tenants_see_null(
    client: httpx.AsyncClient, token: str, viewer: str, stranger: str
) -> None:
    cid = await new_client(client, token)
    oid = (await create(client, token, cid))["owner"]["id"]
    await assert_forbidden(
        client,
        viewer,
        [
            (CREATE, {"clientOrganisationId": cid, "name": "X"}),
            (UPDATE, {"id": oid, "version": 1, "name": "X"}),
            (ARCHIVE, {"id": oid, "version": 1}),
        ],
    )
    assert data(await gql(client, NODE, {"id": oid}, token=viewer))["node"]["name"] == (
        "Ada Lovelace"
    )
    assert data(await gql(client, NODE, {"id": oid}, token=stranger))["node"] is None


async def test_client_owners_filters_and_order(client: httpx.AsyncClient, token: str) -> None:
    cid = await new_client(client, token)
    await create(client, token, await new_client(client, token, "Other"), name="Zed")
    await create(client, token, cid, name="Bea", decisionAuthority="OPERATIONAL")
    await create(client, token, cid, name="Al", email="al@x.org")
    gone = (await create(client, token, cid, name="Cy"))["owner"]
    await ARCHIVE.send(client, token, id=gone["id"], version=1)

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
    client: httpx.AsyncClient, token: str
) -> None:
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
    await ARCHIVE_PROCESS.send(client, token, id=p1, version=1)
    node = data(await gql(client, NODE, {"id": oid}, token=token))["node"]
    assert node["totalHoursPerWeek"] == 8.5
