"""VendorAgreement over real HTTP: ownership clauses, covered processes, audit, reads."""

from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncEngine

from schema.ids import global_id
from tenants.models import LifecycleStage
from tenants.services import processes
from tenants.services.audit import SYSTEM
from tenants.session import tenant_session
from tests.conftest import TokenFactory
from tests.schema.support import (
    World,
    WorldFactory,
    assert_invalid,
    audit_rows,
    errors_of,
    mutation,
    node,
    ok,
    read,
)
from tests.support import count_statements, data, gql

FIELDS = """
  id version vendor product startsOn endsOn renewalOn autoRenews incidentResponseHours
  monitoring { party terms } incidentResponse { party terms }
  updates { party terms } dataGovernance { party terms }
  missingClauses processes { id name } clientOrganisation { name }
"""
CREATE = mutation("createVendorAgreement", "vendorAgreement { " + FIELDS + " }")
UPDATE = mutation("updateVendorAgreement", "vendorAgreement { " + FIELDS + " }")
FULL = {
    "monitoring": {"party": "VENDOR", "terms": "Monthly drift report"},
    "incidentResponse": {"party": "SHARED"},
    "incidentResponseHours": 4,
    "updates": {"party": "VENDOR", "terms": "Quarterly model updates, 30 days notice"},
    "dataGovernance": {"party": "CLIENT"},
}
PROCESS_AGREEMENTS = """
query($id: ID!, $first: Int, $after: String) {
  node(id: $id) { ... on AIProcess {
    vendorAgreements(first: $first, after: $after) {
      totalCount pageInfo { hasNextPage endCursor }
      edges { node { vendor missingClauses processes { name } } }
    }
  } }
}"""
CLIENT_AGREEMENTS = """
query($id: ID!) {
  node(id: $id) { ... on ClientOrganisation {
    vendorAgreements { totalCount edges { node {
      vendor missingClauses clientOrganisation { name } processes { name }
    } } }
  } }
}"""


async def create(client: httpx.AsyncClient, w: World, **fields: Any) -> dict[str, Any]:
    fields = {"clientOrganisationId": w.client, "vendor": "ClaimsAI Ltd", **fields}
    return await CREATE.send(client, w.token, **fields)


async def test_create_with_every_clause_and_covered_processes(
    client: httpx.AsyncClient, engine: AsyncEngine, world: World
) -> None:
    result = await create(
        client,
        world,
        product="Triage model",
        startsOn="2026-01-01",
        endsOn="2027-12-31",
        renewalOn="2027-10-01",
        autoRenews=True,
        processIds=list(reversed(world.processes)),
        **FULL,
    )
    a = ok(result)
    assert a["version"] == 1 and a["autoRenews"] is True and a["incidentResponseHours"] == 4
    assert a["monitoring"] == {"party": "VENDOR", "terms": "Monthly drift report"}
    assert a["incidentResponse"] == {"party": "SHARED", "terms": None}
    assert a["missingClauses"] == []
    assert [p["name"] for p in a["processes"]] == ["Claims triage", "Invoice processing"]
    assert a["clientOrganisation"]["name"] == "Northwind Insurance"
    rows = await audit_rows(engine, world.tenant, "VendorAgreement")
    assert [r[0] for r in rows] == ["create"]
    after = rows[0][2]
    assert after is not None
    assert sorted(after["processes"]) == sorted(world.processes)
    assert after["monitoring.party"] == "VENDOR"


async def test_missing_clauses_name_the_gaps(client: httpx.AsyncClient, world: World) -> None:
    bare = (await create(client, world))["vendorAgreement"]
    assert bare["missingClauses"] == [
        "MONITORING",
        "INCIDENT_RESPONSE",
        "UPDATES",
        "DATA_GOVERNANCE",
    ]
    assert bare["monitoring"] == {"party": "UNSPECIFIED", "terms": None}
    no_hours = (
        await create(
            client, world, monitoring={"party": "CLIENT"}, incidentResponse={"party": "VENDOR"}
        )
    )["vendorAgreement"]
    assert no_hours["missingClauses"] == ["INCIDENT_RESPONSE", "UPDATES", "DATA_GOVERNANCE"]


