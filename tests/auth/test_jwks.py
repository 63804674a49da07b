"""The JWKS cache: re-fetch on an unknown kid, at most once per interval; keys bound to issuer."""

from __future__ import annotations

import httpx
import pytest
from joserfc.jwk import ECKey, OctKey, RSAKey

from server.auth.jwks import JwksCache, UnknownKeyError

ISSUER = "https://idp.example"
JWKS_URI = "https://idp.example/jwks"


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class Jwks:
    """A JWKS endpoint whose keys a test can change, counting requests."""

    def __init__(self, *keys: RSAKey | ECKey) -> None:
        self.keys: list[dict[str, object]] = [dict(k.as_dict(private=False)) for k in keys]
        self.requests = 0

    def handler(self, request: httpx.Request) -> httpx.Response:
        self.requests += 1
        return httpx.Response(200, json={"keys": self.keys})


def _rsa() -> RSAKey:
    return RSAKey.generate_key(2048, auto_kid=True)


def _cache(jwks: Jwks, clock: FakeClock, min_refresh: float = 30) -> JwksCache:
    http = httpx.AsyncClient(transport=httpx.MockTransport(jwks.handler))
    return JwksCache(http, ttl=3600, min_refresh=min_refresh, clock=clock)


async def test_an_unknown_kid_refetches_once_then_is_rate_limited() -> None:
    first, second = _rsa(), _rsa()
    jwks, clock = Jwks(first), FakeClock()
    cache = _cache(jwks, clock)
    await cache.key_for(issuer=ISSUER, jwks_uri=JWKS_URI, alg="RS256", kid=first.kid)
    jwks.keys.append(dict(second.as_dict(private=False)))
    clock.now += 31
    found = await cache.key_for(issuer=ISSUER, jwks_uri=JWKS_URI, alg="RS256", kid=second.kid)
    assert found.kid == second.kid and jwks.requests == 2
    for _ in range(5):  # made-up kids within the interval cost nothing upstream
        with pytest.raises(UnknownKeyError):
            await cache.key_for(issuer=ISSUER, jwks_uri=JWKS_URI, alg="RS256", kid="made-up")
    assert jwks.requests == 2


async def test_a_rotation_within_the_interval_waits_for_it() -> None:
    first, second = _rsa(), _rsa()
    jwks, clock = Jwks(first), FakeClock()
    cache = _cache(jwks, clock)
    await cache.key_for(issuer=ISSUER, jwks_uri=JWKS_URI, alg="RS256", kid=first.kid)
    jwks.keys = [dict(second.as_dict(private=False))]
    with pytest.raises(UnknownKeyError):
        await cache.key_for(issuer=ISSUER, jwks_uri=JWKS_URI, alg="RS256", kid=second.kid)
    clock.now += 30
    assert (
        await cache.key_for(issuer=ISSUER, jwks_uri=JWKS_URI, alg="RS256", kid=second.kid)
    ).kid == second.kid


async def test_keys_are_cached_per_issuer() -> None:
    key = _rsa()
    jwks, clock = Jwks(key), FakeClock()
    cache = _cache(jwks, clock)
    await cache.key_for(issuer=ISSUER, jwks_uri=JWKS_URI, alg="RS256", kid=key.kid)
    await cache.key_for(issuer="https://other.example", jwks_uri=JWKS_URI, alg="RS256", kid=key.kid)
    assert jwks.requests == 2


async def test_a_key_of_the_wrong_type_for_the_algorithm_is_not_used() -> None:
    rsa = _rsa()
    jwks, clock = Jwks(rsa), FakeClock()
    cache = _cache(jwks, clock, min_refresh=0)
    with pytest.raises(UnknownKeyError):
        await cache.key_for(issuer=ISSUER, jwks_uri=JWKS_URI, alg="ES256", kid=rsa.kid)


async def test_symmetric_keys_in_a_jwks_are_ignored_and_hmac_is_never_allowed() -> None:
    jwks, clock = Jwks(), FakeClock()
    oct_key = OctKey.generate_key(256, auto_kid=True)
    jwks.keys = [dict(oct_key.as_dict(private=True))]
    cache = _cache(jwks, clock, min_refresh=0)
    for alg in ("HS256", "none"):
        with pytest.raises(UnknownKeyError):
            await cache.key_for(issuer=ISSUER, jwks_uri=JWKS_URI, alg=alg, kid=oct_key.kid)
    with pytest.raises(UnknownKeyError):
        await cache.key_for(issuer=ISSUER, jwks_uri=JWKS_URI, alg="RS256", kid=oct_key.kid)


async def test_an_es256_key_is_found_by_kid() -> None:
    ec = ECKey.generate_key("P-256", auto_kid=True)
    cache = _cache(Jwks(ec), FakeClock())
    found = await cache.key_for(issuer=ISSUER, jwks_uri=JWKS_URI, alg="ES256", kid=ec.kid)
    assert found.kid == ec.kid


async def test_without_a_kid_only_a_single_candidate_key_is_used() -> None:
    jwks, clock = Jwks(_rsa(), _rsa()), FakeClock()
    cache = _cache(jwks, clock, min_refresh=0)
    with pytest.raises(UnknownKeyError):
        await cache.key_for(issuer=ISSUER, jwks_uri=JWKS_URI, alg="RS256", kid=None)
