"""Hostile documents are refused with a clear error before any resolver or SQL runs."""

from __future__ import annotations

import httpx
import pytest

from tests.support import count_statements, gql, post_raw


async def refused(client: httpx.AsyncClient, token: str, query: str, needle: str) -> None:
    """The document is refused, the message says why, and no tenant SQL ran."""
    with count_statements() as counter:
        body = await gql(client, query, token=token)
    assert body.get("data") is None, body
    messages = [e["message"].lower() for e in body["errors"]]
    assert any(needle in m for m in messages), messages
    # Only the token lookup may touch the database; nothing is bound to a tenant.
    assert not any("SET LOCAL ROLE" in s for s in counter.statements)


async def test_101_aliases(client: httpx.AsyncClient, token: str) -> None:
    query = "{" + " ".join(f"a{i}: viewer {{ name }}" for i in range(101)) + "}"
    await refused(client, token, query, "aliases")


async def test_aliases_hidden_in_a_fragment_spread_many_times(
    client: httpx.AsyncClient, token: str
) -> None:
    fragment = (
        "fragment F on Query { " + " ".join(f"a{i}: viewer {{ name }}" for i in range(12)) + " }"
    )
    query = fragment + " query { ...F ... on Query { ...F ...F } }"
    await refused(client, token, query, "aliases")


async def test_500_duplicated_fields(client: httpx.AsyncClient, token: str) -> None:
    await refused(client, token, "{ viewer { " + "name " * 500 + "} }", "selected 500 times")


async def test_a_fragment_spread_into_many_fields(client: httpx.AsyncClient, token: str) -> None:
    fragment = "fragment V on Viewer { name role kind }"
    # A legitimate use of fragments stays allowed...
    body = await gql(client, fragment + " query { viewer { ...V ...V } }", token=token)
    assert "errors" not in body and body["data"]["viewer"]["name"]
    # ...while spreads that amplify past the field budget (no aliases, few tokens) are not.
    amplified = fragment + " query { viewer { " + "...V " * 200 + "} }"
    await refused(client, token, amplified, "at most 500 allowed")


async def test_directive_flood(client: httpx.AsyncClient, token: str) -> None:
    await refused(
        client, token, "{ viewer { name " + "@include(if: true) " * 100 + "} }", "only be used once"
    )


async def test_circular_fragments(client: httpx.AsyncClient, token: str) -> None:
    query = "fragment A on Query { ...B } fragment B on Query { ...A } query { ...A }"
    await refused(client, token, query, "cannot spread fragment")


async def test_deep_nesting(client: httpx.AsyncClient, token: str) -> None:
    selection = "name"
    for _ in range(7):
        selection = f"processes {{ edges {{ node {{ clientOrganisation {{ {selection} }} }} }} }}"
    await refused(
        client,
        token,
        f"{{ clientOrganisations {{ edges {{ node {{ {selection} }} }} }} }}",
        "depth",
    )


async def test_form_encoded_posts_are_refused(client: httpx.AsyncClient, token: str) -> None:
    response = await client.post(
        "/graphql",
        content="query=%7B+viewer+%7B+name+%7D+%7D",
        headers={
            "authorization": f"Bearer {token}",
            "content-type": "application/x-www-form-urlencoded",
        },
    )
    assert response.status_code in (400, 415)
    assert '"data"' not in response.text or '"data":null' in response.text.replace(" ", "")


async def test_multipart_posts_are_refused(client: httpx.AsyncClient, token: str) -> None:
    response = await client.post(
        "/graphql",
        files={"operations": (None, '{"query": "{ viewer { name } }"}'), "map": (None, "{}")},
        headers={"authorization": f"Bearer {token}"},
    )
    assert response.status_code in (400, 415)


@pytest.mark.parametrize("body", ['"{ viewer { name } }"', "42", "null", "[1, 2]", "{"])
async def test_a_json_body_that_is_not_an_operation_is_a_400(
    client: httpx.AsyncClient, token: str, body: str
) -> None:
    response = await post_raw(client, body, token=token)
    assert response.status_code == 400
