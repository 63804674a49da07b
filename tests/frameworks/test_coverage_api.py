"""frameworkCoverage over real HTTP: on a client and a process, statuses with the findings
behind them, and a fixed number of SQL statements whatever the client's size (counted on
the PostgreSQL wire by tests/wire.py's StatementCounter)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from jobs.readiness.loader import STATEMENTS
from schema.ids import global_id
from server.settings import Settings
from tests.conftest import TenantFactory, TokenFactory
from tests.jobs.seed import seed_client
from tests.support import data, gql, serving
from tests.wire import StatementCounter, counter_for, kind, through_proxy

CLIENT = """query($id: ID!, $fw: String!) { node(id: $id) { ... on ClientOrganisation {
  frameworkCoverage(framework: $fw) {
    framework { id version }
    requirements { id reference status ruleIds failingObjectIds
      findings { ruleId objectType objectId } }
  } } } }"""
PROCESS = """query($id: ID!, $fw: String!) { node(id: $id) { ... on AIProcess {
  frameworkCoverage(framework: $fw) { requirements { id status failingObjectIds } }
} } }"""


def _by_id(coverage: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {r["id"]: r for r in coverage["requirements"]}


async def test_client_and_process_coverage(
    client: httpx.AsyncClient,
    engine: AsyncEngine,
    make_tenant: TenantFactory,
    make_token: TokenFactory,
) -> None:
    tenant = await make_tenant()
    token = await make_token(tenant, "consultant")
    seeded = await seed_client(engine, tenant, processes=8)
    cid = global_id("ClientOrganisation", seeded.client_id)
    body = data(await gql(client, CLIENT, {"id": cid, "fw": "eu-ai-act"}, token=token))
    coverage = body["node"]["frameworkCoverage"]
    assert coverage["framework"]["id"] == "eu-ai-act"
    oversight = _by_id(coverage)["EUAIA-26.2"]
    orphans = {global_id("AIProcess", p) for p in seeded.orphaned_ids}
    assert oversight["status"] in ("PARTLY", "NOT_MET") and "OWN-001" in oversight["ruleIds"]
    assert orphans <= set(oversight["failingObjectIds"])
    assert {f["objectId"] for f in oversight["findings"] if f["ruleId"] == "OWN-001"} == orphans
    assert _by_id(coverage)["EUAIA-27"]["status"] == "NOT_ASSESSED"
    orphan = next(iter(seeded.orphaned_ids))
    pid = global_id("AIProcess", orphan)
    on_process = data(await gql(client, PROCESS, {"id": pid, "fw": "eu-ai-act"}, token=token))
    assert _by_id(on_process["node"]["frameworkCoverage"])["EUAIA-26.2"]["status"] == "NOT_MET"
    unknown = data(await gql(client, CLIENT, {"id": cid, "fw": "soc-2"}, token=token))
    assert unknown["node"]["frameworkCoverage"] is None


@pytest.fixture
async def counted(settings: Settings) -> AsyncIterator[tuple[str, StatementCounter]]:
    assert settings.database_url
    async with counter_for(settings.database_url) as wire:
        own = settings.model_copy(
            update={"database_url": through_proxy(settings.database_url, wire.port)}
        )
        async with serving(own) as url:
            yield url, wire


async def test_coverage_costs_the_same_statements_at_every_size(
    engine: AsyncEngine,
    make_tenant: TenantFactory,
    make_token: TokenFactory,
    counted: tuple[str, StatementCounter],
) -> None:
    tenant = await make_tenant()
    token = await make_token(tenant, "consultant")
    url, wire = counted
    seen = {}
    headers = {"authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(base_url=url, timeout=60) as http:
        for size in (3, 40):
            seeded = await seed_client(engine, tenant, processes=size, name=f"Client {size}")
            variables = {
                "id": global_id("ClientOrganisation", seeded.client_id),
                "fw": "nist-ai-rmf",
            }
            body = {"query": CLIENT, "variables": variables}
            for _ in range(2):  # warm-up: connections opened, statements prepared
                await http.post("/graphql", json=body, headers=headers)
            mark = wire.tally.mark()
            response = await http.post("/graphql", json=body, headers=headers)
            assert response.status_code == 200 and "errors" not in response.json()
            statements, _trips = wire.tally.since(mark)
            seen[size] = [kind(s) for s in statements]
    assert seen[3] == seen[40]
    # The token lookup, the node's row, then the readiness snapshot's fixed statements
    # (client row included); BEGIN, SET LOCAL ROLE and the end of the transaction.
    assert seen[3].count("data") == 2 + STATEMENTS
    assert seen[3].count("control") == 3


async def test_coverage_stays_within_the_tenant_and_the_client_organisation(
    client: httpx.AsyncClient,
    engine: AsyncEngine,
    make_tenant: TenantFactory,
    make_token: TokenFactory,
) -> None:
    tenant, other_tenant = await make_tenant(), await make_tenant()
    mine = await seed_client(engine, tenant, processes=3, name="Mine")
    theirs = await seed_client(engine, tenant, processes=3, name="Theirs")
    cid = global_id("ClientOrganisation", mine.client_id)
    pid = global_id("AIProcess", mine.process_ids[0])
    viewer = await make_token(tenant, "client_viewer", mine.client_id)
    stranger = await make_token(tenant, "client_viewer", theirs.client_id)
    outsider = await make_token(other_tenant, "admin")
    for query, id_ in ((CLIENT, cid), (PROCESS, pid)):
        variables = {"id": id_, "fw": "iso-iec-42001"}
        own = data(await gql(client, query, variables, token=viewer))["node"]
        assert own is not None and own["frameworkCoverage"]["requirements"]
        for token in (stranger, outsider):
            assert data(await gql(client, query, variables, token=token))["node"] is None
