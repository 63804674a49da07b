"""`auditEvents(objectId)`: the trail of one object, newest first, scoped like the object."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncEngine

from schema.ids import global_id
from tests.conftest import TenantFactory, TokenFactory
from tests.schema.engagement_helpers import World, mutate, node, seed
from tests.support import data, gql

EVENTS = """
query($id: ID!, $first: Int, $after: String) {
  auditEvents(objectId: $id, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node { id actor actorKind action objectType objectId before after at } }
  }
}"""
CREATE_PLAN = """
mutation($input: CreateChangePlanInput!) {
  createChangePlan(input: $input) { changePlan { id } errors { field code } }
}"""
UPDATE_PLAN = """
mutation($input: UpdateChangePlanInput!) {
  updateChangePlan(input: $input) { changePlan { id version } errors { field code } }
}"""
RECORD_REVIEW = """
mutation($input: RecordProcessReviewInput!) {
  recordProcessReview(input: $input) { processReview { id } errors { field code } }
}"""


async def events(
    client: httpx.AsyncClient, token: str, id_: str, **variables: Any
) -> dict[str, Any]:
    body = data(await gql(client, EVENTS, {"id": id_, **variables}, token=token))
    result: dict[str, Any] = body["auditEvents"]
    return result


async def plan_with_history(client: httpx.AsyncClient, w: World) -> str:
    created = await mutate(
        client,
        w.token,
        CREATE_PLAN,
        "createChangePlan",
        clientOrganisationId=w.client,
        objective="Category managers own replenishment",
    )
    plan_id: str = created["changePlan"]["id"]
    for version, readiness in [(1, 30), (2, 60)]:
        result = await mutate(
            client,
            w.token,
            UPDATE_PLAN,
            "updateChangePlan",
            id=plan_id,
            version=version,
            readiness=readiness,
        )
        assert result["errors"] == []
    return plan_id


async def test_events_of_an_object_newest_first_with_before_and_after(
    client: httpx.AsyncClient,
    engine: AsyncEngine,
    make_tenant: TenantFactory,
    make_token: TokenFactory,
) -> None:
    w = await seed(engine, make_tenant, make_token)
    plan_id = await plan_with_history(client, w)
    found = await events(client, w.token, plan_id)
    assert found["totalCount"] == 3
    nodes = [e["node"] for e in found["edges"]]
    assert [n["action"] for n in nodes] == ["update", "update", "create"]
    assert {n["objectType"] for n in nodes} == {"ChangePlan"}
    assert {n["objectId"] for n in nodes} == {plan_id}
    assert {n["actorKind"] for n in nodes} == {"API_TOKEN"}
    assert all(n["actor"].startswith("api_token:") for n in nodes)
    newest = nodes[0]
    assert newest["before"]["readiness"] == 30 and newest["after"]["readiness"] == 60
    assert nodes[2]["before"] is None and nodes[2]["after"]["readiness"] == 0
    assert nodes[0]["at"] >= nodes[2]["at"]


async def test_events_paginate_with_cursors(
    client: httpx.AsyncClient,
    engine: AsyncEngine,
    make_tenant: TenantFactory,
    make_token: TokenFactory,
) -> None:
    w = await seed(engine, make_tenant, make_token)
    plan_id = await plan_with_history(client, w)
    page1 = await events(client, w.token, plan_id, first=2)
    assert page1["pageInfo"]["hasNextPage"] and len(page1["edges"]) == 2
    page2 = await events(client, w.token, plan_id, first=2, after=page1["pageInfo"]["endCursor"])
    assert [e["node"]["action"] for e in page2["edges"]] == ["create"]
    assert not page2["pageInfo"]["hasNextPage"]
    assert page2["totalCount"] == 3


async def test_a_write_to_a_process_is_reported_under_its_node_type(
    client: httpx.AsyncClient,
    engine: AsyncEngine,
    make_tenant: TenantFactory,
    make_token: TokenFactory,
) -> None:
    w = await seed(engine, make_tenant, make_token)
    result = await mutate(
        client,
        w.token,
        RECORD_REVIEW,
        "recordProcessReview",
        processId=w.processes[0],
        reviewedOn="2026-01-15",
        reviewer="Finance lead",
        summary="Error rate acceptable",
        outcome="ON_TRACK",
    )
    review_id = result["processReview"]["id"]
    process_events = await events(client, w.token, w.processes[0])
    newest = process_events["edges"][0]["node"]
    assert newest["action"] == "review" and newest["objectType"] == "AIProcess"
    assert newest["objectId"] == w.processes[0]
    assert newest["after"]["last_reviewed_at"].startswith("2026-01-15")
    review_events = await events(client, w.token, review_id)
    assert [e["node"]["action"] for e in review_events["edges"]] == ["record"]


async def test_unknown_foreign_and_invisible_objects_give_an_empty_connection(
    client: httpx.AsyncClient,
    engine: AsyncEngine,
    make_tenant: TenantFactory,
    make_token: TokenFactory,
) -> None:
    w = await seed(engine, make_tenant, make_token)
    plan_id = await plan_with_history(client, w)
    stranger = await seed(engine, make_tenant, make_token)
    other_client = await make_token(w.tenant, "client_viewer", w.other_client_id)
    own_client = await make_token(w.tenant, "client_viewer", w.client_id)
    empty = {"totalCount": 0, "pageInfo": {"hasNextPage": False, "endCursor": None}, "edges": []}
    for token, id_ in [
        (w.token, global_id("ChangePlan", uuid.uuid4())),
        (w.token, "not-an-id"),
        (w.token, global_id("NoSuchType", uuid.uuid4())),
        (stranger.token, plan_id),
        (other_client, plan_id),
    ]:
        assert await events(client, token, id_) == empty
    assert (await events(client, own_client, plan_id))["totalCount"] == 3


async def test_node_returns_an_audit_event_only_to_its_tenant(
    client: httpx.AsyncClient,
    engine: AsyncEngine,
    make_tenant: TenantFactory,
    make_token: TokenFactory,
) -> None:
    w = await seed(engine, make_tenant, make_token)
    plan_id = await plan_with_history(client, w)
    event_id = (await events(client, w.token, plan_id, first=1))["edges"][0]["node"]["id"]
    fields = "... on AuditEvent { action objectId }"
    assert await node(client, w.token, event_id, fields) == {
        "id": event_id,
        "action": "update",
        "objectId": plan_id,
    }
    stranger = await seed(engine, make_tenant, make_token)
    assert await node(client, stranger.token, event_id, fields) is None
    other_client = await make_token(w.tenant, "client_viewer", w.other_client_id)
    assert await node(client, other_client, event_id, fields) is None
