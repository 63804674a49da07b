"""Discovery is cached and bound to its issuer; `next` is only ever a same-origin path."""

from __future__ import annotations

import httpx
import pytest

from server.auth.discovery import DiscoveryCache
from server.auth.http_fetch import FetchError
from server.auth.next_url import UnsafeNextError, safe_next

ISSUER = "https://idp.example/tenant"


def _doc(issuer: str = ISSUER, **extra: object) -> dict[str, object]:
    return {
        "issuer": issuer,
        "authorization_endpoint": f"{ISSUER}/authorize",
        "token_endpoint": f"{ISSUER}/token",
        "jwks_uri": f"{ISSUER}/jwks",
        **extra,
    }


def _cache(doc: dict[str, object], counter: list[str]) -> DiscoveryCache:
    def handler(request: httpx.Request) -> httpx.Response:
        counter.append(str(request.url))
        return httpx.Response(200, json=doc)

    http = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    return DiscoveryCache(http, ttl=3600, require_https=True)


async def test_discovery_is_fetched_once_and_cached() -> None:
    urls: list[str] = []
    cache = _cache(_doc(), urls)
    first = await cache.get(ISSUER)
    assert await cache.get(ISSUER) is first
    assert urls == [f"{ISSUER}/.well-known/openid-configuration"]


async def test_a_document_naming_another_issuer_is_refused() -> None:
    cache = _cache(_doc(issuer="https://idp.example/other"), [])
    with pytest.raises(FetchError, match="names issuer"):
        await cache.get(ISSUER)


async def test_an_issuer_differing_only_by_a_trailing_slash_is_another_issuer() -> None:
    cache = _cache(_doc(issuer=ISSUER + "/"), [])
    with pytest.raises(FetchError):
        await cache.get(ISSUER)


async def test_plain_http_endpoints_are_refused_in_production() -> None:
    doc = _doc(token_endpoint="http://idp.example/token")
    with pytest.raises(FetchError, match="token_endpoint"):
        await _cache(doc, []).get(ISSUER)


async def test_a_redirecting_discovery_endpoint_is_not_followed() -> None:
    transport = httpx.MockTransport(
        lambda request: httpx.Response(302, headers={"location": "https://evil.example/"})
    )
    cache = DiscoveryCache(httpx.AsyncClient(transport=transport), ttl=60, require_https=True)
    with pytest.raises(FetchError, match="302"):
        await cache.get(ISSUER)


@pytest.mark.parametrize(
    "value, expected",
    [
        (None, "/"),
        ("", "/"),
        ("/", "/"),
        ("/app/clients?tab=open#top", "/app/clients?tab=open#top"),
        ("/caf%C3%A9", "/caf%C3%A9"),
    ],
)
def test_same_origin_paths_are_kept(value: str | None, expected: str) -> None:
    assert safe_next(value) == expected


@pytest.mark.parametrize(
    "value",
    [
        "//evil.example",
        "https://evil.example/",
        "/\\evil.example",
        "\\/evil.example",
        "/%2f%2fevil.example",
        "/%5cevil.example",
        "/a\nb",
        "/a%0Ab",
        "/a%00b",
        "/a b",
        "relative/path",
        "/caf\u00e9",
        "/" + "a" * 2001,
    ],
)
def test_anything_that_could_leave_the_origin_is_refused(value: str) -> None:
    with pytest.raises(UnsafeNextError):
        safe_next(value)
