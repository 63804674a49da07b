"""Statements and round trips of a compiled read, counted on the PostgreSQL wire.

A TCP proxy in front of PostgreSQL sees every message Steward sends, whichever
library sends it (the compiled path talks to asyncpg directly). A process map
(workload W1: processes, their accountable owners, their latest assessments and
scores) costs the same at every list size: the credential lookup, the role
binding, one data statement per root field, and the end of the transaction.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from schema.ids import global_id
from server.settings import Settings
from tenants.registry import TenantRef
from tests.benchmarks.read_floor import W1_QUERY
from tests.benchmarks.read_seed import seed_client
from tests.support import serving
from tests.wire import StatementCounter, counter_for, kind, through_proxy

TWO_ROOTS = (
    "query { a: clientOrganisations(first: 1) { totalCount }"
    " b: clientOrganisations(first: 2) { edges { node { name } } } }"
)


@pytest.fixture
async def counted(settings: Settings) -> AsyncIterator[tuple[str, StatementCounter]]:
    assert settings.database_url
    async with counter_for(settings.database_url) as wire:
        own = settings.model_copy(
            update={
                "database_url": through_proxy(settings.database_url, wire.port),
                "read_path": "compiled",
            }
        )
        async with serving(own) as url:
            yield url, wire


async def _count(
    client: httpx.AsyncClient, wire: StatementCounter, body: dict[str, object], token: str
) -> tuple[list[str], int]:
    headers = {"authorization": f"Bearer {token}"}
    for _ in range(2):  # warm-up: connections opened, statements prepared
        await client.post("/graphql", json=body, headers=headers)
    mark = wire.tally.mark()
    response = await client.post("/graphql", json=body, headers=headers)
    assert response.status_code == 200 and "errors" not in response.json()
    return wire.tally.since(mark)


async def test_a_process_map_costs_the_same_statements_at_every_size(
    engine: AsyncEngine, tenant: TenantRef, token: str, counted: tuple[str, StatementCounter]
) -> None:
    url, wire = counted
    seen = {}
    async with httpx.AsyncClient(base_url=url, timeout=30) as client:
        for size in (2, 12):
            seeded = await seed_client(
                engine,
                tenant,
                name=f"Map {size}",
                processes=size,
                today=date.today(),
                rows={},
                owners_per_client=3,
                assessments_per_owner=2,
            )
            variables = {"id": global_id("ClientOrganisation", seeded.client_id), "first": 50}
            statements, trips = await _count(
                client, wire, {"query": W1_QUERY, "variables": variables}, token
            )
            seen[size] = ([kind(s) for s in statements], trips)
    small, large = seen[2], seen[12]
    assert small == large
    kinds, trips = small
    # The token lookup and the one statement of the root field; BEGIN, SET LOCAL ROLE
    # (one round trip) and the ROLLBACK of the read-only transaction.
    assert kinds.count("data") == 2
    assert kinds.count("control") == 3
    assert trips == 4


async def test_each_root_field_is_one_statement(
    token: str, counted: tuple[str, StatementCounter]
) -> None:
    url, wire = counted
    async with httpx.AsyncClient(base_url=url, timeout=30) as client:
        statements, trips = await _count(client, wire, {"query": TWO_ROOTS}, token)
    kinds = [kind(s) for s in statements]
    assert kinds.count("data") == 3  # the token lookup, then one per root field
    assert trips == 5
