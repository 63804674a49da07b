"""Property: walking a connection page by page, either way, yields every row once, in order."""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass
from typing import Any

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

CREATE = """mutation($name: String!) {
  createClientOrganisation(input: {name: $name}) { clientOrganisation { id } errors { code } }
}"""
PAGE = """query($first: Int, $after: String, $search: String, $dir: SortDirection!) {
  clientOrganisations(first: $first, after: $after, filter: {search: $search},
                      orderBy: {field: NAME, direction: $dir}) {
    totalCount edges { cursor node { id name } } pageInfo { hasNextPage endCursor }
  }
}"""
NAMES = st.lists(
    st.sampled_from(["Alpha", "Beta", "Gamma", "alpha", "Delta", "Ä", "Zulu"]), max_size=12
)


def _post(client: httpx.Client, token: str, query: str, variables: dict[str, Any]) -> Any:
    response = client.post(
        "/graphql",
        json={"query": query, "variables": variables},
        headers={"authorization": f"Bearer {token}"},
    )
    body = response.json()
    assert response.status_code == 200 and not body.get("errors"), body
    return body["data"]


PAGE_BACK = """query($last: Int, $before: String, $search: String, $dir: SortDirection!) {
  clientOrganisations(last: $last, before: $before, filter: {search: $search},
                      orderBy: {field: NAME, direction: $dir}) {
    totalCount edges { cursor node { id name } } pageInfo { hasPreviousPage startCursor }
  }
}"""


@dataclass(frozen=True)
class Way:
    """One way of walking a connection: its query, the page size and cursor arguments,
    and the pageInfo fields that say whether there is more and where it starts."""

    query: str
    size: str
    cursor: str
    more: str
    next_cursor: str
    backward: bool


FORWARD = Way(PAGE, "first", "after", "hasNextPage", "endCursor", backward=False)
BACKWARD = Way(PAGE_BACK, "last", "before", "hasPreviousPage", "startCursor", backward=True)


def _walk(
    client: httpx.Client, token: str, way: Way, size: int, search: dict[str, str], total: int
) -> list[str]:
    """Every id, page by page the given way, put in forward order."""
    pages: list[list[str]] = []
    at = None
    while True:
        variables = {way.size: size, way.cursor: at, **search}
        page = _post(client, token, way.query, variables)["clientOrganisations"]
        assert page["totalCount"] == total
        assert len(page["edges"]) <= size
        ids = [e["node"]["id"] for e in page["edges"]]
        if way.backward:  # pages come last first: turned round, they are the forward order
            pages.insert(0, ids)
        else:
            pages.append(ids)
        if not page["pageInfo"][way.more]:
            break
        at = page["pageInfo"][way.next_cursor]
    return [i for p in pages for i in p]


def _check(base_url: str, token: str, way: Way) -> None:
    @settings(
        max_examples=20, deadline=None, database=None, suppress_health_check=list(HealthCheck)
    )
    @given(names=NAMES, size=st.integers(min_value=1, max_value=5), descending=st.booleans())
    def walk(names: list[str], size: int, descending: bool) -> None:
        prefix = uuid.uuid4().hex[:8]
        search = {"search": prefix, "dir": "DESC" if descending else "ASC"}
        with httpx.Client(base_url=base_url, timeout=30) as client:
            made = [
                _post(client, token, CREATE, {"name": f"{prefix} {n}"})["createClientOrganisation"][
                    "clientOrganisation"
                ]["id"]
                for n in names
            ]
            seen = _walk(client, token, way, size, search, len(names))
            whole = _post(client, token, PAGE, {"first": 100, **search})["clientOrganisations"][
                "edges"
            ]
        assert sorted(seen) == sorted(made) and len(set(seen)) == len(seen)
        # Page by page is the same order as one page (the database's collation decides it).
        assert seen == [e["node"]["id"] for e in whole]

    walk()


async def test_keyset_pages_cover_every_row_once_in_order(base_url: str, token: str) -> None:
    await asyncio.to_thread(_check, base_url, token, FORWARD)


async def test_keyset_pages_backward_cover_every_row_once_in_order(
    base_url: str, token: str
) -> None:
    await asyncio.to_thread(_check, base_url, token, BACKWARD)
