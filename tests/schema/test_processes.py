"""AIProcess and ProcessKpi over real HTTP: mutations, validation, filters, computed fields."""

from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncEngine

from tenants.registry import TenantRef
from tests.conftest import TokenFactory
from tests.schema.support import (
    ARCHIVE_PROCESS,
    CREATE_PROCESS,
    PROCESS_FIELDS,
    assert_forbidden,
    assert_invalid,
    assert_tenant_confined,
    assign,
    audit_actions,
    create_process,
    errors_of,
    mutation,
    new_client,
    new_owner,
    new_process,
    ok,
)
from tests.support import count_statements, data, gql

UPDATE = mutation("updateAIProcess", f"aiProcess {{ {PROCESS_FIELDS} }}")
ADD_KPI = mutation(
    "addKpi",
    "processKpi { id version name unit target direction latestValue measuredAt onTarget"
    " process { id } }",
)
UPDATE_KPI = mutation("updateKpi", "processKpi { id version name latestValue measuredAt onTarget }")
REMOVE_KPI = mutation("removeKpi", "removedProcessKpiId")
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
    client: httpx.AsyncClient, engine: AsyncEngine, tenant: TenantRef, consultant: str
) -> None:
    cid = await new_client(client, consultant)
    created = await create_process(
        client,
        consultant,
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
    p = ok(created)
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

    updated = ok(
        await UPDATE.send(
            client, consultant, id=p["id"], version=1, purpose="Faster claims", tools=[]
        )
    )
    assert updated["version"] == 2 and updated["tools"] == []
    assert updated["boundaries"]["outputs"] == ["decision"]  # untouched
    archived = await ARCHIVE_PROCESS.send(client, consultant, id=p["id"], version=2)
    assert ok(archived)["archivedAt"]
    assert await audit_actions(engine, tenant, "AIProcess") == ["create", "update", "archive"]


async def test_create_validation_errors_name_nested_fields_and_write_nothing(
    client: httpx.AsyncClient, engine: AsyncEngine, tenant: TenantRef, token: str
) -> None:
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
    assert_invalid(
        result,
        "name",
        "boundaries.steps[0].aiRole",
        "boundaries.steps",
        "checkpoints[0].name",
        "escalationPath[0].responseHours",
        "escalationPath",
        "tools[0].name",
    )
    assert await audit_actions(engine, tenant, "AIProcess") == []


async def test_create_rejects_a_bad_or_unknown_client_id(
    client: httpx.AsyncClient, token: str, stranger: str
) -> None:
    pid = await new_process(client, token, await new_client(client, token))
    wrong_type = await create_process(client, token, pid)
    assert errors_of(wrong_type) == {"clientOrganisationId": "VALIDATION"}
    foreign = await create_process(client, stranger, await new_client(client, token))
    assert errors_of(foreign) == {"clientOrganisationId": "NOT_FOUND"}


async def test_update_validation_null_and_stale_version(
    client: httpx.AsyncClient, token: str
) -> None:
    pid = await new_process(client, token, await new_client(client, token))
    nulls = await UPDATE.send(client, token, id=pid, version=1, name=None)
    assert errors_of(nulls) == {"name": "VALIDATION"}
    docs = await UPDATE.send(client, token, id=pid, version=1, boundaries=None)
    assert errors_of(docs) == {"boundaries": "VALIDATION"}
    assert (await UPDATE.send(client, token, id=pid, version=1, name="One"))["errors"] == []
    stale = await UPDATE.send(client, token, id=pid, version=1, name="Two")
    assert stale["aiProcess"] is None and errors_of(stale) == {"version": "CONFLICT"}
    stale_archive = await ARCHIVE_PROCESS.send(client, token, id=pid, version=1)
    assert errors_of(stale_archive) == {"version": "CONFLICT"}


async def new_kpi(client: httpx.AsyncClient, token: str, process_id: str) -> str:
    """The id of a new KPI "Accuracy" of the process."""
    kpi: str = (await ADD_KPI.send(client, token, processId=process_id, name="Accuracy"))[
        "processKpi"
    ]["id"]
    return kpi


async def test_viewer_may_not_run_process_or_kpi_mutations(
    client: httpx.AsyncClient, token: str, viewer: str
) -> None:
    cid = await new_client(client, token)
    pid = await new_process(client, token, cid)
    kpi = await new_kpi(client, token, pid)
    await assert_forbidden(
        client,
        viewer,
        [
            (CREATE_PROCESS, {"clientOrganisationId": cid, "name": "X"}),
            (UPDATE, {"id": pid, "version": 1, "name": "X"}),
            (ARCHIVE_PROCESS, {"id": pid, "version": 1}),
            (ADD_KPI, {"processId": pid, "name": "Speed"}),
            (UPDATE_KPI, {"id": kpi, "version": 1, "name": "Y"}),
            (REMOVE_KPI, {"id": kpi, "version": 1}),
        ],
    )
    node = data(await gql(client, NODE, {"id": pid}, token=token))["node"]
    assert node["name"] == "Claims triage" and node["kpis"]["totalCount"] == 1


async def test_kpi_add_update_remove_with_validation_and_audit(
    client: httpx.AsyncClient, engine: AsyncEngine, tenant: TenantRef, consultant: str
) -> None:
    pid = await new_process(client, consultant, await new_client(client, consultant))
    added = await ADD_KPI.send(
        client,
        consultant,
        processId=pid,
        name="Accuracy",
        unit="%",
        target=95,
        latestValue=97.5,
        measuredAt="2026-01-10T09:00:00+00:00",
    )
    kpi = ok(added)
    assert kpi["direction"] == "HIGHER" and kpi["onTarget"] is True
    assert kpi["process"]["id"] == pid and kpi["latestValue"] == 97.5

    bad = await ADD_KPI.send(
        client, consultant, processId=pid, name="accuracy", latestValue=1, unit="u" * 51
    )
    assert bad["processKpi"] is None
    assert errors_of(bad) == {"measuredAt": "VALIDATION", "unit": "VALIDATION"}
    dup = await ADD_KPI.send(client, consultant, processId=pid, name="ACCURACY")
    assert errors_of(dup) == {"name": "CONFLICT"}
    future = await ADD_KPI.send(
        client, consultant, processId=pid, name="F", measuredAt="2999-01-01T00:00:00Z"
    )
    assert errors_of(future) == {"measuredAt": "VALIDATION"}

    no_time = await UPDATE_KPI.send(client, consultant, id=kpi["id"], version=1, latestValue=90)
    assert errors_of(no_time) == {"measuredAt": "VALIDATION"}
    updated = await UPDATE_KPI.send(
        client,
        consultant,
        id=kpi["id"],
        version=1,
        latestValue=90,
        measuredAt="2026-02-01T00:00:00Z",
    )
    assert ok(updated)["onTarget"] is False
    stale = await UPDATE_KPI.send(client, consultant, id=kpi["id"], version=1)
    assert errors_of(stale) == {"version": "CONFLICT"}
    stale_remove = await REMOVE_KPI.send(client, consultant, id=kpi["id"], version=1)
    assert stale_remove["removedProcessKpiId"] is None and errors_of(stale_remove) == {
        "version": "CONFLICT"
    }
    removed = await REMOVE_KPI.send(client, consultant, id=kpi["id"], version=2)
    assert removed == {"removedProcessKpiId": kpi["id"], "errors": []}
    assert data(await gql(client, NODE, {"id": kpi["id"]}, token=consultant))["node"] is None
    assert await audit_actions(engine, tenant, "ProcessKpi") == ["create", "update", "delete"]


async def test_a_client_owner_token_not_assigned_may_not_update_a_kpi(
    client: httpx.AsyncClient, tenant: TenantRef, token: str, make_token: TokenFactory
) -> None:
    cid = await new_client(client, token)
    kpi = await new_kpi(client, token, await new_process(client, token, cid))
    from schema.ids import parse_global_id

    parsed = parse_global_id(cid)
    assert parsed is not None
    owner_token = await make_token(tenant, "client_owner", client_organisation_id=parsed[1])
    await assert_forbidden(
        client, owner_token, [(UPDATE_KPI, {"id": kpi, "version": 1, "name": "Z"})]
    )


async def test_node_of_another_tenant_is_null(
    client: httpx.AsyncClient, token: str, stranger: str
) -> None:
    pid = await new_process(client, token, await new_client(client, token))
    kpi = await new_kpi(client, token, pid)
    await assert_tenant_confined(client, NODE, [pid, kpi], token, stranger)


async def test_client_processes_filters_ordering_and_orphaned(
    client: httpx.AsyncClient, token: str
) -> None:
    cid = await new_client(client, token)
    await new_client(client, token, "Other")  # its processes never show up
    covered = await new_process(client, token, cid, name="B covered", lifecycleStage="PILOT")
    await new_process(client, token, cid, name="A orphan", lifecycleStage="PRODUCTION")
    await new_process(client, token, cid, name="C idea", riskTier="LOW")
    gone = await new_process(client, token, cid, name="D archived", lifecycleStage="PILOT")
    await ARCHIVE_PROCESS.send(client, token, id=gone, version=1)
    owner = await new_owner(client, token, cid)
    assigned = await assign(client, token, covered, owner, hoursPerWeek=4)
    assert assigned["errors"] == []

    async def processes(**variables: Any) -> dict[str, Any]:
        found = data(await gql(client, CLIENT_PROCESSES, {"id": cid, **variables}, token=token))
        conn: dict[str, Any] = found["node"]["processes"]
        return conn

    async def names(**variables: Any) -> list[str]:
        conn = await processes(**variables)
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
    page = await processes(first=2)
    assert page["pageInfo"]["hasNextPage"] is True and page["totalCount"] == 3
    rest = await processes(first=2, after=page["pageInfo"]["endCursor"])
    assert [e["node"]["name"] for e in rest["edges"]] == ["C idea"]
    flags = (await processes())["edges"]
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
    client: httpx.AsyncClient, token: str
) -> None:
    counts = []
    for size in (2, 6):
        cid = await new_client(client, token, f"Client {size}")
        owner = await new_owner(client, token, cid)
        for i in range(size):
            pid = await new_process(client, token, cid, name=f"P{i}", lifecycleStage="PILOT")
            await assign(client, token, pid, owner, hoursPerWeek=1)
            await ADD_KPI.send(client, token, processId=pid, name="K")
        with count_statements() as counter:
            body = data(await gql(client, NESTED, {"id": cid}, token=token))
        edges = body["node"]["processes"]["edges"]
        assert len(edges) == size
        assert edges[0]["node"]["accountableOwner"]["totalHoursPerWeek"] == size
        counts.append(counter.count)
    assert counts[0] == counts[1] and counts[0] > 5, counts
