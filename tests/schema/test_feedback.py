"""ProcessReview and Incident over real HTTP: feedback loops of a process."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncEngine

from schema.ids import global_id
from tenants.models import AIProcess
from tenants.session import tenant_session
from tests.conftest import TokenFactory
from tests.schema.support import (
    World,
    WorldFactory,
    assert_forbidden,
    assert_invalid,
    audit_rows,
    errors_of,
    mutation,
    node,
    ok,
    read,
)
from tests.support import count_statements, data, gql

REVIEW_FIELDS = """
  id reviewedOn reviewer summary outcome createdAt process { id }
  kpiSnapshot { name unit target direction latestValue measuredAt }
"""
RECORD = mutation("recordProcessReview", "processReview { " + REVIEW_FIELDS + " }")
INCIDENT_FIELDS = """
  id version title description severity status escalationLevel occurredAt resolvedAt
  process { id }
"""
REPORT = mutation("reportIncident", "incident { " + INCIDENT_FIELDS + " }")
UPDATE = mutation("updateIncident", "incident { " + INCIDENT_FIELDS + " }")
PROCESS_FEEDBACK = """
query($id: ID!, $filter: IncidentFilter, $first: Int, $after: String) {
  node(id: $id) { ... on AIProcess {
    reviews(first: $first, after: $after) {
      totalCount pageInfo { hasNextPage endCursor } edges { node { reviewedOn outcome } }
    }
    incidents(filter: $filter) { totalCount edges { node { title severity status } } }
  } }
}"""

TODAY = date.today()


def ago(**delta: float) -> str:
    return (datetime.now(UTC) - timedelta(**delta)).isoformat()


async def review(client: httpx.AsyncClient, w: World, **fields: Any) -> dict[str, Any]:
    return await RECORD.send(
        client,
        w.token,
        **{
            "processId": w.processes[0],
            "reviewedOn": str(TODAY - timedelta(days=1)),
            "reviewer": "Head of claims",
            "summary": "Straight-through rate below target; retraining requested.",
            "outcome": "NEEDS_IMPROVEMENT",
            **fields,
        },
    )


async def report(
    client: httpx.AsyncClient, w: World, token: str | None = None, **fields: Any
) -> dict[str, Any]:
    return await REPORT.send(
        client,
        token or w.token,
        **{
            "processId": w.processes[0],
            "title": "Wrong claim category",
            "severity": "HIGH",
            "occurredAt": ago(hours=3),
            **fields,
        },
    )


async def test_record_review_snapshots_kpis_and_moves_last_review(
    client: httpx.AsyncClient, engine: AsyncEngine, world: World
) -> None:
    r = ok(await review(client, world))
    assert r["outcome"] == "NEEDS_IMPROVEMENT" and r["process"]["id"] == world.processes[0]
    assert r["kpiSnapshot"] == [
        {
            "name": "Straight-through rate",
            "unit": "%",
            "target": 80.0,
            "direction": "HIGHER",
            "latestValue": 72.5,
            "measuredAt": None,
        }
    ]
    async with tenant_session(engine, world.tenant) as s:
        process = await s.get(AIProcess, world.process_ids[0])
        assert process is not None and process.last_reviewed_at is not None
        assert process.last_reviewed_at.date() == TODAY - timedelta(days=1)
    assert [a for a, _, _ in await audit_rows(engine, world.tenant, "ProcessReview")] == ["record"]
    assert [a for a, _, _ in await audit_rows(engine, world.tenant, "AIProcess")][-1] == "review"


UPDATE_PROCESS = mutation("updateAIProcess", "aiProcess { version name }", errors="field code")


async def test_a_review_leaves_the_process_version_so_an_open_edit_form_still_saves(
    client: httpx.AsyncClient, world: World
) -> None:
    fields = "... on AIProcess { version updatedAt lastReviewedAt }"
    seen = await node(client, world.token, world.processes[0], fields)
    assert (await review(client, world))["errors"] == []
    after = await node(client, world.token, world.processes[0], fields)
    assert after["lastReviewedAt"] is not None and after["lastReviewedAt"] != seen["lastReviewedAt"]
    assert (after["version"], after["updatedAt"]) == (seen["version"], seen["updatedAt"])
    # An older review does not move lastReviewedAt back, and still changes no version.
    older = await review(client, world, reviewedOn=str(TODAY - timedelta(days=30)))
    assert older["errors"] == []
    assert await node(client, world.token, world.processes[0], fields) == after
    edited = await UPDATE_PROCESS.send(
        client, world.token, id=world.processes[0], version=seen["version"], name="Claims v2"
    )
    assert ok(edited) == {"version": seen["version"] + 1, "name": "Claims v2"}


async def test_record_review_validation_errors(
    client: httpx.AsyncClient, engine: AsyncEngine, world: World
) -> None:
    bad = await review(
        client, world, reviewedOn=str(TODAY + timedelta(days=1)), reviewer=" ", summary=""
    )
    assert_invalid(bad, "reviewedOn", "reviewer", "summary")
    assert errors_of(await review(client, world, processId=world.client)) == {
        "processId": "VALIDATION"
    }
    unknown = global_id("AIProcess", uuid.uuid4())
    assert errors_of(await review(client, world, processId=unknown)) == {"processId": "NOT_FOUND"}
    assert await audit_rows(engine, world.tenant, "ProcessReview") == []


async def test_report_incident_and_its_validation(
    client: httpx.AsyncClient, engine: AsyncEngine, world: World
) -> None:
    i = ok(
        await report(client, world, escalationLevel=2, description="Flood claims marked as theft")
    )
    assert i["status"] == "OPEN" and i["escalationLevel"] == 2 and i["version"] == 1
    assert i["resolvedAt"] is None and i["process"]["id"] == world.processes[0]
    bad = await report(client, world, title="", occurredAt=ago(hours=-2), escalationLevel=3)
    assert_invalid(bad, "title", "occurredAt", "escalationLevel")
    assert errors_of(await report(client, world, description="d" * 5001)) == {
        "description": "VALIDATION"
    }
    assert errors_of(await report(client, world, occurredAt="2026-01-01T10:00:00")) == {
        "occurredAt": "VALIDATION"
    }
    unknown = global_id("AIProcess", uuid.uuid4())
    assert errors_of(await report(client, world, processId=unknown)) == {"processId": "NOT_FOUND"}
    assert [a for a, _, _ in await audit_rows(engine, world.tenant, "Incident")] == ["create"]


async def test_update_incident_resolves_reopens_and_conflicts(
    client: httpx.AsyncClient, engine: AsyncEngine, world: World
) -> None:
    i = (await report(client, world))["incident"]
    investigating = await UPDATE.send(
        client, world.token, id=i["id"], version=1, status="INVESTIGATING", escalationLevel=1
    )
    assert ok(investigating)["version"] == 2
    resolved = await UPDATE.send(client, world.token, id=i["id"], version=2, status="RESOLVED")
    assert ok(resolved)["resolvedAt"] is not None
    stale = await UPDATE.send(client, world.token, id=i["id"], version=2, title="Late")
    assert stale["incident"] is None
    assert stale["errors"][0]["code"] == "CONFLICT" and stale["errors"][0]["field"] == "version"
    reopened = await UPDATE.send(client, world.token, id=i["id"], version=3, status="OPEN")
    assert reopened["incident"]["resolvedAt"] is None
    rows = await audit_rows(engine, world.tenant, "Incident")
    assert [r[0] for r in rows] == ["create", "update", "update", "update"]
    assert rows[2][1] is not None and rows[2][1]["status"] == "INVESTIGATING"
    assert rows[2][2] is not None and rows[2][2]["status"] == "RESOLVED"


async def test_update_incident_validation_errors(
    client: httpx.AsyncClient, engine: AsyncEngine, world: World
) -> None:
    i = (await report(client, world, occurredAt=ago(hours=5)))["incident"]

    async def errors(**fields: Any) -> dict[str | None, str]:
        return errors_of(
            await UPDATE.send(client, world.token, **{"id": i["id"], "version": 1, **fields})
        )

    assert await errors(title=None) == {"title": "VALIDATION"}
    assert await errors(severity=None) == {"severity": "VALIDATION"}
    assert await errors(status=None) == {"status": "VALIDATION"}
    assert await errors(escalationLevel=5) == {"escalationLevel": "VALIDATION"}
    assert await errors(resolvedAt=ago(hours=1)) == {"resolvedAt": "VALIDATION"}
    assert await errors(status="RESOLVED", resolvedAt=ago(hours=6)) == {"resolvedAt": "VALIDATION"}
    assert await errors(status="CLOSED", resolvedAt=ago(hours=-1)) == {"resolvedAt": "VALIDATION"}
    assert await errors(id=world.processes[0]) == {"id": "VALIDATION"}
    unknown = global_id("Incident", uuid.uuid4())
    missing = await UPDATE.send(client, world.token, id=unknown, version=1, title="x")
    assert errors_of(missing) == {"id": "NOT_FOUND"}
    assert [r[0] for r in await audit_rows(engine, world.tenant, "Incident")] == ["create"]


async def test_viewers_and_unassigned_client_owners_cannot_write_feedback(
    client: httpx.AsyncClient, engine: AsyncEngine, make_token: TokenFactory, world: World
) -> None:
    i = (await report(client, world))["incident"]
    tokens = [
        await make_token(world.tenant, "viewer"),
        await make_token(world.tenant, "client_viewer", world.client_id),
        # a client owner who is not assigned to the process (a token is never assigned)
        await make_token(world.tenant, "client_owner", world.client_id),
    ]
    pid = world.processes[0]
    for token in tokens:
        reviewed = {
            "reviewedOn": str(TODAY),
            "reviewer": "x",
            "summary": "y",
            "outcome": "ON_TRACK",
        }
        incident = {"title": "x", "severity": "LOW", "occurredAt": ago(minutes=5)}
        await assert_forbidden(
            client,
            token,
            [
                (RECORD, {"processId": pid, **reviewed}),
                (REPORT, {"processId": pid, **incident}),
                (UPDATE, {"id": i["id"], "version": 1, "title": "y"}),
            ],
        )
    assert await audit_rows(engine, world.tenant, "ProcessReview") == []
    assert [r[0] for r in await audit_rows(engine, world.tenant, "Incident")] == ["create"]


async def test_node_returns_reviews_and_incidents_only_to_their_tenant_and_client(
    client: httpx.AsyncClient, make_token: TokenFactory, world: World, make_world: WorldFactory
) -> None:
    r = (await review(client, world))["processReview"]
    i = (await report(client, world))["incident"]
    stranger = await make_world()
    other_client = await make_token(world.tenant, "client_viewer", world.other_client_id)
    own_client = await make_token(world.tenant, "client_viewer", world.client_id)
    for id_, fields in [
        (r["id"], "... on ProcessReview { reviewer }"),
        (i["id"], "... on Incident { title }"),
    ]:
        assert (await node(client, world.token, id_, fields))["id"] == id_
        assert (await node(client, own_client, id_, fields))["id"] == id_
        assert await node(client, stranger.token, id_, fields) is None
        assert await node(client, other_client, id_, fields) is None


async def test_process_reviews_newest_first_and_incident_filters(
    client: httpx.AsyncClient, world: World
) -> None:
    for days, outcome in [(30, "OFF_TRACK"), (2, "ON_TRACK"), (10, "NEEDS_IMPROVEMENT")]:
        await review(client, world, reviewedOn=str(TODAY - timedelta(days=days)), outcome=outcome)
    await report(client, world, title="Oldest", severity="LOW", occurredAt=ago(days=3))
    await report(client, world, title="Newest", severity="CRITICAL", occurredAt=ago(hours=1))
    middle = (await report(client, world, title="Middle", severity="HIGH", occurredAt=ago(days=1)))[
        "incident"
    ]
    await UPDATE.send(client, world.token, id=middle["id"], version=1, status="RESOLVED")
    await report(client, world, processId=world.processes[1], title="Elsewhere")

    async def feedback(**variables: Any) -> dict[str, Any]:
        pid = world.processes[0]
        return await read(client, world.token, PROCESS_FEEDBACK, "node", id=pid, **variables)

    p = await feedback()
    assert [e["node"]["outcome"] for e in p["reviews"]["edges"]] == [
        "ON_TRACK",
        "NEEDS_IMPROVEMENT",
        "OFF_TRACK",
    ]
    assert [e["node"]["title"] for e in p["incidents"]["edges"]] == ["Newest", "Middle", "Oldest"]
    assert p["incidents"]["totalCount"] == 3

    async def titles(filter: dict[str, Any]) -> list[str]:
        return [e["node"]["title"] for e in (await feedback(filter=filter))["incidents"]["edges"]]

    assert await titles({"status": ["OPEN"]}) == ["Newest", "Oldest"]
    assert await titles({"severity": ["HIGH", "CRITICAL"]}) == ["Newest", "Middle"]
    assert await titles({"status": ["OPEN"], "severity": ["LOW"]}) == ["Oldest"]

    page1 = (await feedback(first=2))["reviews"]
    assert page1["totalCount"] == 3 and page1["pageInfo"]["hasNextPage"]
    page2 = (await feedback(first=2, after=page1["pageInfo"]["endCursor"]))["reviews"]
    assert [e["node"]["outcome"] for e in page2["edges"]] == ["OFF_TRACK"]


NESTED = """
query($id: ID!) {
  node(id: $id) { ... on ClientOrganisation {
    processes(first: 50) { edges { node {
      reviews(first: 3) { totalCount edges { node { outcome process { name } } } }
      incidents(first: 3, filter: {status: [OPEN]}) {
        totalCount edges { node { title process { name } } }
      }
    } } }
  } }
}"""


async def test_nested_feedback_issues_the_same_statements_for_few_and_many_rows(
    client: httpx.AsyncClient, make_world: WorldFactory
) -> None:
    async def statements(per_process: int) -> int:
        w = await make_world()
        for pid in w.processes:
            for n in range(per_process):
                await review(client, w, processId=pid, reviewedOn=str(TODAY - timedelta(n)))
                await report(client, w, processId=pid, title=f"I{n}")
        with count_statements() as counter:
            data(await gql(client, NESTED, {"id": w.client}, token=w.token))
        return counter.count

    assert await statements(1) == await statements(5)
