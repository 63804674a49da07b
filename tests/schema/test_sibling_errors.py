"""An argument error in one field never breaks its siblings' database work.

graphql-core cancels the pending siblings of a field whose error nulls their
parent. Their statements, batched or not, must still finish on the operation's
connection: the answer is the validation error, in either order, never a 503,
and the connection goes back to the pool instead of being invalidated.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest
from sqlalchemy import event
from sqlalchemy.pool import Pool

from tests.conftest import TenantFactory, TokenFactory
from tests.support import gql

CREATE = """mutation {
  createClientOrganisation(input: {name: "Sibling Co"}) { clientOrganisation { id } }
}"""
NESTED = {
    "valid-first": """query($id: ID!) { node(id: $id) { ... on ClientOrganisation {
      a: processes(first: 10) { totalCount } x: processes(first: 200) { totalCount } } } }""",
    "invalid-first": """query($id: ID!) { node(id: $id) { ... on ClientOrganisation {
      x: processes(first: 200) { totalCount } a: processes(first: 10) { totalCount } } } }""",
}
TOP_LEVEL = """{ a: clientOrganisations(first: 10) { totalCount edges { node { name } } }
  x: clientOrganisations(first: 200) { totalCount } }"""
FIRST_ERROR = "`first` must be between 0 and 100"
ATTEMPTS = 5  # the race depends on timing: ask a few times


@contextmanager
def invalidations() -> Iterator[list[Any]]:
    """Connections any pool invalidated while the block runs (the served app's too)."""
    seen: list[Any] = []

    def record(dbapi_connection: Any, record: Any, exception: Any) -> None:
        seen.append(exception)

    event.listen(Pool, "invalidate", record)
    try:
        yield seen
    finally:
        event.remove(Pool, "invalidate", record)


async def _client_and_token(
    make_tenant: TenantFactory, make_token: TokenFactory, client: httpx.AsyncClient
) -> tuple[str, str]:
    token = await make_token(await make_tenant())
    created = await gql(client, CREATE, token=token)
    return created["data"]["createClientOrganisation"]["clientOrganisation"]["id"], token


@pytest.mark.parametrize("order", list(NESTED))
async def test_an_invalid_first_beside_a_nested_connection_is_a_validation_error(
    client: httpx.AsyncClient, make_tenant: TenantFactory, make_token: TokenFactory, order: str
) -> None:
    client_id, token = await _client_and_token(make_tenant, make_token, client)
    with invalidations() as invalidated:
        for _ in range(ATTEMPTS):
            body = await gql(client, NESTED[order], {"id": client_id}, token=token)
            assert body["data"] == {"node": None}
            assert [(e["message"], e["path"]) for e in body["errors"]] == [
                (FIRST_ERROR, ["node", "x"])
            ]
    assert invalidated == []


async def test_an_invalid_first_beside_a_top_level_connection_keeps_the_connection(
    client: httpx.AsyncClient, make_tenant: TenantFactory, make_token: TokenFactory
) -> None:
    _, token = await _client_and_token(make_tenant, make_token, client)
    with invalidations() as invalidated:
        for _ in range(ATTEMPTS):
            body = await gql(client, TOP_LEVEL, token=token)
            assert body["data"] is None
            assert [(e["message"], e["path"]) for e in body["errors"]] == [(FIRST_ERROR, ["x"])]
    assert invalidated == []
