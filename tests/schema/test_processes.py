"""AIProcess and ProcessKpi over real HTTP: mutations, validation, filters, computed fields."""

from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.conftest import TenantFactory, TokenFactory
from tests.schema.support import (
    ARCHIVE_PROCESS,
    CREATE_PROCESS,
    PROCESS_FIELDS,
    assign,
    audit_actions,
    create_process,
    errors_of,
    new_client,
    new_owner,
    new_process,
)
from tests.support import count_statements, data, gql

UPDATE = f"""
mutation($input: UpdateAIProcessInput!) {{
  updateAIProcess(input: $input) {{
    aiProcess {{ {PROCESS_FIELDS} }} errors {{ field code message }}
  }}
}}"""
ADD_KPI = """
mutation($input: AddKpiInput!) {
  addKpi(input: $input) {
    processKpi {
      id version name unit target direction latestValue measuredAt onTarget process { id }
    }
    errors { field code message }
  }
}"""
UPDATE_KPI = """
mutation($input: UpdateKpiInput!) {
  updateKpi(input: $input) {
    processKpi { id version name latestValue measuredAt onTarget } errors { field code message }
  }
}"""
REMOVE_KPI = """
mutation($input: RemoveKpiInput!) {
  removeKpi(input: $input) { removedProcessKpiId errors { field code message } }
}"""
NODE = """query($id: ID!) { node(id: $id) { id ... on AIProcess { name kpis { totalCount } }
  ... on ProcessKpi { name } } }"""
CLIENT_PROCESSES = """
query($id: ID!, $filter: AIProcessFilter, $orderBy: AIProcessOrder, $first: Int, $after: String) {
  node(id: $id) { ... on ClientOrganisation {
    processes(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {
      totalCount edges { node { name orphaned } } pageInfo { hasNextPage endCursor }
    }
  } }
}"""

BOUNDARIES = {
    "steps": [
        {"name": "Intake", "aiRole": "classifies the claim"},
        {"name": "Decide", "aiRole": "suggests a payout", "description": "human approves"},
    ],
    "upstream": ["CRM"],
    "downstream": ["Payments"],
    "dataInputs": ["claim form"],
    "outputs": ["decision"],
}


async def test_create_update_archive_with_documents_and_audit(
    client: httpx.AsyncClient,
    engine: AsyncEngine,
    make_tenant: TenantFactory,
    make_token: TokenFactory,
) -> None:
    tenant = await make_tenant()
    token = await make_token(tenant, "consultant")
    cid = await new_client(client, token)
    created = await create_process(
        client,
        token,
        cid,
        lifecycleStage="PRODUCTION",
        riskTier="HIGH",
        boundaries=BOUNDARIES,
        checkpoints=[{"name": "Payout check", "stage": "Decide", "reviewerRole": "Adjuster"}],
        escalationPath=[
            {"level": 2, "trigger": "no answer", "contact": "Head of claims"},
            {"level": 1, "trigger": "wrong payout", "contact": "Team lead", "responseHours": 4},
        ],
        tools=[{"name": "ClaimBot", "vendor": "Acme"}],
    )
    assert created["errors"] == []
    p = created["aiProcess"]
    assert p["version"] == 1 and p["lifecycleStage"] == "PRODUCTION" and p["riskTier"] == "HIGH"
    assert p["boundaries"]["steps"][1] == {
        "name": "Decide",
        "aiRole": "suggests a payout",
        "description": "human approves",
    }
    assert p["boundaries"]["dataInputs"] == ["claim form"]
    assert [lv["level"] for lv in p["escalationPath"]] == [1, 2]
    assert p["escalationPath"][0]["responseHours"] == 4
    assert p["checkpoints"][0]["reviewerRole"] == "Adjuster"
    assert p["tools"] == [{"name": "ClaimBot", "vendor": "Acme", "purpose": None}]
    assert p["clientOrganisation"]["id"] == cid
    assert p["orphaned"] is True  # live, nobody accountable

    updated = data(
        await gql(
            client,
            UPDATE,
            {"input": {"id": p["id"], "version": 1, "purpose": "Faster claims", "tools": []}},
            token=token,
        )
    )["updateAIProcess"]
    assert updated["errors"] == []
    assert updated["aiProcess"]["version"] == 2 and updated["aiProcess"]["tools"] == []
    assert updated["aiProcess"]["boundaries"]["outputs"] == ["decision"]  # untouched
    archived = data(
        await gql(client, ARCHIVE_PROCESS, {"input": {"id": p["id"], "version": 2}}, token=token)
    )["archiveAIProcess"]
    assert archived["errors"] == [] and archived["aiProcess"]["archivedAt"]
    assert await audit_actions(engine, tenant, "AIProcess") == ["create", "update", "archive"]


