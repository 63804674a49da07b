"""Capability dimensions and assessments over real HTTP; latest assessment and gaps."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncEngine

from tenants.registry import TenantRef
from tests.schema.support import (
    assert_forbidden,
    assert_invalid,
    assert_tenant_confined,
    audit_actions,
    errors_of,
    mutation,
    new_client,
    new_owner,
    ok,
)
from tests.support import data, gql

DIMENSION_FIELDS = "id version key name description bar position"
DIMENSION = f"capabilityDimension {{ {DIMENSION_FIELDS} }}"
CREATE_DIMENSION = mutation("createCapabilityDimension", DIMENSION)
UPDATE_DIMENSION = mutation("updateCapabilityDimension", DIMENSION)
RECORD = mutation(
    "recordCapabilityAssessment",
    "capabilityAssessment { id assessedOn assessor notes trainingRecommendations owner { id }"
    " scores { score dimension { key } } }",
)
# Every new tenant starts with these (tenants/provisioning.py), in this order.
DEFAULT_KEYS = ("ai_fundamentals", "data_interpretation", "operational_management")
DIMENSIONS = """
query($orderBy: CapabilityDimensionOrder, $first: Int, $after: String) {
  capabilityDimensions(orderBy: $orderBy, first: $first, after: $after) {
    totalCount edges { node { key } } pageInfo { hasNextPage endCursor }
  }
}"""
OWNER = """
query($id: ID!) { node(id: $id) { ... on Owner {
  latestAssessment { assessedOn assessor scores { score dimension { key } } }
  assessments { totalCount edges { node { assessedOn } } }
  capabilityGaps { score bar dimension { key name } }
} } }"""
NODE = """query($id: ID!) { node(id: $id) { id
  ... on CapabilityDimension { key } ... on CapabilityAssessment { assessor } } }"""


async def new_dimension(
    client: httpx.AsyncClient, token: str, key: str, **fields: Any
) -> dict[str, Any]:
    fields = {"name": key.replace("_", " ").title(), **fields}
    return await CREATE_DIMENSION.send(client, token, key=key, **fields)


async def record(
    client: httpx.AsyncClient, token: str, owner: str, scores: list[tuple[str, int]], **f: Any
) -> dict[str, Any]:
    input = {
        "ownerId": owner,
        "assessedOn": f.pop("assessedOn", date.today().isoformat()),
        "assessor": "Consultant C",
        "scores": [{"dimensionId": d, "score": s} for d, s in scores],
        **f,
    }
    return await RECORD.send(client, token, **input)


async def test_dimensions_create_update_list_and_errors(
    client: httpx.AsyncClient, engine: AsyncEngine, tenant: TenantRef, consultant: str
) -> None:
    async def dimensions(**variables: Any) -> dict[str, Any]:
        listed: dict[str, Any] = data(await gql(client, DIMENSIONS, variables, token=consultant))[
            "capabilityDimensions"
        ]
        return listed

    defaults = await dimensions()
    assert [e["node"]["key"] for e in defaults["edges"]] == list(DEFAULT_KEYS)
    first = await new_dimension(client, consultant, "prompt_literacy", position=20)
    assert first["errors"] == [] and first["capabilityDimension"]["bar"] == 3
    await new_dimension(client, consultant, "risk_judgement", position=10, bar=4)
    bad = await new_dimension(client, consultant, "Bad Key", name=" ", bar=6, position=-1)
    assert_invalid(bad, "key", "name", "bar", "position")
    taken = await new_dimension(client, consultant, "prompt_literacy")
    assert errors_of(taken) == {"key": "CONFLICT"}

    keys = [e["node"]["key"] for e in (await dimensions())["edges"]]
    assert keys == [*DEFAULT_KEYS, "risk_judgement", "prompt_literacy"]
    by_key = await dimensions(orderBy={"field": "KEY", "direction": "DESC"})
    keys = [e["node"]["key"] for e in by_key["edges"]]
    assert keys == sorted([*DEFAULT_KEYS, "risk_judgement", "prompt_literacy"], reverse=True)
    page = await dimensions(first=1)
    assert page["totalCount"] == 5 and page["pageInfo"]["hasNextPage"] is True
    rest = await dimensions(first=1, after=page["pageInfo"]["endCursor"])
    assert [e["node"]["key"] for e in rest["edges"]] == [DEFAULT_KEYS[1]]

    dim = first["capabilityDimension"]

    async def update(**fields: Any) -> dict[str, Any]:
        return await UPDATE_DIMENSION.send(client, consultant, id=dim["id"], **fields)

    updated = ok(await update(version=1, bar=2, description="Basics"))
    assert updated["bar"] == 2 and updated["version"] == 2
    invalid = await update(version=2, bar=0, name=None)
    assert errors_of(invalid) == {"name": "VALIDATION"}
    out_of_range = await update(version=2, bar=0)
    assert errors_of(out_of_range) == {"bar": "VALIDATION"}
    stale = await update(version=1, bar=4)
    assert errors_of(stale) == {"version": "CONFLICT"}
    # Three creates of the defaults at provisioning, then this test's writes.
    assert await audit_actions(engine, tenant, "CapabilityDimension") == [
        *["create"] * len(DEFAULT_KEYS),
        "create",
        "create",
        "update",
    ]


async def dimension_id(client: httpx.AsyncClient, token: str, key: str, **fields: Any) -> str:
    """The id of a new dimension `key`."""
    created: str = (await new_dimension(client, token, key, **fields))["capabilityDimension"]["id"]
    return created


async def test_record_assessment_latest_and_gaps(
    client: httpx.AsyncClient, engine: AsyncEngine, tenant: TenantRef, token: str
) -> None:
    ai = await dimension_id(client, token, "prompt_literacy", position=0)
    data_dim = await dimension_id(client, token, "risk_judgement", position=1, bar=4)
    owner = await new_owner(client, token, await new_client(client, token))
    empty = data(await gql(client, OWNER, {"id": owner}, token=token))["node"]
    assert empty["latestAssessment"] is None and empty["capabilityGaps"] == []

    old_day = (date.today() - timedelta(days=200)).isoformat()
    older = await record(client, token, owner, [(ai, 1), (data_dim, 1)], assessedOn=old_day)
    assert older["errors"] == []
    latest = await record(
        client,
        token,
        owner,
        [(data_dim, 3), (ai, 4)],
        notes="Good progress",
        trainingRecommendations="Data course",
    )
    a = ok(latest)
    assert a["owner"]["id"] == owner and a["notes"] == "Good progress"
    assert [(s["dimension"]["key"], s["score"]) for s in a["scores"]] == [
        ("prompt_literacy", 4),
        ("risk_judgement", 3),
    ]
    view = data(await gql(client, OWNER, {"id": owner}, token=token))["node"]
    assert view["latestAssessment"]["assessedOn"] == date.today().isoformat()
    assert view["assessments"]["totalCount"] == 2
    assert [e["node"]["assessedOn"] for e in view["assessments"]["edges"]] == [
        date.today().isoformat(),
        old_day,
    ]
    assert view["capabilityGaps"] == [
        {
            "score": 3,
            "bar": 4,
            "dimension": {"key": "risk_judgement", "name": "Risk Judgement"},
        }
    ]
    assert await audit_actions(engine, tenant, "CapabilityAssessment") == ["record", "record"]


async def test_record_assessment_validation_errors(
    client: httpx.AsyncClient, engine: AsyncEngine, tenant: TenantRef, token: str, stranger: str
) -> None:
    ai = await dimension_id(client, token, "prompt_literacy")
    owner = await new_owner(client, token, await new_client(client, token))
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    bad = await record(client, token, owner, [(ai, 6), (ai, 2)], assessedOn=tomorrow, assessor=" ")
    assert_invalid(bad, "assessedOn", "assessor", "scores[0].score", "scores[1].dimensionId")
    assert errors_of(await record(client, token, owner, [])) == {"scores": "VALIDATION"}
    assert errors_of(await record(client, token, owner, [(owner, 3)])) == {
        "scores[0].dimensionId": "VALIDATION"
    }
    assert errors_of(await record(client, token, ai, [(ai, 3)])) == {"ownerId": "VALIDATION"}
    foreign_dim = await dimension_id(client, stranger, "prompt_literacy")
    assert errors_of(await record(client, token, owner, [(foreign_dim, 3)])) == {
        "scores[0].dimensionId": "NOT_FOUND"
    }
    assert await audit_actions(engine, tenant, "CapabilityAssessment") == []


async def test_viewer_may_not_write_capability_and_other_tenants_see_null(
    client: httpx.AsyncClient, token: str, viewer: str, stranger: str
) -> None:
    dim = await dimension_id(client, token, "prompt_literacy")
    owner = await new_owner(client, token, await new_client(client, token))
    assessment = (await record(client, token, owner, [(dim, 3)]))["capabilityAssessment"]["id"]
    scores = [{"dimensionId": dim, "score": 2}]
    today = date.today().isoformat()
    await assert_forbidden(
        client,
        viewer,
        [
            (CREATE_DIMENSION, {"key": "x_y", "name": "X"}),
            (UPDATE_DIMENSION, {"id": dim, "version": 1, "bar": 2}),
            (RECORD, {"ownerId": owner, "assessedOn": today, "assessor": "V", "scores": scores}),
        ],
    )
    await assert_tenant_confined(client, NODE, [dim, assessment], viewer, stranger)