async def test_create_validation_errors_name_each_field_and_write_nothing(
    client: httpx.AsyncClient, engine: AsyncEngine, world: World
) -> None:
    result = await create(
        client,
        world,
        vendor=" ",
        product="p" * 201,
        startsOn="2026-06-01",
        endsOn="2026-01-01",
        renewalOn="2025-12-01",
        incidentResponseHours=-1,
        monitoring={"party": "VENDOR", "terms": "t" * 5001},
        processIds=[world.processes[0], world.other_process],
    )
    assert_invalid(
        result,
        "vendor",
        "product",
        "endsOn",
        "renewalOn",
        "incidentResponseHours",
        "monitoring.terms",
        "processIds[1]",
    )
    assert await audit_rows(engine, world.tenant, "VendorAgreement") == []
    listed = await read(client, world.token, CLIENT_AGREEMENTS, "node", id=world.client)
    assert listed["vendorAgreements"]["totalCount"] == 0


async def test_create_refuses_wrong_unknown_and_archived_ids(
    client: httpx.AsyncClient, engine: AsyncEngine, world: World, make_world: WorldFactory
) -> None:
    assert errors_of(await create(client, world, clientOrganisationId=world.processes[0])) == {
        "clientOrganisationId": "VALIDATION"
    }
    assert errors_of(await create(client, world, processIds=[world.client])) == {
        "processIds[0]": "VALIDATION"
    }
    stranger = await make_world()
    assert errors_of(await create(client, world, clientOrganisationId=stranger.client)) == {
        "clientOrganisationId": "NOT_FOUND"
    }
    assert errors_of(await create(client, world, processIds=[stranger.processes[0]])) == {
        "processIds[0]": "NOT_FOUND"
    }
    async with tenant_session(engine, world.tenant) as s:
        retired = await processes.create_process(
            s,
            actor=SYSTEM,
            client_id=world.client_id,
            name="Old chatbot",
            lifecycle_stage=LifecycleStage.RETIRED,
        )
        await processes.archive_process(
            s, actor=SYSTEM, process_id=retired.id, expected_version=retired.version
        )
        retired_id = retired.id
    archived = await create(client, world, processIds=[global_id("AIProcess", retired_id)])
    assert errors_of(archived) == {"processIds[0]": "VALIDATION"}


async def test_update_clauses_and_covered_processes_with_audit(
    client: httpx.AsyncClient, engine: AsyncEngine, world: World
) -> None:
    a = (await create(client, world, processIds=[world.processes[0]]))["vendorAgreement"]
    changed = await UPDATE.send(
        client,
        world.token,
        id=a["id"],
        version=1,
        monitoring={"party": "CLIENT", "terms": "Finance checks errors weekly"},
        incidentResponseHours=8,
        product=None,
    )
    b = ok(changed)
    assert b["version"] == 2 and b["monitoring"]["party"] == "CLIENT"
    assert b["vendor"] == "ClaimsAI Ltd" and b["incidentResponseHours"] == 8
    assert "MONITORING" not in b["missingClauses"]
    # changing only the covered set still bumps the version, so concurrent edits conflict
    covered = await UPDATE.send(
        client, world.token, id=a["id"], version=2, processIds=[world.processes[1]]
    )
    assert ok(covered)["version"] == 3
    assert [p["name"] for p in covered["vendorAgreement"]["processes"]] == ["Invoice processing"]
    stale = await UPDATE.send(client, world.token, id=a["id"], version=2, vendor="Other")
    assert stale["vendorAgreement"] is None
    assert stale["errors"][0]["code"] == "CONFLICT" and stale["errors"][0]["field"] == "version"
    rows = await audit_rows(engine, world.tenant, "VendorAgreement")
    assert [r[0] for r in rows] == ["create", "update", "update"]
    before, after = rows[2][1], rows[2][2]
    assert before is not None and after is not None
    assert before["processes"] == [world.processes[0]]
    assert after["processes"] == [world.processes[1]]


async def test_update_validation_errors(
    client: httpx.AsyncClient, engine: AsyncEngine, world: World
) -> None:
    a = (await create(client, world, startsOn="2026-03-01"))["vendorAgreement"]

    async def errors(**fields: Any) -> dict[str | None, str]:
        return errors_of(
            await UPDATE.send(client, world.token, **{"id": a["id"], "version": 1, **fields})
        )

    assert await errors(vendor=None) == {"vendor": "VALIDATION"}
    assert await errors(vendor="") == {"vendor": "VALIDATION"}
    assert await errors(endsOn="2026-01-01") == {"endsOn": "VALIDATION"}
    assert await errors(monitoring=None) == {"monitoring": "VALIDATION"}
    assert await errors(autoRenews=None) == {"autoRenews": "VALIDATION"}
    assert await errors(incidentResponseHours=24 * 365 + 1) == {
        "incidentResponseHours": "VALIDATION"
    }
    assert await errors(processIds=[world.other_process]) == {"processIds[0]": "VALIDATION"}
    assert await errors(processIds=None) == {"processIds": "VALIDATION"}
    assert await errors(id=world.client) == {"id": "VALIDATION"}
    assert [r[0] for r in await audit_rows(engine, world.tenant, "VendorAgreement")] == ["create"]