async def test_create_validation_errors_name_nested_fields_and_write_nothing(
    client: httpx.AsyncClient,
    engine: AsyncEngine,
    make_tenant: TenantFactory,
    make_token: TokenFactory,
) -> None:
    tenant = await make_tenant()
    token = await make_token(tenant)
    cid = await new_client(client, token)
    result = await create_process(
        client,
        token,
        cid,
        name=" ",
        boundaries={"steps": [{"name": "A", "aiRole": " "}, {"name": "a", "aiRole": "x"}]},
        checkpoints=[{"name": "", "stage": "s", "reviewerRole": "r"}],
        escalationPath=[
            {"level": 1, "trigger": "t", "contact": "c", "responseHours": -1},
            {"level": 3, "trigger": "t", "contact": "c"},
        ],
        tools=[{"name": ""}],
    )
    assert result["aiProcess"] is None
    assert errors_of(result) == {
        "name": "VALIDATION",
        "boundaries.steps[0].aiRole": "VALIDATION",
        "boundaries.steps": "VALIDATION",
        "checkpoints[0].name": "VALIDATION",
        "escalationPath[0].responseHours": "VALIDATION",
        "escalationPath": "VALIDATION",
        "tools[0].name": "VALIDATION",
    }
    assert await audit_actions(engine, tenant, "AIProcess") == []


async def test_create_rejects_a_bad_or_unknown_client_id(
    client: httpx.AsyncClient, make_tenant: TenantFactory, make_token: TokenFactory
) -> None:
    tenant = await make_tenant()
    token = await make_token(tenant)
    other_token = await make_token(await make_tenant())
    pid = await new_process(client, token, await new_client(client, token))
    wrong_type = await create_process(client, token, pid)
    assert errors_of(wrong_type) == {"clientOrganisationId": "VALIDATION"}
    foreign = await create_process(client, other_token, await new_client(client, token))
    assert errors_of(foreign) == {"clientOrganisationId": "NOT_FOUND"}


async def test_update_validation_null_and_stale_version(
    client: httpx.AsyncClient, make_tenant: TenantFactory, make_token: TokenFactory
) -> None:
    token = await make_token(await make_tenant())
    pid = await new_process(client, token, await new_client(client, token))
    nulls = data(
        await gql(
            client,
            UPDATE,
            {"input": {"id": pid, "version": 1, "name": None}},
            token=token,
        )
    )["updateAIProcess"]
    assert errors_of(nulls) == {"name": "VALIDATION"}
    docs = data(
        await gql(
            client, UPDATE, {"input": {"id": pid, "version": 1, "boundaries": None}}, token=token
        )
    )["updateAIProcess"]
    assert errors_of(docs) == {"boundaries": "VALIDATION"}
    first = {"input": {"id": pid, "version": 1, "name": "One"}}
    assert data(await gql(client, UPDATE, first, token=token))["updateAIProcess"]["errors"] == []
    stale = data(
        await gql(client, UPDATE, {"input": {"id": pid, "version": 1, "name": "Two"}}, token=token)
    )["updateAIProcess"]
    assert stale["aiProcess"] is None and errors_of(stale) == {"version": "CONFLICT"}
    stale_archive = data(
        await gql(client, ARCHIVE_PROCESS, {"input": {"id": pid, "version": 1}}, token=token)
    )["archiveAIProcess"]
    assert errors_of(stale_archive) == {"version": "CONFLICT"}


async def test_viewer_may_not_run_process_or_kpi_mutations(
    client: httpx.AsyncClient, make_tenant: TenantFactory, make_token: TokenFactory
) -> None:
    tenant = await make_tenant()
    token = await make_token(tenant)
    viewer = await make_token(tenant, "viewer")
    cid = await new_client(client, token)
    pid = await new_process(client, token, cid)
    kpi = data(
        await gql(client, ADD_KPI, {"input": {"processId": pid, "name": "Accuracy"}}, token=token)
    )["addKpi"]["processKpi"]["id"]
    attempts: list[tuple[str, dict[str, Any], str]] = [
        (CREATE_PROCESS, {"input": {"clientOrganisationId": cid, "name": "X"}}, "createAIProcess"),
        (UPDATE, {"input": {"id": pid, "version": 1, "name": "X"}}, "updateAIProcess"),
        (ARCHIVE_PROCESS, {"input": {"id": pid, "version": 1}}, "archiveAIProcess"),
        (ADD_KPI, {"input": {"processId": pid, "name": "Speed"}}, "addKpi"),
        (UPDATE_KPI, {"input": {"id": kpi, "version": 1, "name": "Y"}}, "updateKpi"),
        (REMOVE_KPI, {"input": {"id": kpi, "version": 1}}, "removeKpi"),
    ]
    for query, variables, name in attempts:
        payload = data(await gql(client, query, variables, token=viewer))[name]
        assert [e["code"] for e in payload["errors"]] == ["FORBIDDEN"], name
    node = data(await gql(client, NODE, {"id": pid}, token=token))["node"]
    assert node["name"] == "Claims triage" and node["kpis"]["totalCount"] == 1


