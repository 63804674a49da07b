"""setProcessRegulatoryProfile and chooseClientFrameworks over real HTTP and PostgreSQL.

Who may run them (staff writers only) is held by tests/security/test_permission_matrix.py,
which walks every mutation; cross-tenant ids by tests/security/test_isolation.py."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.conftest import TenantFactory, TokenFactory
from tests.schema.support import World, audit_rows, errors_of, mutate, seed
from tests.support import data, gql

SET = """mutation($input: SetProcessRegulatoryProfileInput!) {
  setProcessRegulatoryProfile(input: $input) {
    regulatoryProfile { clientRole euAiActClass annexIiiArea reason version }
    errors { field code message }
  }
}"""
READ = """query($id: ID!) { node(id: $id) { ... on AIProcess {
  regulatoryProfile { clientRole euAiActClass annexIiiArea reason version } } } }"""
CHOOSE = """mutation($input: ChooseClientFrameworksInput!) {
  chooseClientFrameworks(input: $input) { frameworkIds errors { field code message } }
}"""


@pytest.fixture
async def world(engine: AsyncEngine, make_tenant: TenantFactory, make_token: TokenFactory) -> World:
    """A tenant with clients and processes, and an admin token (tests/schema/support.py)."""
    return await seed(engine, make_tenant, make_token)


async def _set(client: httpx.AsyncClient, token: str, **input: Any) -> dict[str, Any]:
    return await mutate(client, token, SET, "setProcessRegulatoryProfile", **input)


async def _choose(client: httpx.AsyncClient, world: World, *framework_ids: str) -> dict[str, Any]:
    return await mutate(
        client,
        world.token,
        CHOOSE,
        "chooseClientFrameworks",
        clientOrganisationId=world.client,
        frameworkIds=list(framework_ids),
    )


async def test_profile_is_created_versioned_and_audited(
    client: httpx.AsyncClient, engine: AsyncEngine, world: World
) -> None:
    first = await _set(
        client,
        world.token,
        processId=world.processes[0],
        version=None,
        clientRole="DEPLOYER",
        euAiActClass="HIGH_RISK",
        annexIiiArea="ESSENTIAL_SERVICES",
        reason="Assesses claims of natural persons for insurance (Annex III 5(c)).",
    )
    assert first["errors"] == []
    profile = first["regulatoryProfile"]
    assert profile["annexIiiArea"] == "ESSENTIAL_SERVICES"
    second = await _set(
        client,
        world.token,
        processId=world.processes[0],
        version=profile["version"],
        clientRole="BOTH",
        euAiActClass="MINIMAL",
        reason="Re-scoped: no decisions about persons.",
    )
    assert (
        second["errors"] == [] and second["regulatoryProfile"]["version"] == profile["version"] + 1
    )
    stale = await _set(
        client,
        world.token,
        processId=world.processes[0],
        version=profile["version"],
        clientRole="DEPLOYER",
        euAiActClass="MINIMAL",
        reason="x",
    )
    assert errors_of(stale) == {"version": "CONFLICT"} and stale["regulatoryProfile"] is None
    read = data(await gql(client, READ, {"id": world.processes[0]}, token=world.token))["node"]
    assert read["regulatoryProfile"] == {
        "clientRole": "BOTH",
        "euAiActClass": "MINIMAL",
        "annexIiiArea": None,
        "reason": "Re-scoped: no decisions about persons.",
        "version": profile["version"] + 1,
    }
    unclassified = data(await gql(client, READ, {"id": world.processes[1]}, token=world.token))[
        "node"
    ]
    assert unclassified["regulatoryProfile"] is None
    trail = await audit_rows(engine, world.tenant, "ProcessRegulatoryProfile")
    assert [a for a, _, _ in trail] == ["create", "update"]
    assert trail[1][1] is not None and trail[1][1]["euAiActClass"] == "HIGH_RISK"
    assert trail[1][1]["annexIiiArea"] is not None and trail[1][2] is not None
    assert trail[1][2]["annexIiiArea"] is None


async def test_profile_errors_name_the_field_and_write_nothing(
    client: httpx.AsyncClient, engine: AsyncEngine, world: World
) -> None:
    base = {"processId": world.processes[1], "version": None, "clientRole": "PROVIDER"}
    no_area = await _set(client, world.token, **base, euAiActClass="HIGH_RISK", reason="r")
    assert errors_of(no_area) == {"annexIiiArea": "VALIDATION"}
    stray = await _set(
        client,
        world.token,
        **base,
        euAiActClass="TRANSPARENCY",
        annexIiiArea="EDUCATION",
        reason=" ",
    )
    assert errors_of(stray) == {"annexIiiArea": "VALIDATION", "reason": "VALIDATION"}
    assert await audit_rows(engine, world.tenant, "ProcessRegulatoryProfile") == []


CHOSEN = "query($ids: [ID!]!) { nodes(ids: $ids) { ... on ClientOrganisation { frameworks } } }"


async def test_client_frameworks_are_replaced_as_a_set_and_unknown_ids_refused(
    client: httpx.AsyncClient, engine: AsyncEngine, world: World
) -> None:
    ok = await _choose(client, world, "eu-ai-act", "iso-iec-42001")
    assert ok == {"frameworkIds": ["eu-ai-act", "iso-iec-42001"], "errors": []}
    again = await _choose(client, world, "nist-ai-rmf", "iso-iec-42001")
    assert again["frameworkIds"] == ["iso-iec-42001", "nist-ai-rmf"]
    chosen = data(
        await gql(client, CHOSEN, {"ids": [world.client, world.other_client]}, token=world.token)
    )
    assert [n["frameworks"] for n in chosen["nodes"]] == [["iso-iec-42001", "nist-ai-rmf"], []]
    bad = await _choose(client, world, "nist-ai-rmf", "soc-2")
    assert errors_of(bad) == {"frameworkIds[1]": "VALIDATION"} and bad["frameworkIds"] is None
    trail = await audit_rows(engine, world.tenant, "ClientFramework")
    assert sorted((a, (b or c or {}).get("frameworkId")) for a, b, c in trail) == [
        ("create", "eu-ai-act"),
        ("create", "iso-iec-42001"),
        ("create", "nist-ai-rmf"),
        ("delete", "eu-ai-act"),
    ]
