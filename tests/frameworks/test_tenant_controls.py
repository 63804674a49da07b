"""A consultancy's own control set: parsed from CSV or JSON with errors by row and column,
imported over GraphQL (replacing the earlier import, audited), and covered like a
catalogue framework through the rules it names."""

from __future__ import annotations

import json

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from jobs.readiness.frameworks.tenant_import import ControlSetError, parse_control_set
from schema.ids import global_id
from tests.conftest import TenantFactory, TokenFactory
from tests.jobs.seed import seed_client
from tests.schema.support import audit_rows, errors_of, mutate
from tests.support import data, gql

CSV = (
    "id,title,summary,rules\n"
    "AC-1,Every AI process has one owner,Named and accountable,OWN-001 OWN-002\n"
    "AC-2,Owners are trained,,CAB-001;CAB-002\n"
    "AC-3,Suppliers sign our AI annex,,VEN-003\n"
)
IMPORT = """mutation($input: ImportControlSetInput!) {
  importControlSet(input: $input) { frameworkId controlCount errors { field code message } }
}"""
COVERAGE = """query($id: ID!, $fw: String!) { node(id: $id) { ... on ClientOrganisation {
  frameworkCoverage(framework: $fw) {
    framework { id title source }
    requirements { id title status ruleIds failingObjectIds }
  } } } }"""


def test_csv_and_json_parse_to_the_same_controls() -> None:
    from_csv = parse_control_set(CSV, "csv")
    as_json = [
        {"id": r.control_id, "title": r.title, "summary": r.summary, "rules": list(r.rule_ids)}
        for r in from_csv
    ]
    assert parse_control_set(json.dumps(as_json), "json") == from_csv
    assert from_csv[1].rule_ids == ("CAB-001", "CAB-002") and from_csv[1].summary is None


def test_every_problem_is_named_by_row_and_column() -> None:
    bad = (
        "id,title,rules\n"
        "AC-1,Owner,OWN-001\n"
        "AC-1,,OWN-999\n"  # row 2: repeated id, blank title, unknown rule
        "bad id!,Trained,\n"  # row 3: bad id, no rules
    )
    with pytest.raises(ControlSetError) as caught:
        parse_control_set(bad, "csv")
    fields = [(e.field, e.message) for e in caught.value.errors]
    assert [f for f, _ in fields] == [
        "content[2].id",
        "content[2].title",
        "content[2].rules",
        "content[3].id",
        "content[3].rules",
    ]
    assert "OWN-999" in fields[2][1]


def test_file_level_problems() -> None:
    for content, fmt, message in (
        ("id,title\nA,B\n", "csv", "header lacks column(s): rules"),
        ("{not json", "json", "is not JSON"),
        ('{"id": "A"}', "json", "must be a JSON list of objects"),
        ("id,title,rules\n", "csv", "has no controls"),
    ):
        with pytest.raises(ControlSetError) as caught:
            parse_control_set(content, fmt)
        assert caught.value.errors[0].field == "content"
        assert message in caught.value.errors[0].message


async def test_import_then_cover_a_client_with_the_tenants_own_controls(
    client: httpx.AsyncClient,
    engine: AsyncEngine,
    make_tenant: TenantFactory,
    make_token: TokenFactory,
) -> None:
    tenant = await make_tenant()
    token = await make_token(tenant, "consultant")
    seeded = await seed_client(engine, tenant, processes=8)
    bad = await mutate(
        client, token, IMPORT, "importControlSet",
        key="acme", title="Acme AI controls", format="CSV", content="id,title,rules\nA,,X-1\n",
    )  # fmt: skip
    assert errors_of(bad) == {"content[1].title": "VALIDATION", "content[1].rules": "VALIDATION"}
    ok = await mutate(
        client, token, IMPORT, "importControlSet",
        key="acme", title="Acme AI controls", format="CSV", content=CSV,
    )  # fmt: skip
    assert ok == {"frameworkId": "tenant:acme", "controlCount": 3, "errors": []}
    variables = {"id": global_id("ClientOrganisation", seeded.client_id), "fw": "tenant:acme"}
    cov = data(await gql(client, COVERAGE, variables, token=token))["node"]["frameworkCoverage"]
    assert cov["framework"]["title"] == "Acme AI controls"
    by_id = {r["id"]: r for r in cov["requirements"]}
    assert by_id["AC-1"]["ruleIds"] == ["OWN-001", "OWN-002"]
    orphans = {global_id("AIProcess", p) for p in seeded.orphaned_ids}
    assert by_id["AC-1"]["status"] == "PARTLY" and orphans <= set(by_id["AC-1"]["failingObjectIds"])
    # Importing again replaces the set; each control removed and added is audited.
    again = await mutate(
        client, token, IMPORT, "importControlSet",
        key="acme", title="Acme AI controls v2", format="JSON",
        content=json.dumps([{"id": "AC-9", "title": "Reviews", "rules": ["FBK-001"]}]),
    )  # fmt: skip
    assert again["controlCount"] == 1
    cov = data(await gql(client, COVERAGE, variables, token=token))["node"]["frameworkCoverage"]
    assert [r["id"] for r in cov["requirements"]] == ["AC-9"]
    actions = [a for a, _, _ in await audit_rows(engine, tenant, "TenantControl")]
    assert actions.count("create") == 4 and actions.count("delete") == 3
    missing = dict(variables, fw="tenant:nope")
    assert (
        data(await gql(client, COVERAGE, missing, token=token))["node"]["frameworkCoverage"] is None
    )


async def test_a_control_set_stays_in_its_tenant(
    client: httpx.AsyncClient,
    engine: AsyncEngine,
    make_tenant: TenantFactory,
    make_token: TokenFactory,
) -> None:
    a, b = await make_tenant(), await make_tenant()
    token_a, token_b = await make_token(a, "consultant"), await make_token(b, "consultant")
    await mutate(
        client, token_a, IMPORT, "importControlSet",
        key="acme", title="Acme AI controls", format="CSV", content=CSV,
    )  # fmt: skip
    seeded_b = await seed_client(engine, b, processes=2)
    variables = {"id": global_id("ClientOrganisation", seeded_b.client_id), "fw": "tenant:acme"}
    node = data(await gql(client, COVERAGE, variables, token=token_b))["node"]
    assert node is not None and node["frameworkCoverage"] is None
    assert await audit_rows(engine, b, "TenantControl") == []