async def test_kpi_add_update_remove_with_validation_and_audit(
    client: httpx.AsyncClient,
    engine: AsyncEngine,
    make_tenant: TenantFactory,
    make_token: TokenFactory,
) -> None:
    tenant = await make_tenant()
    token = await make_token(tenant, "consultant")
    pid = await new_process(client, token, await new_client(client, token))
    added = data(
        await gql(
            client,
            ADD_KPI,
            {
                "input": {
                    "processId": pid,
                    "name": "Accuracy",
                    "unit": "%",
                    "target": 95,
                    "latestValue": 97.5,
                    "measuredAt": "2026-01-10T09:00:00+00:00",
                }
            },
            token=token,
        )
    )["addKpi"]
    assert added["errors"] == []
    kpi = added["processKpi"]
    assert kpi["direction"] == "HIGHER" and kpi["onTarget"] is True
    assert kpi["process"]["id"] == pid and kpi["latestValue"] == 97.5

    bad = data(
        await gql(
            client,
            ADD_KPI,
            {
                "input": {
                    "processId": pid,
                    "name": "accuracy",
                    "latestValue": 1,
                    "unit": "u" * 51,
                }
            },
            token=token,
        )
    )["addKpi"]
    assert bad["processKpi"] is None
    assert errors_of(bad) == {"measuredAt": "VALIDATION", "unit": "VALIDATION"}
    dup = data(
        await gql(client, ADD_KPI, {"input": {"processId": pid, "name": "ACCURACY"}}, token=token)
    )["addKpi"]
    assert errors_of(dup) == {"name": "CONFLICT"}
    future = data(
        await gql(
            client,
            ADD_KPI,
            {"input": {"processId": pid, "name": "F", "measuredAt": "2999-01-01T00:00:00Z"}},
            token=token,
        )
    )["addKpi"]
    assert errors_of(future) == {"measuredAt": "VALIDATION"}

    no_time = data(
        await gql(
            client,
            UPDATE_KPI,
            {"input": {"id": kpi["id"], "version": 1, "latestValue": 90}},
            token=token,
        )
    )["updateKpi"]
    assert errors_of(no_time) == {"measuredAt": "VALIDATION"}
    updated = data(
        await gql(
            client,
            UPDATE_KPI,
            {
                "input": {
                    "id": kpi["id"],
                    "version": 1,
                    "latestValue": 90,
                    "measuredAt": "2026-02-01T00:00:00Z",
                }
            },
            token=token,
        )
    )["updateKpi"]
    assert updated["errors"] == [] and updated["processKpi"]["onTarget"] is False
    stale = data(
        await gql(client, UPDATE_KPI, {"input": {"id": kpi["id"], "version": 1}}, token=token)
    )["updateKpi"]
    assert errors_of(stale) == {"version": "CONFLICT"}
    stale_remove = data(
        await gql(client, REMOVE_KPI, {"input": {"id": kpi["id"], "version": 1}}, token=token)
    )["removeKpi"]
    assert stale_remove["removedProcessKpiId"] is None and errors_of(stale_remove) == {
        "version": "CONFLICT"
    }
    removed = data(
        await gql(client, REMOVE_KPI, {"input": {"id": kpi["id"], "version": 2}}, token=token)
    )["removeKpi"]
    assert removed == {"removedProcessKpiId": kpi["id"], "errors": []}
    assert data(await gql(client, NODE, {"id": kpi["id"]}, token=token))["node"] is None
    assert await audit_actions(engine, tenant, "ProcessKpi") == ["create", "update", "delete"]


async def test_a_client_owner_token_not_assigned_may_not_update_a_kpi(
    client: httpx.AsyncClient, make_tenant: TenantFactory, make_token: TokenFactory
) -> None:
    tenant = await make_tenant()
    token = await make_token(tenant)
    cid = await new_client(client, token)
    pid = await new_process(client, token, cid)
    kpi = data(
        await gql(client, ADD_KPI, {"input": {"processId": pid, "name": "Accuracy"}}, token=token)
    )["addKpi"]["processKpi"]["id"]
    from schema.ids import parse_global_id

    parsed = parse_global_id(cid)
    assert parsed is not None
    owner_token = await make_token(tenant, "client_owner", client_organisation_id=parsed[1])
    payload = data(
        await gql(
            client, UPDATE_KPI, {"input": {"id": kpi, "version": 1, "name": "Z"}}, token=owner_token
        )
    )["updateKpi"]
    assert [e["code"] for e in payload["errors"]] == ["FORBIDDEN"]


