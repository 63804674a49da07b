"""Every top-level error names a code a client can branch on, whichever path answers it."""

from __future__ import annotations

import httpx
import pytest

from tests.support import gql

BAD_CURSOR = "bm90IGEgY3Vyc29y"  # base64 of "not a cursor"
CASES = [
    ("{ clientOrganisations(first: 1000) { totalCount } }", "BAD_USER_INPUT"),
    (
        f'{{ clientOrganisations(first: 1, after: "{BAD_CURSOR}") {{ totalCount }} }}',
        "BAD_USER_INPUT",
    ),
    ("{ clientOrganisations(first: -1) { totalCount } }", "BAD_USER_INPUT"),
    ("{ clientOrganisations { totalCount ", "GRAPHQL_PARSE_FAILED"),
    ("{ noSuchField }", "GRAPHQL_VALIDATION_FAILED"),
    ("{ clientOrganisations(first: 1) { nope } }", "GRAPHQL_VALIDATION_FAILED"),
]


@pytest.mark.parametrize(("query", "code"), CASES)
async def test_top_level_errors_carry_a_code(
    client: httpx.AsyncClient, token: str, query: str, code: str
) -> None:
    response = await client.post(
        "/graphql",
        json={"query": query},
        headers={"authorization": f"Bearer {token}"},
    )
    errors = response.json()["errors"]
    assert errors, response.text
    assert [e.get("extensions", {}).get("code") for e in errors] == [code] * len(errors), errors


async def test_an_operation_without_errors_gets_no_codes(
    client: httpx.AsyncClient, token: str
) -> None:
    body = await gql(client, "{ clientOrganisations(first: 1) { totalCount } }", token=token)
    assert "errors" not in body
