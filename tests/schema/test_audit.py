"""The audit trail: diffs of API fields, actors by kind and label, and the activity feed."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from schema import build_schema
from schema.ids import global_id, parse_global_id
from tenants.models import AuditEvent, ChangePlan
from tenants.services.audit_shape import shape_of
from tenants.session import tenant_session
from tests.conftest import TokenFactory
from tests.schema.support import World, WorldFactory, mutation, node
from tests.support import data, gql

EVENT = """id action objectType objectId at
  actor { kind label id }
  changes { field before after }
  clientOrganisation { id }"""
FEED = f"""
query($filter: AuditEventFilter, $first: Int, $after: String) {{
  auditEvents(filter: $filter, first: $first, after: $after) {{
    totalCount
    pageInfo {{ hasNextPage endCursor }}
    edges {{ node {{ {EVENT} }} }}
  }}
}}"""
CLIENT_FEED = f"""
query($id: ID!, $filter: AuditEventFilter) {{
  node(id: $id) {{
    ... on ClientOrganisation {{
      auditEvents(filter: $filter, first: 100) {{ totalCount edges {{ node {{ {EVENT} }} }} }}
    }}
  }}
}}"""
CREATE_PLAN = mutation("createChangePlan", "changePlan { id version }", errors="field code")
UPDATE_PLAN = mutation("updateChangePlan", "changePlan { id version }", errors="field code")
RECORD_REVIEW = mutation("recordProcessReview", "processReview { id }", errors="field code")
CREATE_TOKEN = mutation("createApiToken", "apiToken { id }", errors="field code")
GRAPHQL = build_schema()._schema


async def feed(
    client: httpx.AsyncClient, token: str, first: int = 100, after: str | None = None, **f: Any
) -> dict[str, Any]:
    variables = {"filter": f or None, "first": first, "after": after}
    result: dict[str, Any] = data(await gql(client, FEED, variables, token=token))["auditEvents"]
    return result


def nodes(connection: dict[str, Any]) -> list[dict[str, Any]]:
    return [e["node"] for e in connection["edges"]]


async def plan_with_history(client: httpx.AsyncClient, w: World) -> str:
    created = await CREATE_PLAN.send(
        client,
        w.token,
        clientOrganisationId=w.client,
        objective="Category managers own replenishment",
    )
    plan_id: str = created["changePlan"]["id"]
    for version, readiness in [(1, 30), (2, 60)]:
        result = await UPDATE_PLAN.send(
            client, w.token, id=plan_id, version=version, readiness=readiness
        )
        assert result["errors"] == []
    return plan_id


async def test_an_update_records_only_the_api_fields_it_changed(
    client: httpx.AsyncClient, world: World
) -> None:
    plan_id = await plan_with_history(client, world)
    found = nodes(await feed(client, world.token, objectId=plan_id))
    assert [n["action"] for n in found] == ["UPDATE", "UPDATE", "CREATE"]
    assert {(n["objectType"], n["objectId"]) for n in found} == {("CHANGE_PLAN", plan_id)}
    assert found[0]["changes"] == [{"field": "readiness", "before": 30, "after": 60}]
    assert found[1]["changes"] == [{"field": "readiness", "before": 0, "after": 30}]
    assert {n["clientOrganisation"]["id"] for n in found} == {world.client}
    assert found[0]["at"] >= found[2]["at"]


async def test_a_create_lists_the_fields_it_set_by_api_name_with_global_ids(
    client: httpx.AsyncClient, world: World
) -> None:
    plan_id = await plan_with_history(client, world)
    created = nodes(await feed(client, world.token, objectId=plan_id))[-1]
    changes = {c["field"]: c for c in created["changes"]}
    assert all(c["before"] is None and c["after"] is not None for c in changes.values())
    assert changes["objective"]["after"] == "Category managers own replenishment"
    assert changes["status"]["after"] == "DRAFT"  # the enum as the API names it
    # The client link is named as the ChangePlan type names it (whatever the rename),
    # and holds the client's global id, not a raw uuid.
    link = [f for f, c in changes.items() if c["after"] == world.client]
    api_fields = set(GRAPHQL.type_map["ChangePlan"].fields)  # type: ignore[attr-defined]
    assert len(link) == 1 and link[0] in api_fields
    assert not {"version", "createdAt", "updatedAt", "id"} & set(changes)
    assert set(changes) <= api_fields
    assert not [c for c in changes.values() if _is_uuid(c["after"])]  # ids are global ids


def _is_uuid(value: Any) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


def test_each_audited_field_is_a_field_of_the_node_type() -> None:
    """The mapping comes from the types: every name it uses is one the API has."""
    from schema.node import NODE_KINDS

    for name, kind in NODE_KINDS.items():
        shape = shape_of(kind.model)
        assert shape is not None and shape.node_name == name
        gtype: Any = GRAPHQL.type_map[name]
        for field in shape.fields.values():
            assert field.name.split(".")[0] in gtype.fields, (name, field)


def test_the_mapping_follows_a_rename_of_the_api_field() -> None:
    """A field renamed in the type (or its link to the client) is renamed in the trail."""
    import strawberry

    from schema.audit.shape import api_fields
    from schema.compiled.sql import sql, to_one
    from tenants import models as m
    from tenants.services.audit_shape import ApiField

    @strawberry.type
    class Renamed:
        name: str = strawberry.field(name="title")
        risk_tier: str
        orphaned: bool = strawberry.field(metadata={})  # no column of that name: not audited

        @strawberry.field(metadata=sql(to_one(m.ClientOrganisation, "client_id")))
        def client_organisation(self) -> str:
            return ""

    assert api_fields(Renamed, m.AIProcess) == [
        ApiField("name", "title"),
        ApiField("risk_tier", "riskTier"),
        ApiField("client_id", "clientOrganisation", m.ClientOrganisation),
    ]


def test_the_api_enums_are_the_stored_sets() -> None:
    from schema.audit import types
    from tenants import models as m

    for api, stored in [
        (types.AuditAction, m.AuditAction),
        (types.AuditActorKind, m.AuditActorKind),
    ]:
        assert [(a.name, a.value) for a in api] == [(s.name, s.value) for s in stored]


def test_every_audited_model_has_an_object_type() -> None:
    from schema.audit.types import AuditObjectType
    from tenants.services.audit_shape import shaped_models

    # Records of what happened, never edited through the trail: deliveries, browser sessions
    # and sign-in attempts (ending a session is an event on its Member).
    records = {"AuditEvent", "WebhookDelivery", "BrowserSession", "SignInAttempt"}
    audited = {model.__name__ for model in shaped_models()} - records
    assert audited <= {t.value for t in AuditObjectType}


async def test_the_actor_is_named_by_kind_label_and_global_id(
    client: httpx.AsyncClient, world: World
) -> None:
    plan_id = await plan_with_history(client, world)
    found = nodes(await feed(client, world.token, objectId=plan_id))
    actors = {(n["actor"]["kind"], n["actor"]["label"], n["actor"]["id"]) for n in found}
    assert len(actors) == 1
    kind, label, actor_id = actors.pop()
    assert kind == "API_TOKEN" and label == "test consultant"
    parsed = parse_global_id(actor_id)
    assert parsed is not None and parsed[0] == "ApiToken"
    by_actor = await feed(client, world.token, actorId=actor_id)
    assert [n["id"] for n in nodes(by_actor)] == [n["id"] for n in found]
    seeded = nodes(await feed(client, world.token, actorKinds=["SYSTEM"]))
    assert seeded and {n["actor"]["label"] for n in seeded} == {"Steward"}
    assert {n["actor"]["id"] for n in seeded} == {None}
    for other in [global_id("Member", parsed[1]), "not-an-id", global_id("ApiToken", uuid.uuid4())]:
        assert (await feed(client, world.token, actorId=other))["totalCount"] == 0


async def test_an_update_that_changes_nothing_records_no_event_and_keeps_the_version(
    client: httpx.AsyncClient, engine: AsyncEngine, world: World
) -> None:
    plan_id = await plan_with_history(client, world)
    same = await UPDATE_PLAN.send(client, world.token, id=plan_id, version=3, readiness=60)
    assert same["errors"] == [] and same["changePlan"]["version"] == 3
    assert (await feed(client, world.token, objectId=plan_id))["totalCount"] == 3
    async with tenant_session(engine, world.tenant) as s:
        plan = await s.get(ChangePlan, uuid.UUID(str(parse_global_id(plan_id)[1])))  # type: ignore[index]
        assert plan is not None and plan.version == 3
        count = await s.scalar(select(func.count()).select_from(AuditEvent))
    changed = await UPDATE_PLAN.send(client, world.token, id=plan_id, version=3, readiness=61)
    assert changed["changePlan"]["version"] == 4
    async with tenant_session(engine, world.tenant) as s:
        assert await s.scalar(select(func.count()).select_from(AuditEvent)) == (count or 0) + 1


async def test_events_paginate_with_cursors(client: httpx.AsyncClient, world: World) -> None:
    plan_id = await plan_with_history(client, world)
    page1 = await feed(client, world.token, first=2, objectId=plan_id)
    assert page1["pageInfo"]["hasNextPage"] and len(page1["edges"]) == 2
    cursor = page1["pageInfo"]["endCursor"]
    page2 = await feed(client, world.token, first=2, after=cursor, objectId=plan_id)
    assert [n["action"] for n in nodes(page2)] == ["CREATE"]
    assert not page2["pageInfo"]["hasNextPage"] and page2["totalCount"] == 3


async def test_a_review_moving_the_process_is_an_event_of_the_process(
    client: httpx.AsyncClient, world: World
) -> None:
    result = await RECORD_REVIEW.send(
        client, world.token, processId=world.processes[0],
        reviewedOn="2026-01-15", reviewer="Finance lead", summary="Error rate acceptable",
        outcome="ON_TRACK",
    )  # fmt: skip
    review_id = result["processReview"]["id"]
    newest = nodes(await feed(client, world.token, objectId=world.processes[0]))[0]
    assert newest["action"] == "REVIEW" and newest["objectType"] == "AI_PROCESS"
    assert [c["field"] for c in newest["changes"]] == ["lastReviewedAt"]
    assert newest["changes"][0]["after"].startswith("2026-01-15")
    reviews = nodes(await feed(client, world.token, objectId=review_id))
    assert [n["action"] for n in reviews] == ["RECORD"]
    process_change = {c["field"]: c["after"] for c in reviews[0]["changes"]}
    assert world.processes[0] in process_change.values()


async def test_the_feed_filters_by_client_object_type_and_time(
    client: httpx.AsyncClient, world: World
) -> None:
    plan_id = await plan_with_history(client, world)
    everything = nodes(await feed(client, world.token))
    seqs = [n["at"] for n in everything]
    assert seqs == sorted(seqs, reverse=True)
    mine = nodes(await feed(client, world.token, clientOrganisationId=world.client))
    assert mine and {n["clientOrganisation"]["id"] for n in mine} == {world.client}
    theirs = nodes(await feed(client, world.token, clientOrganisationId=world.other_client))
    assert {n["objectId"] for n in theirs} == {world.other_client, world.other_process}
    plans = nodes(await feed(client, world.token, objectTypes=["CHANGE_PLAN", "MILESTONE"]))
    assert {n["objectId"] for n in plans} == {plan_id}
    updates = nodes(await feed(client, world.token, actions=["UPDATE", "ARCHIVE"]))
    assert [n["objectId"] for n in updates] == [plan_id, plan_id]
    processes = await feed(
        client, world.token, objectTypes=["AI_PROCESS"], clientOrganisationId=world.client
    )
    assert {n["objectId"] for n in nodes(processes)} == set(world.processes)
    newest = everything[0]["at"]
    assert (await feed(client, world.token, since=newest))["totalCount"] >= 1
    assert (await feed(client, world.token, until=everything[-1]["at"]))["totalCount"] == 0
    assert (await feed(client, world.token, since="2000-01-01T00:00:00+00:00"))[
        "totalCount"
    ] == len(everything)
    assert (await feed(client, world.token, clientOrganisationId=world.processes[0]))[
        "totalCount"
    ] == 0


async def test_a_clients_feed_is_the_root_feed_narrowed_to_it(
    client: httpx.AsyncClient, world: World
) -> None:
    await plan_with_history(client, world)
    for client_id in (world.client, world.other_client):
        body = data(await gql(client, CLIENT_FEED, {"id": client_id}, token=world.token))
        nested = body["node"]["auditEvents"]
        root = await feed(client, world.token, clientOrganisationId=client_id)
        assert nested["totalCount"] == root["totalCount"] > 0
        assert nodes(nested) == nodes(root)
    narrowed = data(
        await gql(
            client,
            CLIENT_FEED,
            {"id": world.client, "filter": {"objectTypes": ["CHANGE_PLAN"]}},
            token=world.token,
        )
    )
    assert narrowed["node"]["auditEvents"]["totalCount"] == 3


async def test_client_members_see_only_their_organisations_events(
    client: httpx.AsyncClient, make_token: TokenFactory, world: World
) -> None:
    plan_id = await plan_with_history(client, world)
    own = await make_token(world.tenant, "client_viewer", world.client_id)
    other = await make_token(world.tenant, "client_viewer", world.other_client_id)
    seen = nodes(await feed(client, own))
    assert seen and {n["clientOrganisation"]["id"] for n in seen} == {world.client}
    assert plan_id in {n["objectId"] for n in seen}
    theirs = nodes(await feed(client, other))
    assert theirs and {n["clientOrganisation"]["id"] for n in theirs} == {world.other_client}
    assert (await feed(client, other, clientOrganisationId=world.client))["totalCount"] == 0
    assert (await feed(client, other, objectId=plan_id))["totalCount"] == 0
    foreign = data(await gql(client, CLIENT_FEED, {"id": world.client}, token=other))
    assert foreign == {"node": None}


async def test_administration_events_are_for_admins_only(
    client: httpx.AsyncClient, make_token: TokenFactory, world: World
) -> None:
    admin = await make_token(world.tenant, "admin")
    created = await CREATE_TOKEN.send(client, admin, name="CI export", role="VIEWER")
    token_id = created["apiToken"]["id"]
    events = nodes(await feed(client, admin, objectTypes=["API_TOKEN"]))
    assert [(n["action"], n["objectId"]) for n in events] == [("CREATE", token_id)]
    fields = {c["field"]: c["after"] for c in events[0]["changes"]}
    assert fields["name"] == "CI export" and fields["role"] == "VIEWER"
    assert events[0]["actor"]["label"] == "test admin"
    for token in (world.token, await make_token(world.tenant, "viewer")):
        assert (await feed(client, token, objectTypes=["API_TOKEN"]))["totalCount"] == 0
        assert (await feed(client, token, objectId=token_id))["totalCount"] == 0


async def test_unknown_foreign_and_invisible_objects_give_an_empty_connection(
    client: httpx.AsyncClient, make_token: TokenFactory, world: World, make_world: WorldFactory
) -> None:
    plan_id = await plan_with_history(client, world)
    stranger = await make_world()
    other_client = await make_token(world.tenant, "client_viewer", world.other_client_id)
    empty = {"totalCount": 0, "pageInfo": {"hasNextPage": False, "endCursor": None}, "edges": []}
    for token, id_ in [
        (world.token, global_id("ChangePlan", uuid.uuid4())),
        (world.token, "not-an-id"),
        (world.token, global_id("NoSuchType", uuid.uuid4())),
        (stranger.token, plan_id),
        (other_client, plan_id),
    ]:
        assert await feed(client, token, objectId=id_) == empty
    assert (await feed(client, stranger.token, clientOrganisationId=world.client)) == empty


async def test_node_returns_an_audit_event_only_to_its_tenant(
    client: httpx.AsyncClient, make_token: TokenFactory, world: World, make_world: WorldFactory
) -> None:
    plan_id = await plan_with_history(client, world)
    event_id = nodes(await feed(client, world.token, first=1, objectId=plan_id))[0]["id"]
    fields = "... on AuditEvent { action objectId }"
    assert await node(client, world.token, event_id, fields) == {
        "id": event_id,
        "action": "UPDATE",
        "objectId": plan_id,
    }
    stranger = await make_world()
    assert await node(client, stranger.token, event_id, fields) is None
    other_client = await make_token(world.tenant, "client_viewer", world.other_client_id)
    assert await node(client, other_client, event_id, fields) is None
