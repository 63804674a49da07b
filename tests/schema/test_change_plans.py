"""ChangePlan and Milestone over real HTTP: mutations, validation, conflicts, audit, reads."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncEngine

from schema.ids import global_id
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
from tests.support import count_statements

PLAN_FIELDS = """
  id version objective communicationPlan readiness status dueOn
  stakeholders { name role impact }
  process { id name }
  clientOrganisation { id name }
"""
CREATE_PLAN = mutation("createChangePlan", "changePlan { " + PLAN_FIELDS + " }")
UPDATE_PLAN = mutation("updateChangePlan", "changePlan { " + PLAN_FIELDS + " }")
MILESTONE_FIELDS = "id version title dueOn completedOn status position overdue plan { id }"
ADD_MILESTONE = mutation("addMilestone", "milestone { " + MILESTONE_FIELDS + " }")
UPDATE_MILESTONE = mutation("updateMilestone", "milestone { " + MILESTONE_FIELDS + " }")
CLIENT_PLANS = """
query($id: ID!, $first: Int, $after: String, $filter: ChangePlanFilter) {
  node(id: $id) { ... on ClientOrganisation {
    changePlans(first: $first, after: $after, filter: $filter) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { node {
        objective status process { name }
        milestones(first: 10) { totalCount edges { node { title position } } }
        overdueMilestones { title }
      } }
    }
  } }
}"""

TODAY = date.today()


async def create_plan(client: httpx.AsyncClient, w: World, **fields: Any) -> dict[str, Any]:
    fields = {"clientOrganisationId": w.client, "objective": "Claims team owns triage", **fields}
    return await CREATE_PLAN.send(client, w.token, **fields)


async def add_milestone(
    client: httpx.AsyncClient, w: World, plan_id: str, **fields: Any
) -> dict[str, Any]:
    return await ADD_MILESTONE.send(client, w.token, **{"planId": plan_id, **fields})


async def client_plans(client: httpx.AsyncClient, w: World, **variables: Any) -> dict[str, Any]:
    """The World's client's changePlans connection, read with `variables`."""
    plans: dict[str, Any] = await read(
        client, w.token, CLIENT_PLANS, "node.changePlans", id=w.client, **variables
    )
    return plans


async def test_create_change_plan_with_stakeholders_and_process(
    client: httpx.AsyncClient, engine: AsyncEngine, world: World
) -> None:
    result = await create_plan(
        client,
        world,
        processId=world.processes[0],
        stakeholders=[
            {"name": "Head of claims", "role": "Sponsor", "impact": "Signs off"},
            {"name": "Claims handlers"},
        ],
        communicationPlan="Weekly stand-up",
        readiness=40,
        status="ACTIVE",
        dueOn=str(TODAY + timedelta(days=90)),
    )
    plan = ok(result)
    assert plan["version"] == 1 and plan["readiness"] == 40 and plan["status"] == "ACTIVE"
    assert plan["stakeholders"] == [
        {"name": "Head of claims", "role": "Sponsor", "impact": "Signs off"},
        {"name": "Claims handlers", "role": None, "impact": None},
    ]
    assert plan["process"] == {"id": world.processes[0], "name": "Claims triage"}
    assert plan["clientOrganisation"]["name"] == "Northwind Insurance"
    rows = await audit_rows(engine, world.tenant, "ChangePlan")
    assert [r[0] for r in rows] == ["create"]
    assert rows[0][1] is None and rows[0][2] is not None
    assert rows[0][2]["readiness"] == 40


async def test_create_defaults_to_a_draft_client_wide_plan(
    client: httpx.AsyncClient, world: World
) -> None:
    plan = (await create_plan(client, world))["changePlan"]
    assert plan["status"] == "DRAFT" and plan["readiness"] == 0
    assert plan["process"] is None and plan["stakeholders"] == []


async def test_create_validation_errors_name_each_field_and_write_nothing(
    client: httpx.AsyncClient, engine: AsyncEngine, world: World
) -> None:
    result = await create_plan(
        client,
        world,
        objective="   ",
        readiness=101,
        processId=world.other_process,
        stakeholders=[{"name": ""}, {"name": "ok", "role": "x" * 201}],
    )
    assert_invalid(
        result,
        "objective",
        "readiness",
        "processId",
        "stakeholders[0].name",
        "stakeholders[1].role",
    )
    assert await audit_rows(engine, world.tenant, "ChangePlan") == []


async def test_create_refuses_bad_and_unknown_ids(
    client: httpx.AsyncClient, world: World, make_world: WorldFactory
) -> None:
    wrong_type = await create_plan(client, world, clientOrganisationId=world.processes[0])
    assert errors_of(wrong_type) == {"clientOrganisationId": "VALIDATION"}
    other = await make_world()
    unknown = await create_plan(client, world, clientOrganisationId=other.client)
    assert errors_of(unknown) == {"clientOrganisationId": "NOT_FOUND"}
    bad_process = await create_plan(client, world, processId=world.client)
    assert errors_of(bad_process) == {"processId": "VALIDATION"}


async def test_update_change_plan_and_its_conflict(
    client: httpx.AsyncClient, engine: AsyncEngine, world: World
) -> None:
    plan = (await create_plan(client, world, processId=world.processes[0]))["changePlan"]
    updated = await UPDATE_PLAN.send(
        client,
        world.token,
        id=plan["id"],
        version=1,
        readiness=75,
        status="ACTIVE",
        processId=None,
        stakeholders=[{"name": "CFO", "role": "Sponsor"}],
    )
    after = ok(updated)
    assert after["version"] == 2 and after["readiness"] == 75 and after["process"] is None
    assert after["objective"] == plan["objective"]
    assert after["stakeholders"] == [{"name": "CFO", "role": "Sponsor", "impact": None}]
    stale = await UPDATE_PLAN.send(client, world.token, id=plan["id"], version=1, readiness=1)
    assert stale["changePlan"] is None
    assert stale["errors"][0]["code"] == "CONFLICT" and stale["errors"][0]["field"] == "version"
    rows = await audit_rows(engine, world.tenant, "ChangePlan")
    assert [r[0] for r in rows] == ["create", "update"]
    assert rows[1][1] is not None and rows[1][1]["readiness"] == 0
    assert rows[1][2] is not None and rows[1][2]["readiness"] == 75


async def test_update_change_plan_validation(
    client: httpx.AsyncClient, engine: AsyncEngine, world: World
) -> None:
    plan = (await create_plan(client, world))["changePlan"]

    async def update(**fields: Any) -> dict[str, Any]:
        return await UPDATE_PLAN.send(
            client, world.token, **{"id": plan["id"], "version": 1, **fields}
        )

    assert errors_of(await update(objective=None)) == {"objective": "VALIDATION"}
    assert errors_of(await update(readiness=-1)) == {"readiness": "VALIDATION"}
    assert errors_of(await update(processId=world.other_process)) == {"processId": "VALIDATION"}
    assert errors_of(await update(stakeholders=[{"name": " "}])) == {
        "stakeholders[0].name": "VALIDATION"
    }
    assert errors_of(await update(id=world.client)) == {"id": "VALIDATION"}
    missing = await UPDATE_PLAN.send(
        client, world.token, id=global_id("ChangePlan", uuid.uuid4()), version=1
    )
    assert errors_of(missing) == {"id": "NOT_FOUND"}
    assert [r[0] for r in await audit_rows(engine, world.tenant, "ChangePlan")] == ["create"]


async def test_milestones_add_update_complete_and_conflict(
    client: httpx.AsyncClient, engine: AsyncEngine, world: World
) -> None:
    plan = (await create_plan(client, world))["changePlan"]
    first = await add_milestone(client, world, plan["id"], title="Kick-off", dueOn=str(TODAY))
    second = await add_milestone(client, world, plan["id"], title="Training")
    assert first["errors"] == [] and second["errors"] == []
    assert first["milestone"]["position"] == 0 and second["milestone"]["position"] == 1
    assert (
        first["milestone"]["status"] == "PLANNED" and first["milestone"]["plan"]["id"] == plan["id"]
    )
    milestone_id = first["milestone"]["id"]
    done = ok(
        await UPDATE_MILESTONE.send(
            client, world.token, id=milestone_id, version=1, status="COMPLETED"
        )
    )
    assert done["completedOn"] == str(TODAY) and done["version"] == 2
    stale = await UPDATE_MILESTONE.send(
        client, world.token, id=milestone_id, version=1, title="Late edit"
    )
    assert stale["errors"][0]["code"] == "CONFLICT" and stale["errors"][0]["field"] == "version"
    rows = await audit_rows(engine, world.tenant, "Milestone")
    assert [r[0] for r in rows] == ["create", "create", "update"]


async def test_milestone_validation_errors(
    client: httpx.AsyncClient, engine: AsyncEngine, world: World
) -> None:
    plan = (await create_plan(client, world))["changePlan"]
    bad = await add_milestone(
        client,
        world,
        plan["id"],
        title="",
        status="COMPLETED",
        completedOn=str(TODAY + timedelta(days=3)),
        position=-1,
    )
    assert_invalid(bad, "title", "completedOn", "position")
    not_done = await add_milestone(client, world, plan["id"], title="x", completedOn=str(TODAY))
    assert errors_of(not_done) == {"completedOn": "VALIDATION"}
    wrong_plan = await add_milestone(client, world, world.client, title="x")
    assert errors_of(wrong_plan) == {"planId": "VALIDATION"}
    pilot = (await add_milestone(client, world, plan["id"], title="Pilot"))["milestone"]

    async def update(**fields: Any) -> dict[str, Any]:
        return await UPDATE_MILESTONE.send(client, world.token, id=pilot["id"], version=1, **fields)

    assert errors_of(await update(title=None)) == {"title": "VALIDATION"}
    assert errors_of(await update(status=None)) == {"status": "VALIDATION"}
    assert errors_of(await update(completedOn=str(TODAY))) == {"completedOn": "VALIDATION"}
    assert errors_of(await update(position=10_001)) == {"position": "VALIDATION"}
    assert [r[0] for r in await audit_rows(engine, world.tenant, "Milestone")] == ["create"]


async def test_viewer_cannot_run_change_plan_mutations(
    client: httpx.AsyncClient, engine: AsyncEngine, make_token: TokenFactory, world: World
) -> None:
    plan = (await create_plan(client, world))["changePlan"]
    milestone = (await add_milestone(client, world, plan["id"], title="Kick-off"))["milestone"]
    viewer = await make_token(world.tenant, "viewer")
    await assert_forbidden(
        client,
        viewer,
        [
            (CREATE_PLAN, {"clientOrganisationId": world.client, "objective": "x"}),
            (UPDATE_PLAN, {"id": plan["id"], "version": 1, "readiness": 5}),
            (ADD_MILESTONE, {"planId": plan["id"], "title": "x"}),
            (UPDATE_MILESTONE, {"id": milestone["id"], "version": 1, "title": "y"}),
        ],
    )
    assert [r[0] for r in await audit_rows(engine, world.tenant, "ChangePlan")] == ["create"]


async def test_node_returns_plans_and_milestones_only_to_their_tenant(
    client: httpx.AsyncClient, make_token: TokenFactory, world: World, make_world: WorldFactory
) -> None:
    plan = (await create_plan(client, world))["changePlan"]
    milestone = (await add_milestone(client, world, plan["id"], title="Kick-off"))["milestone"]
    stranger = await make_world()
    for id_, fields in [
        (plan["id"], "... on ChangePlan { objective }"),
        (milestone["id"], "... on Milestone { title }"),
    ]:
        assert (await node(client, world.token, id_, fields))["id"] == id_
        assert await node(client, stranger.token, id_, fields) is None
    # a client principal of another client organisation of the same tenant does not see it
    other_client = await make_token(world.tenant, "client_viewer", world.other_client_id)
    assert await node(client, other_client, plan["id"], "") is None
    own_client = await make_token(world.tenant, "client_viewer", world.client_id)
    assert (await node(client, own_client, milestone["id"], ""))["id"] == milestone["id"]


async def test_client_change_plans_filter_pagination_and_overdue_milestones(
    client: httpx.AsyncClient, world: World
) -> None:
    active = (await create_plan(client, world, objective="A", status="ACTIVE"))["changePlan"]
    await create_plan(client, world, objective="B")
    await create_plan(client, world, objective="C", status="ACTIVE", processId=world.processes[1])
    past = str(TODAY - timedelta(days=10))
    await add_milestone(client, world, active["id"], title="Late", dueOn=past)
    await add_milestone(
        client, world, active["id"], title="Done late", dueOn=past, status="COMPLETED"
    )
    await add_milestone(
        client, world, active["id"], title="Dropped", dueOn=past, status="CANCELLED"
    )
    await add_milestone(
        client, world, active["id"], title="Future", dueOn=str(TODAY + timedelta(1))
    )

    plans = await client_plans(client, world, filter={"status": ["ACTIVE"]})
    assert plans["totalCount"] == 2
    assert [e["node"]["objective"] for e in plans["edges"]] == ["A", "C"]
    a, c = (e["node"] for e in plans["edges"])
    assert [m["node"]["title"] for m in a["milestones"]["edges"]] == [
        "Late",
        "Done late",
        "Dropped",
        "Future",
    ]
    assert a["overdueMilestones"] == [{"title": "Late"}]
    assert c["overdueMilestones"] == [] and c["process"] == {"name": "Invoice processing"}

    page1 = await client_plans(client, world, first=2)
    assert page1["totalCount"] == 3 and page1["pageInfo"]["hasNextPage"]
    page2 = await client_plans(client, world, first=2, after=page1["pageInfo"]["endCursor"])
    assert [e["node"]["objective"] for e in page2["edges"]] == ["C"]


async def test_nested_plans_issue_the_same_statements_for_2_and_6_plans(
    client: httpx.AsyncClient, make_world: WorldFactory
) -> None:
    async def statements(plans: int) -> int:
        w = await make_world()
        for i in range(plans):
            plan = (await create_plan(client, w, processId=w.processes[i % 2]))["changePlan"]
            for j in range(i % 3 + 1):
                await add_milestone(
                    client, w, plan["id"], title=f"M{j}", dueOn=str(TODAY - timedelta(j))
                )
        with count_statements() as counter:
            listed = await client_plans(client, w)
        assert len(listed["edges"]) == plans
        return counter.count

    assert await statements(2) == await statements(6)
