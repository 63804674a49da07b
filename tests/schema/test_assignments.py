"""OwnershipAssignment over real HTTP: assign, update, end, hand over; the accountable rule."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta
from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.conftest import TenantFactory, TokenFactory
from tests.schema.support import (
    ASSIGN,
    ASSIGNMENT_FIELDS,
    assign,
    audit_actions,
    errors_of,
    new_client,
    new_owner,
    new_process,
)
from tests.support import data, gql

UPDATE = f"""
mutation($input: UpdateAssignmentInput!) {{
  updateAssignment(input: $input) {{
    ownershipAssignment {{ {ASSIGNMENT_FIELDS} }} errors {{ field code message }}
  }}
}}"""
END = f"""
mutation($input: EndAssignmentInput!) {{
  endAssignment(input: $input) {{
    ownershipAssignment {{ {ASSIGNMENT_FIELDS} }} errors {{ field code message }}
  }}
}}"""
HAND_OVER = f"""
mutation($input: HandOverAccountabilityInput!) {{
  handOverAccountability(input: $input) {{
    ownershipAssignment {{ {ASSIGNMENT_FIELDS} }} errors {{ field code message }}
  }}
}}"""
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
    client: httpx.AsyncClient,
    engine: AsyncEngine,
    make_tenant: TenantFactory,
    make_token: TokenFactory,
) -> None:
    tenant = await make_tenant()
    token = await make_token(tenant, "consultant")
    _, pid, a, b = await setup(client, token)
    first = await assign(client, token, pid, a, responsibilities=["MONITORING", "INCIDENTS"])
    assert first["errors"] == []
    got = first["ownershipAssignment"]
    assert got["raciRole"] == "ACCOUNTABLE" and got["current"] is True
    assert got["responsibilities"] == ["MONITORING", "INCIDENTS"]
    assert got["startsOn"] == date.today().isoformat() and got["endsOn"] is None
    assert got["owner"]["id"] == a and got["process"]["id"] == pid
    second = await assign(client, token, pid, b)
    assert second["ownershipAssignment"] is None
    assert errors_of(second) == {"raciRole": "CONFLICT"}
    also_responsible = await assign(client, token, pid, b, raciRole="RESPONSIBLE")
    assert also_responsible["errors"] == []
    duplicate = await assign(client, token, pid, b, raciRole="RESPONSIBLE")
    assert errors_of(duplicate) == {"ownerId": "CONFLICT"}
    view = data(await gql(client, PROCESS, {"id": pid}, token=token))["node"]
    assert view["accountableOwner"]["id"] == a and view["orphaned"] is False
    assert view["assignments"]["totalCount"] == 2
    assert await audit_actions(engine, tenant, "OwnershipAssignment") == ["assign", "assign"]


async def test_concurrent_accountable_assignments_one_wins_the_other_conflicts(
    client: httpx.AsyncClient, make_tenant: TenantFactory, make_token: TokenFactory
) -> None:
    token = await make_token(await make_tenant())
    cid = await new_client(client, token)
    for _ in range(3):
        pid = await new_process(client, token, cid)
        owners = [await new_owner(client, token, cid, f"O{i}") for i in range(4)]
        results = await asyncio.gather(*(assign(client, token, pid, o) for o in owners))
        ok = [r for r in results if r["errors"] == []]
        assert len(ok) == 1
        for r in results:
            if r["errors"]:
                assert errors_of(r) == {"raciRole": "CONFLICT"}


async def test_assign_validation_errors(
    client: httpx.AsyncClient,
    engine: AsyncEngine,
    make_tenant: TenantFactory,
    make_token: TokenFactory,
) -> None:
    tenant = await make_tenant()
    token = await make_token(tenant)
    _, pid, a, _ = await setup(client, token)
    hours = await assign(client, token, pid, a, hoursPerWeek=80.5)
    assert errors_of(hours) == {"hoursPerWeek": "VALIDATION"}
    precise = await assign(client, token, pid, a, hoursPerWeek=1.234)
    assert errors_of(precise) == {"hoursPerWeek": "VALIDATION"}
    wrong_type = await assign(client, token, a, pid)
    assert errors_of(wrong_type) == {"processId": "VALIDATION"}
    other_tenant = await make_token(await make_tenant())
    _, foreign_pid, foreign_owner, _ = await setup(client, other_tenant)
    missing = await assign(client, token, foreign_pid, foreign_owner)
    assert errors_of(missing) == {"processId": "NOT_FOUND", "ownerId": "NOT_FOUND"}
    stranger = await new_owner(client, token, await new_client(client, token, "Other"), "S")
    cross = await assign(client, token, pid, stranger)
    assert errors_of(cross) == {"ownerId": "VALIDATION"}
    assert await audit_actions(engine, tenant, "OwnershipAssignment") == []


async def test_update_assignment_and_its_errors(
    client: httpx.AsyncClient,
    engine: AsyncEngine,
    make_tenant: TenantFactory,
    make_token: TokenFactory,
) -> None:
    tenant = await make_tenant()
    token = await make_token(tenant)
    _, pid, a, _ = await setup(client, token)
    aid = (await assign(client, token, pid, a))["ownershipAssignment"]["id"]
    ok = data(
        await gql(
            client,
            UPDATE,
            {"input": {"id": aid, "version": 1, "hoursPerWeek": 7.25, "responsibilities": []}},
            token=token,
        )
    )["updateAssignment"]
    assert ok["errors"] == []
    assert (
        ok["ownershipAssignment"]["hoursPerWeek"] == 7.25
        and ok["ownershipAssignment"]["version"] == 2
    )
    bad = data(
        await gql(
            client, UPDATE, {"input": {"id": aid, "version": 2, "hoursPerWeek": -1}}, token=token
        )
    )["updateAssignment"]
    assert errors_of(bad) == {"hoursPerWeek": "VALIDATION"}
    null = data(
        await gql(
            client, UPDATE, {"input": {"id": aid, "version": 2, "hoursPerWeek": None}}, token=token
        )
    )["updateAssignment"]
    assert errors_of(null) == {"hoursPerWeek": "VALIDATION"}
    omitted = {"input": {"id": aid, "version": 2, "responsibilities": ["MONITORING"]}}
    kept = data(await gql(client, UPDATE, omitted, token=token))["updateAssignment"]
    assert kept["errors"] == [] and kept["ownershipAssignment"]["hoursPerWeek"] == 7.25
    stale = data(
        await gql(
            client, UPDATE, {"input": {"id": aid, "version": 1, "hoursPerWeek": 1}}, token=token
        )
    )["updateAssignment"]
    assert errors_of(stale) == {"version": "CONFLICT"}
    data(await gql(client, END, {"input": {"id": aid, "version": 3}}, token=token))
    ended = data(
        await gql(
            client, UPDATE, {"input": {"id": aid, "version": 4, "hoursPerWeek": 1}}, token=token
        )
    )["updateAssignment"]
    assert errors_of(ended) == {"id": "VALIDATION"}
    assert await audit_actions(engine, tenant, "OwnershipAssignment") == [
        "assign",
        "update",
        "update",
        "end",
    ]


async def test_ending_keeps_history_and_current_filter(
    client: httpx.AsyncClient, make_tenant: TenantFactory, make_token: TokenFactory
) -> None:
    token = await make_token(await make_tenant())
    _, pid, a, b = await setup(client, token)
    start = (date.today() - timedelta(days=30)).isoformat()
    aid = (await assign(client, token, pid, a, startsOn=start))["ownershipAssignment"]["id"]
    before_start = data(
        await gql(
            client, END, {"input": {"id": aid, "version": 1, "endsOn": "2000-01-01"}}, token=token
        )
    )["endAssignment"]
    assert errors_of(before_start) == {"endsOn": "VALIDATION"}
    stale = data(await gql(client, END, {"input": {"id": aid, "version": 5}}, token=token))
    assert errors_of(stale["endAssignment"]) == {"version": "CONFLICT"}
    ended = data(await gql(client, END, {"input": {"id": aid, "version": 1}}, token=token))[
        "endAssignment"
    ]
    assert ended["errors"] == []
    assert ended["ownershipAssignment"]["endsOn"] == date.today().isoformat()
    assert ended["ownershipAssignment"]["current"] is False
    again = data(await gql(client, END, {"input": {"id": aid, "version": 2}}, token=token))
    assert errors_of(again["endAssignment"]) == {"id": "VALIDATION"}

    view = data(await gql(client, PROCESS, {"id": pid}, token=token))["node"]
    assert view["orphaned"] is True and view["accountableOwner"] is None
    assert [e["node"]["id"] for e in view["assignments"]["edges"]] == [aid]  # history kept
    assert (await assign(client, token, pid, b))["errors"] == []  # slot is free again
    current = data(await gql(client, PROCESS, {"id": pid, "current": True}, token=token))["node"]
    assert [e["node"]["owner"]["id"] for e in current["assignments"]["edges"]] == [b]
    past = data(await gql(client, PROCESS, {"id": pid, "current": False}, token=token))["node"]
    assert [e["node"]["id"] for e in past["assignments"]["edges"]] == [aid]
    owner_view = data(await gql(client, OWNER, {"id": a, "current": False}, token=token))["node"]
    assert owner_view["assignments"]["totalCount"] == 1
    assert (
        data(await gql(client, OWNER, {"id": a, "current": True}, token=token))["node"][
            "assignments"
        ]["totalCount"]
        == 0
    )


async def test_hand_over_accountability(
    client: httpx.AsyncClient,
    engine: AsyncEngine,
    make_tenant: TenantFactory,
    make_token: TokenFactory,
) -> None:
    tenant = await make_tenant()
    token = await make_token(tenant)
    _, pid, a, b = await setup(client, token)
    start = (date.today() - timedelta(days=10)).isoformat()
    old = (await assign(client, token, pid, a, startsOn=start))["ownershipAssignment"]["id"]

    async def hand_over(owner: str, **f: Any) -> dict[str, Any]:
        variables = {"input": {"processId": pid, "ownerId": owner, "hoursPerWeek": 3, **f}}
        result: dict[str, Any] = data(await gql(client, HAND_OVER, variables, token=token))[
            "handOverAccountability"
        ]
        return result

    same = await hand_over(a)
    assert errors_of(same) == {"ownerId": "VALIDATION"}
    bad_hours = await hand_over(b, hoursPerWeek=100)
    assert errors_of(bad_hours) == {"hoursPerWeek": "VALIDATION"}
    # nothing was ended by the failed attempt
    view = data(await gql(client, PROCESS, {"id": pid}, token=token))["node"]
    assert view["accountableOwner"]["id"] == a
    done = await hand_over(b, responsibilities=["IMPROVEMENT"])
    assert done["errors"] == []
    assert (
        done["ownershipAssignment"]["owner"]["id"] == b
        and done["ownershipAssignment"]["current"] is True
    )
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
    client: httpx.AsyncClient, make_tenant: TenantFactory, make_token: TokenFactory
) -> None:
    tenant = await make_tenant()
    token = await make_token(tenant)
    viewer = await make_token(tenant, "viewer")
    other = await make_token(await make_tenant())
    _, pid, a, b = await setup(client, token)
    aid = (await assign(client, token, pid, a))["ownershipAssignment"]["id"]
    attempts: list[tuple[str, dict[str, Any], str]] = [
        (
            ASSIGN,
            {"input": {"processId": pid, "ownerId": b, "raciRole": "INFORMED", "hoursPerWeek": 1}},
            "assignOwner",
        ),
        (UPDATE, {"input": {"id": aid, "version": 1, "hoursPerWeek": 1}}, "updateAssignment"),
        (END, {"input": {"id": aid, "version": 1}}, "endAssignment"),
        (
            HAND_OVER,
            {"input": {"processId": pid, "ownerId": b, "hoursPerWeek": 1}},
            "handOverAccountability",
        ),
    ]
    for query, variables, name in attempts:
        payload = data(await gql(client, query, variables, token=viewer))[name]
        assert [e["code"] for e in payload["errors"]] == ["FORBIDDEN"], name
    assert data(await gql(client, NODE, {"id": aid}, token=viewer))["node"]["raciRole"] == (
        "ACCOUNTABLE"
    )
    assert data(await gql(client, NODE, {"id": aid}, token=other))["node"] is None