async def test_node_of_another_tenant_is_null(
    client: httpx.AsyncClient, make_tenant: TenantFactory, make_token: TokenFactory
) -> None:
    token = await make_token(await make_tenant())
    other = await make_token(await make_tenant())
    pid = await new_process(client, token, await new_client(client, token))
    kpi = data(
        await gql(client, ADD_KPI, {"input": {"processId": pid, "name": "Accuracy"}}, token=token)
    )["addKpi"]["processKpi"]["id"]
    for node_id in (pid, kpi):
        assert data(await gql(client, NODE, {"id": node_id}, token=token))["node"]["id"] == node_id
        assert data(await gql(client, NODE, {"id": node_id}, token=other))["node"] is None


async def test_client_processes_filters_ordering_and_orphaned(
    client: httpx.AsyncClient, make_tenant: TenantFactory, make_token: TokenFactory
) -> None:
    token = await make_token(await make_tenant())
    cid = await new_client(client, token)
    await new_client(client, token, "Other")  # its processes never show up
    covered = await new_process(client, token, cid, name="B covered", lifecycleStage="PILOT")
    await new_process(client, token, cid, name="A orphan", lifecycleStage="PRODUCTION")
    await new_process(client, token, cid, name="C idea", riskTier="LOW")
    gone = await new_process(client, token, cid, name="D archived", lifecycleStage="PILOT")
    data(await gql(client, ARCHIVE_PROCESS, {"input": {"id": gone, "version": 1}}, token=token))
    owner = await new_owner(client, token, cid)
    assigned = await assign(client, token, covered, owner, hoursPerWeek=4)
    assert assigned["errors"] == []

    async def names(**variables: Any) -> list[str]:
        conn = data(await gql(client, CLIENT_PROCESSES, {"id": cid, **variables}, token=token))[
            "node"
        ]["processes"]
        assert conn["totalCount"] == len(conn["edges"])
        return [e["node"]["name"] for e in conn["edges"]]

    assert await names() == ["A orphan", "B covered", "C idea"]
    assert await names(filter={"includeArchived": True}) == [
        "A orphan",
        "B covered",
        "C idea",
        "D archived",
    ]
    assert await names(filter={"orphaned": True}) == ["A orphan"]
    assert await names(filter={"orphaned": False}) == ["B covered", "C idea"]
    assert await names(filter={"lifecycleStage": ["PILOT", "IDEA"]}) == ["B covered", "C idea"]
    assert await names(filter={"riskTier": ["LOW"]}) == ["C idea"]
    assert await names(filter={"search": "cover"}) == ["B covered"]
    assert await names(orderBy={"field": "NAME", "direction": "DESC"}) == [
        "C idea",
        "B covered",
        "A orphan",
    ]
    page = data(await gql(client, CLIENT_PROCESSES, {"id": cid, "first": 2}, token=token))["node"][
        "processes"
    ]
    assert page["pageInfo"]["hasNextPage"] is True and page["totalCount"] == 3
    rest = data(
        await gql(
            client,
            CLIENT_PROCESSES,
            {"id": cid, "first": 2, "after": page["pageInfo"]["endCursor"]},
            token=token,
        )
    )["node"]["processes"]
    assert [e["node"]["name"] for e in rest["edges"]] == ["C idea"]
    flags = data(await gql(client, CLIENT_PROCESSES, {"id": cid}, token=token))["node"][
        "processes"
    ]["edges"]
    assert [e["node"]["orphaned"] for e in flags] == [True, False, False]


NESTED = """
query($id: ID!) { node(id: $id) { ... on ClientOrganisation {
  processes(first: 100) { edges { node {
    name orphaned clientOrganisation { name }
    accountableOwner { name totalHoursPerWeek latestAssessment { assessedOn scores { score } } }
    assignments { edges { node { raciRole owner { name } } } }
    kpis { totalCount edges { node { name } } }
  } } }
} } }"""


async def test_nested_query_statement_count_does_not_grow_with_the_list(
    client: httpx.AsyncClient, make_tenant: TenantFactory, make_token: TokenFactory
) -> None:
    token = await make_token(await make_tenant())
    counts = []
    for size in (2, 6):
        cid = await new_client(client, token, f"Client {size}")
        owner = await new_owner(client, token, cid)
        for i in range(size):
            pid = await new_process(client, token, cid, name=f"P{i}", lifecycleStage="PILOT")
            await assign(client, token, pid, owner, hoursPerWeek=1)
            data(
                await gql(client, ADD_KPI, {"input": {"processId": pid, "name": "K"}}, token=token)
            )
        with count_statements() as counter:
            body = data(await gql(client, NESTED, {"id": cid}, token=token))
        edges = body["node"]["processes"]["edges"]
        assert len(edges) == size
        assert edges[0]["node"]["accountableOwner"]["totalHoursPerWeek"] == size
        counts.append(counter.count)
    assert counts[0] == counts[1] and counts[0] > 5, counts
