"""Hostile or malformed requests are refused before resolvers run."""

import httpx

from tests.conftest import TenantFactory, TokenFactory
from tests.support import gql


async def _token(make_tenant: TenantFactory, make_token: TokenFactory) -> str:
    return await make_token(await make_tenant())


async def test_too_many_aliases_are_refused(
    client: httpx.AsyncClient, make_tenant: TenantFactory, make_token: TokenFactory
) -> None:
    token = await _token(make_tenant, make_token)
    query = "{" + " ".join(f"a{i}: viewer {{ name }}" for i in range(31)) + "}"
    body = await gql(client, query, token=token)
    assert "aliases" in body["errors"][0]["message"].lower()
    assert body.get("data") is None


async def test_too_many_tokens_are_refused(
    client: httpx.AsyncClient, make_tenant: TenantFactory, make_token: TokenFactory
) -> None:
    token = await _token(make_tenant, make_token)
    query = "{ viewer { " + " ".join(["name"] * 3001) + " } }"
    body = await gql(client, query, token=token)
    assert "token" in body["errors"][0]["message"].lower()


async def test_circular_introspection_is_refused(
    client: httpx.AsyncClient, make_tenant: TenantFactory, make_token: TokenFactory
) -> None:
    token = await _token(make_tenant, make_token)
    selection = "name"
    for _ in range(6):
        selection = f"fields {{ type {{ {selection} }} }}"
    body = await gql(client, f"{{ __schema {{ types {{ {selection} }} }} }}", token=token)
    assert "maximum introspection depth" in body["errors"][0]["message"].lower()
    assert body.get("data") is None


async def test_batched_requests_are_refused(
    client: httpx.AsyncClient, make_tenant: TenantFactory, make_token: TokenFactory
) -> None:
    token = await _token(make_tenant, make_token)
    response = await client.post(
        "/graphql",
        json=[{"query": "{ viewer { name } }"}, {"query": "{ viewer { name } }"}],
        headers={"authorization": f"Bearer {token}"},
    )
    assert response.status_code == 400


async def test_get_requests_cannot_run_operations(
    client: httpx.AsyncClient, make_tenant: TenantFactory, make_token: TokenFactory
) -> None:
    token = await _token(make_tenant, make_token)
    response = await client.get(
        "/graphql",
        params={"query": "mutation { __typename }"},
        headers={"authorization": f"Bearer {token}"},
    )
    assert response.status_code in (400, 405)
    assert "data" not in response.text or '"data":null' in response.text.replace(" ", "")


async def test_an_oversized_body_gets_413(
    client: httpx.AsyncClient, make_tenant: TenantFactory, make_token: TokenFactory
) -> None:
    token = await _token(make_tenant, make_token)
    response = await client.post(
        "/graphql",
        content=b'{"query": "' + b" " * 1_100_000 + b'{ viewer { name } }"}',
        headers={"authorization": f"Bearer {token}", "content-type": "application/json"},
    )
    assert response.status_code == 413
    assert response.json()["errors"][0]["extensions"]["code"] == "PAYLOAD_TOO_LARGE"


async def test_a_streamed_oversized_body_gets_413(
    client: httpx.AsyncClient, make_tenant: TenantFactory, make_token: TokenFactory
) -> None:
    token = await _token(make_tenant, make_token)

    async def chunks():  # no content-length: the limit must count what arrives
        for _ in range(20):
            yield b" " * 100_000

    response = await client.post(
        "/graphql",
        content=chunks(),
        headers={"authorization": f"Bearer {token}", "content-type": "application/json"},
    )
    assert response.status_code == 413


async def test_graphiql_is_not_served_outside_development(client: httpx.AsyncClient) -> None:
    response = await client.get("/graphql", headers={"accept": "text/html"})
    assert "graphiql" not in response.text.lower()