async def test_viewer_cannot_create_or_update_agreements(
    client: httpx.AsyncClient, engine: AsyncEngine, make_token: TokenFactory, world: World
) -> None:
    a = (await create(client, world))["vendorAgreement"]
    viewer = await make_token(world.tenant, "viewer")
    for op, fields in [
        (CREATE, {"clientOrganisationId": world.client, "vendor": "X"}),
        (UPDATE, {"id": a["id"], "version": 1, "vendor": "Y"}),
    ]:
        result = await op.send(client, viewer, **fields)
        assert result["vendorAgreement"] is None
        assert [e["code"] for e in result["errors"]] == ["FORBIDDEN"]
    assert [r[0] for r in await audit_rows(engine, world.tenant, "VendorAgreement")] == ["create"]


async def test_node_returns_an_agreement_only_to_its_tenant_and_client(
    client: httpx.AsyncClient, make_token: TokenFactory, world: World, make_world: WorldFactory
) -> None:
    a = (await create(client, world, processIds=world.processes))["vendorAgreement"]
    fields = "... on VendorAgreement { vendor }"
    assert (await node(client, world.token, a["id"], fields))["vendor"] == "ClaimsAI Ltd"
    stranger = await make_world()
    assert await node(client, stranger.token, a["id"], fields) is None
    other_client = await make_token(world.tenant, "client_viewer", world.other_client_id)
    assert await node(client, other_client, a["id"], fields) is None
    own = await make_token(world.tenant, "client_viewer", world.client_id)
    seen = await node(client, own, a["id"], "... on VendorAgreement { processes { name } }")
    assert len(seen["processes"]) == 2


async def test_process_vendor_agreements_paginate_and_count(
    client: httpx.AsyncClient, world: World
) -> None:
    for vendor in ["Alpha", "Bravo", "Charlie"]:
        await create(client, world, vendor=vendor, processIds=[world.processes[0]], **FULL)
    await create(client, world, vendor="Delta", processIds=[world.processes[1]])

    async def agreements(process: str, **variables: Any) -> dict[str, Any]:
        return await read(
            client,
            world.token,
            PROCESS_AGREEMENTS,
            "node.vendorAgreements",
            id=process,
            **variables,
        )

    page1 = await agreements(world.processes[0], first=2)
    assert page1["totalCount"] == 3 and page1["pageInfo"]["hasNextPage"]
    assert [e["node"]["vendor"] for e in page1["edges"]] == ["Alpha", "Bravo"]
    page2 = await agreements(world.processes[0], first=2, after=page1["pageInfo"]["endCursor"])
    assert [e["node"]["vendor"] for e in page2["edges"]] == ["Charlie"]
    assert not page2["pageInfo"]["hasNextPage"]
    edges = (await agreements(world.processes[1]))["edges"]
    assert [e["node"]["vendor"] for e in edges] == ["Delta"]
    assert len(edges[0]["node"]["missingClauses"]) == 4
    listed = await read(client, world.token, CLIENT_AGREEMENTS, "node", id=world.client)
    assert listed["vendorAgreements"]["totalCount"] == 4


NESTED = """
query($id: ID!) {
  node(id: $id) { ... on ClientOrganisation {
    processes(first: 50) { edges { node {
      name
      vendorAgreements(first: 5) { totalCount edges { node {
        vendor missingClauses processes { name } clientOrganisation { name }
      } } }
    } } }
    vendorAgreements(first: 50) { edges { node { processes { name } } } }
  } }
}"""


async def test_nested_agreements_issue_the_same_statements_for_2_and_8_processes(
    client: httpx.AsyncClient, engine: AsyncEngine, make_world: WorldFactory
) -> None:
    async def statements(count: int) -> int:
        w = await make_world()
        async with tenant_session(engine, w.tenant) as s:
            extra = [
                await processes.create_process(
                    s, actor=SYSTEM, client_id=w.client_id, name=f"Process {i}"
                )
                for i in range(count - 2)
            ]
            ids = w.processes + [global_id("AIProcess", p.id) for p in extra]
        for i in range(count):
            await create(client, w, vendor=f"V{i}", processIds=ids[: i + 1])
        with count_statements() as counter:
            body = data(await gql(client, NESTED, {"id": w.client}, token=w.token))
        assert len(body["node"]["processes"]["edges"]) == count
        return counter.count

    assert await statements(2) == await statements(8)
