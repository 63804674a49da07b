"""OwnershipAssignment over real HTTP: assign, update, end, hand over; the accountable rule."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta
from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncEngine

from tenants.registry import TenantRef
from tests.schema.support import (
    ASSIGN,
    ASSIGNMENT_FIELDS,
    assert_forbidden,
    assign,
    audit_actions,
    errors_of,
    mutation,
    new_client,
    new_owner,
    new_process,
    ok,
)
from tests.support import data, gql

ASSIGNMENT = f"ownershipAssignment {{ {ASSIGNMENT_FIELDS} }}"
UPDATE = mutation("updateAssignment", ASSIGNMENT)
END = mutation("endAssignment", ASSIGNMENT)
HAND_OVER = mutation("handOverAccountability", ASSIGNMENT)
PROCESS = """
query($id: ID!, $current: Boolean) { node(id: $id) { ... on AIProcess {
  orphaned accountableOwner { id }
  assignments(current: $current) { totalCount edges { node { id current endsOn owner { id } } } }
} } }"""
OWNER = """
query($id: ID!, $current: Boolean) { node(id: $id) { ... on Owner {
  assignments(current: $current) { totalCount edges { node { id process { id } } } }
} } }"""
NODE = "query($id: ID!) { node(id: $id) { id ... on OwnershipAssignment { raciRole } } }"


async def setup(
    client: httpx.AsyncClient, token: str
) -> tuple[str, str, str, str]:  # client, process, owner A, owner B
    cid = await new_client(client, token)
    pid = await new_process(client, token, cid, lifecycleStage="PRODUCTION")
    return (
        cid,
        pid,
        await new_owner(client, token, cid, "A"),
        await new_owner(client, token, cid, "B"),
    )


async def test_assign_then_a_second_accountable_is_a_conflict_on_raci_role(
    client: httpx.AsyncClient, engine: AsyncEngine, tenant: TenantRef, consultant: str
) -> None:
    _, pid, a, b = await setup(client, consultant)
    first = await assign(client, consultant, pid, a, responsibilities=["MONITORING", "INCIDENTS"])
    got = ok(first)
    assert got["raciRole"] == "ACCOUNTABLE" and got["current"] is True
    assert got["responsibilities"] == ["MONITORING", "INCIDENTS"]
    assert got["startsOn"] == date.today().isoformat() and got["endsOn"] is None
    assert got["owner"]["id"] == a and got["process"]["id"] == pid
    second = await assign(client, consultant, pid, b)
    assert second["ownershipAssignment"] is None
    assert errors_of(second) == {"raciRole": "CONFLICT"}
    also_responsible = await assign(client, consultant, pid, b, raciRole="RESPONSIBLE")
    assert also_responsible["errors"] == []
    duplicate = await assign(client, consultant, pid, b, raciRole="RESPONSIBLE")
    assert errors_of(duplicate) == {"ownerId": "CONFLICT"}
    view = data(await gql(client, PROCESS, {"id": pid}, token=consultant))["node"]
    assert view["accountableOwner"]["id"] == a and view["orphaned"] is False
    assert view["assignments"]["totalCount"] == 2
    assert await audit_actions(engine, tenant, "OwnershipAssignment") == ["assign", "assign"]


async def test_concurrent_accountable_assignments_one_wins_the_other_conflicts(
    client: httpx.AsyncClient, token: str
) -> None:
    cid = await new_client(client, token)
    for _ in range(3):
        pid = await new_process(client, token, cid)
        owners = [await new_owner(client, token, cid, f"O{i}") for i in range(4)]
        results = await asyncio.gather(*(assign(client, token, pid, o) for o in owners))
        won = [r for r in results if r["errors"] == []]
        assert len(won) == 1
        for r in results:
            if r["errors"]:
                assert errors_of(r) == {"raciRole": "CONFLICT"}


async def test_assign_validation_errors(
    client: httpx.AsyncClient, engine: AsyncEngine, tenant: TenantRef, token: str, stranger: str
) -> None:
    _, pid, a, _ = await setup(client, token)
    hours = await assign(client, token, pid, a, hoursPerWeek=80.5)
    assert errors_of(hours) == {"hoursPerWeek": "VALIDATION"}
    precise = await assign(client, token, pid, a, hoursPerWeek=1.234)
    assert errors_of(precise) == {"hoursPerWeek": "VALIDATION"}
    wrong_type = await assign(client, token, a, pid)
    assert errors_of(wrong_type) == {"processId": "VALIDATION"}
    _, foreign_pid, foreign_owner, _ = await setup(client, stranger)
    missing = await assign(client, token, foreign_pid, foreign_owner)
    assert errors_of(missing) == {"processId": "NOT_FOUND", "ownerId": "NOT_FOUND"}
    stranger_owner = await new_owner(client, token, await new_client(client, token, "Other"), "S")
    cross = await assign(client, token, pid, stranger_owner)
    assert errors_of(cross) == {"ownerId": "VALIDATION"}
    assert await audit_actions(engine, tenant, "OwnershipAssignment") == []


async def test_update_assignment_and_its_errors(
    client: httpx.AsyncClient, engine: AsyncEngine, tenant: TenantRef, token: str
) -> None:
    _, pid, a, _ = await setup(client, token)
    aid = (await assign(client, token, pid, a))["ownershipAssignment"]["id"]

    async def update(**fields: Any) -> dict[str, Any]:
        return await UPDATE.send(client, token, id=aid, **fields)

    updated = ok(await update(version=1, hoursPerWeek=7.25, responsibilities=[]))
    assert updated["hoursPerWeek"] == 7.25 and updated["version"] == 2
    assert errors_of(await update(version=2, hoursPerWeek=-1)) == {"hoursPerWeek": "VALIDATION"}
    assert errors_of(await update(version=2, hoursPerWeek=None)) == {"hoursPerWeek": "VALIDATION"}
    kept = await update(version=2, responsibilities=["MONITORING"])
    assert ok(kept)["hoursPerWeek"] == 7.25
    assert errors_of(await update(version=1, hoursPerWeek=1)) == {"version": "CONFLICT"}
    await END.send(client, token, id=aid, version=3)
    assert errors_of(await update(version=4, hoursPerWeek=1)) == {"id": "VALIDATION"}
    assert await audit_actions(engine, tenant, "OwnershipAssignment") == [
        "assign",
        "update",
        "update",
        "end",
    ]


async def test_ending_keeps_history_and_current_filter(
    client: httpx.AsyncClient, token: str
) -> None:
    _, pid, a, b = await setup(client, token)
    start = (date.today() - timedelta(days=30)).isoformat()
    aid = (await assign(client, token, pid, a, startsOn=start))["ownershipAssignment"]["id"]
    before_start = await END.send(client, token, id=aid, version=1, endsOn="2000-01-01")
    assert errors_of(before_start) == {"endsOn": "VALIDATION"}
    stale = await END.send(client, token, id=aid, version=5)
    assert errors_of(stale) == {"version": "CONFLICT"}
    ended = ok(await END.send(client, token, id=aid, version=1))
    assert ended["endsOn"] == date.today().isoformat()
    assert ended["current"] is False
    again = await END.send(client, token, id=aid, version=2)
    assert errors_of(again) == {"id": "VALIDATION"}

    async def view(query: str, node_id: str, **variables: Any) -> dict[str, Any]:
        found: dict[str, Any] = data(
            await gql(client, query, {"id": node_id, **variables}, token=token)
        )["node"]
        return found

    history = await view(PROCESS, pid)
    assert history["orphaned"] is True and history["accountableOwner"] is None
    assert [e["node"]["id"] for e in history["assignments"]["edges"]] == [aid]  # history kept
    assert (await assign(client, token, pid, b))["errors"] == []  # slot is free again
    current = await view(PROCESS, pid, current=True)
    assert [e["node"]["owner"]["id"] for e in current["assignments"]["edges"]] == [b]
    past = await view(PROCESS, pid, current=False)
    assert [e["node"]["id"] for e in past["assignments"]["edges"]] == [aid]
    assert (await view(OWNER, a, current=False))["assignments"]["totalCount"] == 1
    assert (await view(OWNER, a, current=True))["assignments"]["totalCount"] == 0


async def test_hand_over_accountability(
    client: httpx.AsyncClient, engine: AsyncEngine, tenant: TenantRef, token: str
) -> None:
    _, pid, a, b = await setup(client, token)
    start = (date.today() - timedelta(days=10)).isoformat()
    old = (await assign(client, token, pid, a, startsOn=start))["ownershipAssignment"]["id"]

    async def hand_over(owner: str, **f: Any) -> dict[str, Any]:
        f = {"hoursPerWeek": 3, **f}
        return await HAND_OVER.send(client, token, processId=pid, ownerId=owner, **f)

    same = await hand_over(a)
    assert errors_of(same) == {"ownerId": "VALIDATION"}
    bad_hours = await hand_over(b, hoursPerWeek=100)
    assert errors_of(bad_hours) == {"hoursPerWeek": "VALIDATION"}
    # nothing was ended by the failed attempt
    view = data(await gql(client, PROCESS, {"id": pid}, token=token))["node"]
    assert view["accountableOwner"]["id"] == a
    done = ok(await hand_over(b, responsibilities=["IMPROVEMENT"]))
    assert done["owner"]["id"] == b and done["current"] is True
    view = data(await gql(client, PROCESS, {"id": pid}, token=token))["node"]
    assert view["accountableOwner"]["id"] == b
    ended = {e["node"]["id"]: e["node"] for e in view["assignments"]["edges"]}[old]
    assert ended["endsOn"] == date.today().isoformat() and ended["current"] is False
    assert await audit_actions(engine, tenant, "OwnershipAssignment") == [
        "assign",
        "end",
        "assign",
    ]


async def test_viewer_may_not_write_assignments_and_other_tenants_see_null(
    client: httpx.AsyncClient, token: str, viewer: str, stranger: str
) -> None:
    _, pid, a, b = await setup(client, token)
    aid = (await assign(client, token, pid, a))["ownershipAssignment"]["id"]
    await assert_forbidden(
        client,
        viewer,
        [
            (ASSIGN, {"processId": pid, "ownerId": b, "raciRole": "INFORMED", "hoursPerWeek": 1}),
            (UPDATE, {"id": aid, "version": 1, "hoursPerWeek": 1}),
            (END, {"id": aid, "version": 1}),
            (HAND_OVER, {"processId": pid, "ownerId": b, "hoursPerWeek": 1}),
        ],
    )
    assert data(await gql(client, NODE, {"id": aid}, token=viewer))["node"]["raciRole"] == (
        "ACCOUNTABLE"
    )
    assert data(await gql(client, NODE, {"id": aid}, token=stranger))["node"] is None
