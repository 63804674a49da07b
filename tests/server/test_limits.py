"""Hostile or malformed requests are refused before resolvers run."""

import httpx

from schema import build_schema
from schema.limits import SchemaLimits
from tests.support import gql, post_raw


async def test_too_many_aliases_are_refused(client: httpx.AsyncClient, token: str) -> None:
    query = "{" + " ".join(f"a{i}: viewer {{ name }}" for i in range(31)) + "}"
    body = await gql(client, query, token=token)
    assert "aliases" in body["errors"][0]["message"].lower()
    assert body.get("data") is None


async def test_too_many_tokens_are_refused(client: httpx.AsyncClient, token: str) -> None:
    query = "{ viewer { " + " ".join(["name"] * 3001) + " } }"
    body = await gql(client, query, token=token)
    assert "token" in body["errors"][0]["message"].lower()


async def test_circular_introspection_is_refused_even_where_introspection_is_on() -> None:
    schema = build_schema(SchemaLimits(introspection=True))
    selection = "name"
    for _ in range(6):
        selection = f"fields {{ type {{ {selection} }} }}"
    result = await schema.execute(f"{{ __schema {{ types {{ {selection} }} }} }}")
    assert result.errors is not None
    assert "maximum introspection depth" in result.errors[0].message.lower()
    assert result.data is None


async def test_introspection_is_refused_outside_development(
    client: httpx.AsyncClient, token: str
) -> None:
    body = await gql(client, "{ __schema { queryType { name } } }", token=token)
    assert "introspection" in body["errors"][0]["message"].lower()
    assert body.get("data") is None


async def test_field_suggestions_are_not_given_outside_development(
    client: httpx.AsyncClient, token: str
) -> None:
    body = await gql(client, "{ viewr { name } }", token=token)
    message = body["errors"][0]["message"]
    assert "viewr" in message and "Did you mean" not in message


async def test_batched_requests_are_refused(client: httpx.AsyncClient, token: str) -> None:
    response = await client.post(
        "/graphql",
        json=[{"query": "{ viewer { name } }"}, {"query": "{ viewer { name } }"}],
        headers={"authorization": f"Bearer {token}"},
    )
    assert response.status_code == 400


async def test_get_requests_cannot_run_operations(client: httpx.AsyncClient, token: str) -> None:
    response = await client.get(
        "/graphql",
        params={"query": "mutation { __typename }"},
        headers={"authorization": f"Bearer {token}"},
    )
    assert response.status_code in (400, 405)
    assert "data" not in response.text or '"data":null' in response.text.replace(" ", "")


async def test_an_oversized_body_gets_413(client: httpx.AsyncClient, token: str) -> None:
    response = await post_raw(
        client, b'{"query": "' + b" " * 1_100_000 + b'{ viewer { name } }"}', token=token
    )
    assert response.status_code == 413
    assert response.json()["errors"][0]["extensions"]["code"] == "PAYLOAD_TOO_LARGE"


async def test_a_streamed_oversized_body_gets_413(client: httpx.AsyncClient, token: str) -> None:

    async def chunks():  # no content-length: the limit must count what arrives
        for _ in range(20):
            yield b" " * 100_000

    response = await post_raw(client, chunks(), token=token)
    assert response.status_code == 413


async def test_graphiql_is_not_served_outside_development(client: httpx.AsyncClient) -> None:
    response = await client.get("/graphql", headers={"accept": "text/html"})
    assert "graphiql" not in response.text.lower()
