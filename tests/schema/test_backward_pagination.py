"""Backward pagination (`last`/`before`) on connections, with Relay's pageInfo semantics.

Walking a connection backward page by page from its end yields every row exactly
once, in the order a forward walk gives; both read paths answer (the suite compares
them on every query), root lists, nested lists and a list through a join table alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from schema.ids import global_id
from tenants import models as m
from tenants.registry import TenantRef
from tenants.session import tenant_session
from tests.schema.support import demo_tenant, issue_secret
from tests.support import data, gql

SELECTION = (
    "totalCount edges { cursor node { id } } "
    "pageInfo { hasNextPage hasPreviousPage startCursor endCursor }"
)


@dataclass
class Seeded:
    tenant: TenantRef
    token: str
    client_id: str  # the demo client with the most processes
    process_id: str  # a process covered by several vendor agreements


@pytest.fixture(scope="module")
async def seeded(engine: AsyncEngine) -> Seeded:
    tenant = await demo_tenant(engine, "back", "Backward")
    token = await issue_secret(engine, tenant, "admin", "pager")
    for i in range(4):  # a few more tokens, for apiTokens
        await issue_secret(engine, tenant, "viewer", f"extra {i}")
    async with tenant_session(engine, tenant) as s:
        client = await s.scalar(
            select(m.AIProcess.client_id)
            .group_by(m.AIProcess.client_id)
            .order_by(func.count().desc(), m.AIProcess.client_id)
            .limit(1)
        )
        link = m.VendorAgreementProcess
        process = await s.scalar(
            select(link.process_id)
            .group_by(link.process_id)
            .order_by(func.count().desc(), link.process_id)
            .limit(1)
        )
        assert client is not None and process is not None
        # The demo covers a process by one agreement at most: let all its client's cover it.
        of_process = select(m.AIProcess.client_id).where(m.AIProcess.id == process)
        owner_client = await s.scalar(of_process)
        covering = select(link.agreement_id).where(link.process_id == process)
        for agreement in await s.scalars(
            select(m.VendorAgreement.id).where(
                m.VendorAgreement.client_id == owner_client, m.VendorAgreement.id.not_in(covering)
            )
        ):
            s.add(link(agreement_id=agreement, process_id=process))
    return Seeded(
        tenant, token, global_id("ClientOrganisation", client), global_id("AIProcess", process)
    )


# (document with {args} where the connection's arguments go, path to the connection)
CONNECTIONS: dict[str, tuple[str, tuple[str, ...]]] = {
    "root": ("{{ clientOrganisations({args}) {{ {sel} }} }}", ("clientOrganisations",)),
    "nested": (
        '{{ node(id: "{client}") {{ ... on ClientOrganisation {{ '
        "processes({args}, filter: {{includeArchived: true}}) {{ {sel} }} }} }} }}",
        ("node", "processes"),
    ),
    "nested-descending": (
        '{{ node(id: "{client}") {{ ... on ClientOrganisation {{ '
        "processes({args}, orderBy: {{field: NAME, direction: DESC}}) {{ {sel} }} }} }} }}",
        ("node", "processes"),
    ),
    "join-table": (
        '{{ node(id: "{process}") {{ ... on AIProcess {{ vendorAgreements({args}) {{ {sel} }} '
        "}} }} }}",
        ("node", "vendorAgreements"),
    ),
    "tokens": ("{{ apiTokens({args}) {{ {sel} }} }}", ("apiTokens",)),
}


def _args(**given: Any) -> str:
    parts = [f'{k}: "{v}"' if isinstance(v, str) else f"{k}: {v}" for k, v in given.items()]
    return ", ".join(parts) or "first: 20"


async def _page(
    client: httpx.AsyncClient, seeded: Seeded, kind: str, **given: Any
) -> dict[str, Any]:
    template, path = CONNECTIONS[kind]
    query = template.format(
        args=_args(**given), sel=SELECTION, client=seeded.client_id, process=seeded.process_id
    )
    value: Any = data(await gql(client, query, token=seeded.token))
    for key in path:
        value = value[key]
    assert isinstance(value, dict)
    return value


def _ids(page: dict[str, Any]) -> list[str]:
    return [e["node"]["id"] for e in page["edges"]]


@pytest.mark.parametrize("size", [1, 2, 3])
@pytest.mark.parametrize("kind", sorted(CONNECTIONS))
async def test_walking_backward_from_the_end_yields_the_forward_order(
    client: httpx.AsyncClient, seeded: Seeded, kind: str, size: int
) -> None:
    whole = await _page(client, seeded, kind, first=100)
    assert whole["totalCount"] >= 2, "seed more rows for this connection"
    pages: list[list[str]] = []
    before = None
    while True:
        given = {"before": before} if before else {}
        page = await _page(client, seeded, kind, last=size, **given)
        assert page["totalCount"] == whole["totalCount"]
        assert 0 < len(page["edges"]) <= size
        # Relay: with `last`, hasNextPage says whether rows follow `before`.
        assert page["pageInfo"]["hasNextPage"] is (before is not None)
        assert page["pageInfo"]["startCursor"] == page["edges"][0]["cursor"]
        assert page["pageInfo"]["endCursor"] == page["edges"][-1]["cursor"]
        pages.insert(0, _ids(page))
        if not page["pageInfo"]["hasPreviousPage"]:
            break
        before = page["pageInfo"]["startCursor"]
    assert [i for p in pages for i in p] == _ids(whole)
    assert len(pages) == -(-whole["totalCount"] // size)


@pytest.mark.parametrize("kind", sorted(CONNECTIONS))
async def test_last_alone_is_the_end_of_the_list(
    client: httpx.AsyncClient, seeded: Seeded, kind: str
) -> None:
    whole = _ids(await _page(client, seeded, kind, first=100))
    page = await _page(client, seeded, kind, last=2)
    assert _ids(page) == whole[-2:]
    assert page["pageInfo"]["hasPreviousPage"] is (len(whole) > 2)
    assert page["pageInfo"]["hasNextPage"] is False
    everything = await _page(client, seeded, kind, last=100)
    assert _ids(everything) == whole
    assert everything["pageInfo"]["hasPreviousPage"] is False


@pytest.mark.parametrize("kind", sorted(CONNECTIONS))
async def test_after_and_before_together_bound_the_page_on_both_sides(
    client: httpx.AsyncClient, seeded: Seeded, kind: str
) -> None:
    whole = await _page(client, seeded, kind, first=100)
    if whole["totalCount"] < 3:
        pytest.fail("the seed has fewer than three rows here")
    cursors = [e["cursor"] for e in whole["edges"]]
    ids = _ids(whole)
    after, before = cursors[0], cursors[-1]
    forward = await _page(client, seeded, kind, first=100, after=after, before=before)
    backward = await _page(client, seeded, kind, last=100, after=after, before=before)
    assert _ids(forward) == _ids(backward) == ids[1:-1]
    assert forward["pageInfo"]["hasPreviousPage"] is True  # after a row's cursor
    assert backward["pageInfo"]["hasNextPage"] is True  # before a row's cursor


@pytest.mark.parametrize("kind", sorted(CONNECTIONS))
async def test_first_with_last_and_out_of_range_last_are_errors_naming_the_argument(
    client: httpx.AsyncClient, seeded: Seeded, kind: str
) -> None:
    template, _ = CONNECTIONS[kind]
    cases = {
        "first: 2, last: 2": "`first` and `last` cannot be combined",
        "last: 101": "`last` must be between 0 and 100",
        "last: -1": "`last` must be between 0 and 100",
        'last: 2, before: "bm90IGEgY3Vyc29y"': "invalid cursor: `before`",
    }
    for args, message in cases.items():
        query = template.format(
            args=args, sel=SELECTION, client=seeded.client_id, process=seeded.process_id
        )
        body = await gql(client, query, token=seeded.token)
        assert body["errors"] and message in body["errors"][0]["message"], (args, body)
        assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_last_zero_is_an_empty_page_that_says_what_came_before(
    client: httpx.AsyncClient, seeded: Seeded
) -> None:
    page = await _page(client, seeded, "root", last=0)
    assert page["edges"] == [] and page["totalCount"] == 3
    assert page["pageInfo"] == {
        "hasNextPage": False,
        "hasPreviousPage": True,
        "startCursor": None,
        "endCursor": None,
    }


def test_every_connection_field_of_the_schema_takes_last_and_before() -> None:
    from graphql import GraphQLObjectType, get_named_type

    from tests.security.schema_walk import GRAPHQL

    missing = []
    for gtype in GRAPHQL.type_map.values():
        if not isinstance(gtype, GraphQLObjectType) or gtype.name.startswith("__"):
            continue
        for name, field in gtype.fields.items():
            if get_named_type(field.type).name.endswith("Connection"):
                args = field.args
                if not {"first", "after", "last", "before"} <= set(args):
                    missing.append(f"{gtype.name}.{name}")
                elif any(args[a].description is None for a in ("first", "after", "last")):
                    missing.append(f"{gtype.name}.{name} (undocumented)")
    assert missing == []


SIBLINGS = """query($last: Int!) { clientOrganisations(first: 100) { edges { node {
  id
  all: processes(first: 100, filter: {includeArchived: true}) { edges { node { id } } }
  tail: processes(last: $last, filter: {includeArchived: true}) {
    edges { node { id } } pageInfo { hasPreviousPage hasNextPage }
  }
} } } }"""


@pytest.mark.parametrize("size", [1, 4])
async def test_a_backward_page_of_each_sibling_is_that_siblings_own_end(
    client: httpx.AsyncClient, seeded: Seeded, size: int
) -> None:
    # Sibling connections are loaded in one statement (row_number per parent): each
    # parent's backward page must be its own last rows, in forward order.
    body = data(await gql(client, SIBLINGS, {"last": size}, token=seeded.token))
    clients = body["clientOrganisations"]["edges"]
    assert len(clients) == 3
    for edge in clients:
        whole = [e["node"]["id"] for e in edge["node"]["all"]["edges"]]
        tail = edge["node"]["tail"]
        assert [e["node"]["id"] for e in tail["edges"]] == whole[-size:]
        assert tail["pageInfo"] == {"hasPreviousPage": len(whole) > size, "hasNextPage": False}
