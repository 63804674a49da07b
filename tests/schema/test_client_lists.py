"""Client- and tenant-wide lists: incidents, KPIs, reviews and milestones of the demo engagement.

`ClientOrganisation.<list>` and the root `<list>(clientOrganisationId:)` hold exactly
the rows of the client's processes (plans), in the per-process list's order, for
both read paths; a client principal sees only its own organisation's.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from schema.ids import global_id
from tenants import models as m
from tenants.registry import TenantRef
from tenants.session import tenant_session
from tests.schema.support import demo_tenant, issue_secret
from tests.support import data, gql


@dataclass
class Demo:
    tenant: TenantRef
    admin: str
    clients: list[uuid.UUID]
    viewer: str  # a client viewer of clients[0]


@pytest.fixture(scope="module")
async def demo(engine: AsyncEngine) -> Demo:
    tenant = await demo_tenant(engine, "lists", "Lists")
    async with tenant_session(engine, tenant) as s:
        clients = list(
            await s.scalars(select(m.ClientOrganisation.id).order_by(m.ClientOrganisation.name))
        )
    admin = await issue_secret(engine, tenant, "admin", "a")
    viewer = await issue_secret(
        engine, tenant, "client_viewer", "v", client_organisation_id=clients[0]
    )
    return Demo(tenant, admin, clients, viewer)


Order = Callable[[Any], tuple[Any, ...]]


def newest(column: str) -> Order:
    """Newest `column` first, the id breaking ties the same way."""
    return lambda row: (getattr(row, column).desc(), row.id.desc())


def oldest(column: str) -> Order:
    """Oldest `column` first, then by id."""
    return lambda row: (getattr(row, column), row.id)


# What each list holds and in which order, as the lists' queries should have it: the
# row's model, the parent that belongs to the client, the row's link to it, the order.
LISTS: dict[str, tuple[Any, Any, str, Order]] = {
    "incidents": (m.Incident, m.AIProcess, "process_id", newest("occurred_at")),
    "kpis": (m.ProcessKpi, m.AIProcess, "process_id", oldest("created_at")),
    "reviews": (m.ProcessReview, m.AIProcess, "process_id", newest("reviewed_on")),
    "milestones": (m.Milestone, m.ChangePlan, "plan_id", oldest("created_at")),
}


def _expected(kind: str, client: uuid.UUID) -> Any:
    """The rows the list must hold, in its order, written out in SQL by hand."""
    row, parent, link, order = LISTS[kind]
    return (
        select(row.id)
        .join(parent, parent.id == getattr(row, link))
        .where(parent.client_id == client)
        .order_by(*order(row))
    )


NODE_TYPES = {
    "incidents": "Incident",
    "kpis": "ProcessKpi",
    "reviews": "ProcessReview",
    "milestones": "Milestone",
}
CLIENT_LIST = (
    "query($id: ID!) {{ node(id: $id) {{ ... on ClientOrganisation {{ {kind}(first: 100) "
    "{{ totalCount edges {{ node {{ id }} }} }} }} }} }}"
)
ROOT_LIST = (
    "query($id: ID) {{ {kind}(clientOrganisationId: $id, first: 100) "
    "{{ totalCount edges {{ node {{ id }} }} }} }}"
)


def _ids(connection: dict[str, Any]) -> list[str]:
    assert connection["totalCount"] == len(connection["edges"])  # < 100 rows in the demo
    return [e["node"]["id"] for e in connection["edges"]]


@pytest.mark.parametrize("kind", sorted(NODE_TYPES))
async def test_client_and_root_lists_hold_the_clients_rows_in_the_lists_order(
    client: httpx.AsyncClient, engine: AsyncEngine, demo: Demo, kind: str
) -> None:
    everyone: set[str] = set()
    for client_id in demo.clients:
        async with tenant_session(engine, demo.tenant) as s:
            rows = list(await s.scalars(_expected(kind, client_id)))
        expected = [global_id(NODE_TYPES[kind], r) for r in rows]
        cid = global_id("ClientOrganisation", client_id)
        on_client = data(
            await gql(client, CLIENT_LIST.format(kind=kind), {"id": cid}, token=demo.admin)
        )["node"][kind]
        at_root = data(
            await gql(client, ROOT_LIST.format(kind=kind), {"id": cid}, token=demo.admin)
        )[kind]
        assert _ids(on_client) == _ids(at_root) == expected
        everyone |= set(expected)
    assert everyone, f"the demo has no {kind}"
    tenant_wide = data(await gql(client, ROOT_LIST.format(kind=kind), token=demo.admin))[kind]
    assert set(_ids(tenant_wide)) == everyone


@pytest.mark.parametrize("kind", sorted(NODE_TYPES))
async def test_a_client_principal_sees_only_its_organisations_rows(
    client: httpx.AsyncClient, demo: Demo, kind: str
) -> None:
    own, other = (global_id("ClientOrganisation", c) for c in demo.clients[:2])
    mine = data(await gql(client, ROOT_LIST.format(kind=kind), {"id": own}, token=demo.admin))
    query = ROOT_LIST.format(kind=kind)
    assert data(await gql(client, query, token=demo.viewer)) == mine
    assert data(await gql(client, query, {"id": own}, token=demo.viewer)) == mine
    foreign = data(await gql(client, query, {"id": other}, token=demo.viewer))
    absent = global_id("ClientOrganisation", uuid.uuid4())
    missing = data(await gql(client, query, {"id": absent}, token=demo.viewer))
    assert foreign == missing == {kind: {"totalCount": 0, "edges": []}}
    node = await gql(client, CLIENT_LIST.format(kind=kind), {"id": other}, token=demo.viewer)
    assert data(node) == {"node": None}


@pytest.mark.parametrize("kind", sorted(NODE_TYPES))
async def test_a_client_organisation_id_of_another_type_is_an_error_naming_the_argument(
    client: httpx.AsyncClient, demo: Demo, kind: str
) -> None:
    wrong = global_id("AIProcess", uuid.uuid4())
    body = await gql(client, ROOT_LIST.format(kind=kind), {"id": wrong}, token=demo.admin)
    assert body["data"] is None
    assert (
        "`clientOrganisationId` must be the id of a ClientOrganisation"
        in (body["errors"][0]["message"])
    )


INCIDENTS = """query($id: ID!, $filter: IncidentFilter) {
  incidents(clientOrganisationId: $id, first: 100, filter: $filter) {
    edges { node { id status severity } }
  }
  node(id: $id) { ... on ClientOrganisation {
    incidents(first: 100, filter: $filter) { edges { node { id status severity } } }
  } }
}"""


async def test_the_incident_filter_narrows_both_incident_lists_alike(
    client: httpx.AsyncClient, demo: Demo
) -> None:
    cid = global_id("ClientOrganisation", demo.clients[0])
    every = data(await gql(client, INCIDENTS, {"id": cid}, token=demo.admin))
    statuses = {e["node"]["status"] for e in every["incidents"]["edges"]}
    assert len(statuses) >= 2, "the demo client should have incidents of several statuses"
    status = sorted(statuses)[0]
    narrowed = data(
        await gql(client, INCIDENTS, {"id": cid, "filter": {"status": [status]}}, token=demo.admin)
    )
    root = narrowed["incidents"]["edges"]
    assert root == narrowed["node"]["incidents"]["edges"]
    assert root and {e["node"]["status"] for e in root} == {status}
    assert [e for e in every["incidents"]["edges"] if e["node"]["status"] == status] == root
