"""Security headers, no server banner, a CORS allow-list."""

import httpx

ALLOWED = "https://app.consultancy.example"


async def test_responses_carry_security_headers_and_no_server_banner(
    client: httpx.AsyncClient,
) -> None:
    response = await client.get("/healthz")
    headers = response.headers
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["x-frame-options"] == "DENY"
    assert headers["referrer-policy"] == "no-referrer"
    assert "default-src 'none'" in headers["content-security-policy"]
    assert "max-age=" in headers["strict-transport-security"]
    assert "server" not in headers


async def test_error_responses_carry_them_too(client: httpx.AsyncClient) -> None:
    response = await client.post("/graphql", json={"query": "{ viewer { name } }"})
    assert response.status_code == 401
    assert response.headers["x-content-type-options"] == "nosniff"


async def test_cors_preflight_from_the_front_end_origin_is_allowed(
    client: httpx.AsyncClient,
) -> None:
    response = await client.options(
        "/graphql",
        headers={
            "origin": ALLOWED,
            "access-control-request-method": "POST",
            "access-control-request-headers": "authorization, content-type",
        },
    )
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == ALLOWED


async def test_cors_preflight_from_another_origin_is_refused(client: httpx.AsyncClient) -> None:
    response = await client.options(
        "/graphql",
        headers={"origin": "https://evil.example", "access-control-request-method": "POST"},
    )
    assert "access-control-allow-origin" not in response.headers
