"""Property: walking a connection page by page, either way, yields every row once, in order."""

from __future__ import annotations

import asyncio
import uuid
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


def _check(base_url: str, token: str) -> None:
    @settings(
        max_examples=20, deadline=None, database=None, suppress_health_check=list(HealthCheck)
    )
    @given(names=NAMES, size=st.integers(min_value=1, max_value=5), descending=st.booleans())
    def walk(names: list[str], size: int, descending: bool) -> None:
        prefix = uuid.uuid4().hex[:8]
        with httpx.Client(base_url=base_url, timeout=30) as client:
            made = [
                _post(client, token, CREATE, {"name": f"{prefix} {n}"})["createClientOrganisation"][
                    "clientOrganisation"
                ]["id"]
                for n in names
            ]
            seen: list[str] = []
            after = None
            while True:
                variables = {
                    "first": size,
                    "after": after,
                    "search": prefix,
                    "dir": "DESC" if descending else "ASC",
                }
                page = _post(client, token, PAGE, variables)["clientOrganisations"]
                assert page["totalCount"] == len(names)
                assert len(page["edges"]) <= size
                seen += [e["node"]["id"] for e in page["edges"]]
                if not page["pageInfo"]["hasNextPage"]:
                    break
                after = page["pageInfo"]["endCursor"]
            whole = _post(
                client,
                token,
                PAGE,
                {"first": 100, "search": prefix, "dir": "DESC" if descending else "ASC"},
            )["clientOrganisations"]["edges"]
        assert sorted(seen) == sorted(made) and len(set(seen)) == len(seen)
        # Page by page is the same order as one page (the database's collation decides it).
        assert seen == [e["node"]["id"] for e in whole]

    walk()


async def test_keyset_pages_cover_every_row_once_in_order(base_url: str, token: str) -> None:
    await asyncio.to_thread(_check, base_url, token)


PAGE_BACK = """query($last: Int, $before: String, $search: String, $dir: SortDirection!) {
  clientOrganisations(last: $last, before: $before, filter: {search: $search},
                      orderBy: {field: NAME, direction: $dir}) {
    totalCount edges { cursor node { id name } } pageInfo { hasPreviousPage startCursor }
  }
}"""


def _check_backward(base_url: str, token: str) -> None:
    @settings(
        max_examples=20, deadline=None, database=None, suppress_health_check=list(HealthCheck)
    )
    @given(names=NAMES, size=st.integers(min_value=1, max_value=5), descending=st.booleans())
    def walk(names: list[str], size: int, descending: bool) -> None:
        prefix = uuid.uuid4().hex[:8]
        direction = "DESC" if descending else "ASC"
        with httpx.Client(base_url=base_url, timeout=30) as client:
            made = [
                _post(client, token, CREATE, {"name": f"{prefix} {n}"})["createClientOrganisation"][
                    "clientOrganisation"
                ]["id"]
                for n in names
            ]
            pages: list[list[str]] = []
            before = None
            while True:
                variables = {"last": size, "before": before, "search": prefix, "dir": direction}
                page = _post(client, token, PAGE_BACK, variables)["clientOrganisations"]
                assert page["totalCount"] == len(names)
                assert len(page["edges"]) <= size
                pages.insert(0, [e["node"]["id"] for e in page["edges"]])
                if not page["pageInfo"]["hasPreviousPage"]:
                    break
                before = page["pageInfo"]["startCursor"]
            whole = _post(client, token, PAGE, {"first": 100, "search": prefix, "dir": direction})[
                "clientOrganisations"
            ]["edges"]
        seen = [i for p in pages for i in p]
        assert sorted(seen) == sorted(made) and len(set(seen)) == len(seen)
        # Backward page by page, turned round, is the forward order.
        assert seen == [e["node"]["id"] for e in whole]

    walk()


async def test_keyset_pages_backward_cover_every_row_once_in_order(
    base_url: str, token: str
) -> None:
    await asyncio.to_thread(_check_backward, base_url, token)
