"""Capability dimensions and assessments over real HTTP; latest assessment and gaps."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.conftest import TenantFactory, TokenFactory
from tests.schema.support import audit_actions, errors_of, new_client, new_owner
from tests.support import data, gql

DIMENSION_FIELDS = "id version key name description bar position"
CREATE_DIMENSION = f"""
mutation($input: CreateCapabilityDimensionInput!) {{
  createCapabilityDimension(input: $input) {{
    capabilityDimension {{ {DIMENSION_FIELDS} }} errors {{ field code message }}
  }}
}}"""
UPDATE_DIMENSION = f"""
mutation($input: UpdateCapabilityDimensionInput!) {{
  updateCapabilityDimension(input: $input) {{
    capabilityDimension {{ {DIMENSION_FIELDS} }} errors {{ field code message }}
  }}
}}"""
RECORD = """
mutation($input: RecordCapabilityAssessmentInput!) {
  recordCapabilityAssessment(input: $input) {
    capabilityAssessment {
      id assessedOn assessor notes trainingRecommendations owner { id }
      scores { score dimension { key } }
    }
    errors { field code message }
  }
}"""
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
    variables = {"input": {"key": key, "name": key.replace("_", " ").title(), **fields}}
    result: dict[str, Any] = data(await gql(client, CREATE_DIMENSION, variables, token=token))[
        "createCapabilityDimension"
    ]
    return result


async def record(
    client: httpx.AsyncClient, token: str, owner: str, scores: list[tuple[str, int]], **f: Any
) -> dict[str, Any]:
    variables = {
        "input": {
            "ownerId": owner,
            "assessedOn": f.pop("assessedOn", date.today().isoformat()),
            "assessor": "Consultant C",
            "scores": [{"dimensionId": d, "score": s} for d, s in scores],
            **f,
        }
    }
    result: dict[str, Any] = data(await gql(client, RECORD, variables, token=token))[
        "recordCapabilityAssessment"
    ]
    return result


async def test_dimensions_create_update_list_and_errors(
    client: httpx.AsyncClient,
    engine: AsyncEngine,
    make_tenant: TenantFactory,
    make_token: TokenFactory,
) -> None:
    tenant = await make_tenant()
    token = await make_token(tenant, "consultant")
    defaults = data(await gql(client, DIMENSIONS, token=token))["capabilityDimensions"]
    assert [e["node"]["key"] for e in defaults["edges"]] == list(DEFAULT_KEYS)
    first = await new_dimension(client, token, "prompt_literacy", position=20)
    assert first["errors"] == [] and first["capabilityDimension"]["bar"] == 3
    await new_dimension(client, token, "risk_judgement", position=10, bar=4)
    bad = await new_dimension(client, token, "Bad Key", name=" ", bar=6, position=-1)
    assert bad["capabilityDimension"] is None
    assert errors_of(bad) == {
        "key": "VALIDATION",
        "name": "VALIDATION",
        "bar": "VALIDATION",
        "position": "VALIDATION",
    }
    taken = await new_dimension(client, token, "prompt_literacy")
    assert errors_of(taken) == {"key": "CONFLICT"}

    listed = data(await gql(client, DIMENSIONS, token=token))["capabilityDimensions"]
    keys = [e["node"]["key"] for e in listed["edges"]]
    assert keys == [*DEFAULT_KEYS, "risk_judgement", "prompt_literacy"]
    by_key = data(
        await gql(
            client, DIMENSIONS, {"orderBy": {"field": "KEY", "direction": "DESC"}}, token=token
        )
    )["capabilityDimensions"]
    keys = [e["node"]["key"] for e in by_key["edges"]]
    assert keys == sorted([*DEFAULT_KEYS, "risk_judgement", "prompt_literacy"], reverse=True)
    page = data(await gql(client, DIMENSIONS, {"first": 1}, token=token))["capabilityDimensions"]
    assert page["totalCount"] == 5 and page["pageInfo"]["hasNextPage"] is True
    rest = data(
        await gql(
            client, DIMENSIONS, {"first": 1, "after": page["pageInfo"]["endCursor"]}, token=token
        )
    )["capabilityDimensions"]
    assert [e["node"]["key"] for e in rest["edges"]] == [DEFAULT_KEYS[1]]

    dim = first["capabilityDimension"]
    updated = data(
        await gql(
            client,
            UPDATE_DIMENSION,
            {"input": {"id": dim["id"], "version": 1, "bar": 2, "description": "Basics"}},
            token=token,
        )
    )["updateCapabilityDimension"]
    assert updated["errors"] == []
    assert (
        updated["capabilityDimension"]["bar"] == 2
        and updated["capabilityDimension"]["version"] == 2
    )
    invalid = data(
        await gql(
            client,
            UPDATE_DIMENSION,
            {"input": {"id": dim["id"], "version": 2, "bar": 0, "name": None}},
            token=token,
        )
    )["updateCapabilityDimension"]
    assert errors_of(invalid) == {"name": "VALIDATION"}
    out_of_range = data(
        await gql(
            client,
            UPDATE_DIMENSION,
            {"input": {"id": dim["id"], "version": 2, "bar": 0}},
            token=token,
        )
    )["updateCapabilityDimension"]
    assert errors_of(out_of_range) == {"bar": "VALIDATION"}
    stale = data(
        await gql(
            client,
            UPDATE_DIMENSION,
            {"input": {"id": dim["id"], "version": 1, "bar": 4}},
            token=token,
        )
    )["updateCapabilityDimension"]
    assert errors_of(stale) == {"version": "CONFLICT"}
    # Three creates of the defaults at provisioning, then this test's writes.
    assert await audit_actions(engine, tenant, "CapabilityDimension") == [
        *["create"] * len(DEFAULT_KEYS),
        "create",
        "create",
        "update",
    ]


async def test_record_assessment_latest_and_gaps(
    client: httpx.AsyncClient,
    engine: AsyncEngine,
    make_tenant: TenantFactory,
    make_token: TokenFactory,
) -> None:
    tenant = await make_tenant()
    token = await make_token(tenant)
    ai = (await new_dimension(client, token, "prompt_literacy", position=0))["capabilityDimension"][
        "id"
    ]
    data_dim = (await new_dimension(client, token, "risk_judgement", position=1, bar=4))[
        "capabilityDimension"
    ]["id"]
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
    assert latest["errors"] == []
    a = latest["capabilityAssessment"]
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
    client: httpx.AsyncClient,
    engine: AsyncEngine,
    make_tenant: TenantFactory,
    make_token: TokenFactory,
) -> None:
    tenant = await make_tenant()
    token = await make_token(tenant)
    ai = (await new_dimension(client, token, "prompt_literacy"))["capabilityDimension"]["id"]
    owner = await new_owner(client, token, await new_client(client, token))
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    bad = await record(client, token, owner, [(ai, 6), (ai, 2)], assessedOn=tomorrow, assessor=" ")
    assert bad["capabilityAssessment"] is None
    assert errors_of(bad) == {
        "assessedOn": "VALIDATION",
        "assessor": "VALIDATION",
        "scores[0].score": "VALIDATION",
        "scores[1].dimensionId": "VALIDATION",
    }
    assert errors_of(await record(client, token, owner, [])) == {"scores": "VALIDATION"}
    assert errors_of(await record(client, token, owner, [(owner, 3)])) == {
        "scores[0].dimensionId": "VALIDATION"
    }
    assert errors_of(await record(client, token, ai, [(ai, 3)])) == {"ownerId": "VALIDATION"}
    other = await make_token(await make_tenant())
    foreign_dim = (await new_dimension(client, other, "prompt_literacy"))["capabilityDimension"][
        "id"
    ]
    assert errors_of(await record(client, token, owner, [(foreign_dim, 3)])) == {
        "scores[0].dimensionId": "NOT_FOUND"
    }
    assert await audit_actions(engine, tenant, "CapabilityAssessment") == []


async def test_viewer_may_not_write_capability_and_other_tenants_see_null(
    client: httpx.AsyncClient, make_tenant: TenantFactory, make_token: TokenFactory
) -> None:
    tenant = await make_tenant()
    token = await make_token(tenant)
    viewer = await make_token(tenant, "viewer")
    other = await make_token(await make_tenant())
    dim = (await new_dimension(client, token, "prompt_literacy"))["capabilityDimension"]["id"]
    owner = await new_owner(client, token, await new_client(client, token))
    assessment = (await record(client, token, owner, [(dim, 3)]))["capabilityAssessment"]["id"]
    attempts: list[tuple[str, dict[str, Any], str]] = [
        (CREATE_DIMENSION, {"input": {"key": "x_y", "name": "X"}}, "createCapabilityDimension"),
        (
            UPDATE_DIMENSION,
            {"input": {"id": dim, "version": 1, "bar": 2}},
            "updateCapabilityDimension",
        ),
        (
            RECORD,
            {
                "input": {
                    "ownerId": owner,
                    "assessedOn": date.today().isoformat(),
                    "assessor": "V",
                    "scores": [{"dimensionId": dim, "score": 2}],
                }
            },
            "recordCapabilityAssessment",
        ),
    ]
    for query, variables, name in attempts:
        payload = data(await gql(client, query, variables, token=viewer))[name]
        assert [e["code"] for e in payload["errors"]] == ["FORBIDDEN"], name
    for node_id in (dim, assessment):
        assert data(await gql(client, NODE, {"id": node_id}, token=viewer))["node"]["id"] == node_id
        assert data(await gql(client, NODE, {"id": node_id}, token=other))["node"] is None
