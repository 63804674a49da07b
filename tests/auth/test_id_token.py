"""Id-token validation on its own: the allowed algorithms verify, nothing else does."""

from __future__ import annotations

import time
from typing import Any

import httpx
import pytest
from joserfc import jwt
from joserfc.jwk import ECKey, RSAKey

from server.auth.id_token import Expected, verify_id_token
from server.auth.jwks import JwksCache
from tenants.services.login_refusals import LoginRefused

ISSUER = "https://idp.example"
EXPECTED = Expected(
    issuer=ISSUER, client_id="steward", nonce="n-123", jwks_uri=f"{ISSUER}/jwks", leeway=60
)


def _claims(**overrides: Any) -> dict[str, Any]:
    now = int(time.time())
    return {
        "iss": ISSUER,
        "aud": "steward",
        "sub": "alice",
        "iat": now,
        "exp": now + 300,
        "nonce": "n-123",
        **overrides,
    }


def _keys(*keys: RSAKey | ECKey) -> JwksCache:
    body = {"keys": [k.as_dict(private=False) for k in keys]}
    transport = httpx.MockTransport(lambda request: httpx.Response(200, json=body))
    return JwksCache(httpx.AsyncClient(transport=transport), ttl=3600, min_refresh=0)


@pytest.mark.parametrize("alg", ["RS256", "PS256", "ES256"])
async def test_each_allowed_algorithm_verifies(alg: str) -> None:
    key: RSAKey | ECKey = (
        ECKey.generate_key("P-256", auto_kid=True)
        if alg == "ES256"
        else RSAKey.generate_key(2048, auto_kid=True)
    )
    token = jwt.encode({"alg": alg, "kid": key.kid}, _claims(), key, algorithms=[alg])
    claims = await verify_id_token(token, EXPECTED, _keys(key))
    assert claims["sub"] == "alice"


async def test_a_small_clock_skew_is_tolerated() -> None:
    key = RSAKey.generate_key(2048, auto_kid=True)
    now = int(time.time())
    claims = _claims(iat=now + 30, exp=now - 30)
    token = jwt.encode({"alg": "RS256", "kid": key.kid}, claims, key, algorithms=["RS256"])
    assert (await verify_id_token(token, EXPECTED, _keys(key)))["sub"] == "alice"


async def test_an_old_token_is_refused_even_if_not_expired() -> None:
    key = RSAKey.generate_key(2048, auto_kid=True)
    now = int(time.time())
    claims = _claims(iat=now - 3600, exp=now + 3600)
    token = jwt.encode({"alg": "RS256", "kid": key.kid}, claims, key, algorithms=["RS256"])
    with pytest.raises(LoginRefused) as refused:
        await verify_id_token(token, EXPECTED, _keys(key))
    assert refused.value.reason.value == "id_token_iat"


async def test_a_token_with_critical_headers_is_refused() -> None:
    key = RSAKey.generate_key(2048, auto_kid=True)
    token = jwt.encode(
        {"alg": "RS256", "kid": key.kid, "crit": ["b64"], "b64": True},
        _claims(),
        key,
        algorithms=["RS256"],
    )
    with pytest.raises(LoginRefused) as refused:
        await verify_id_token(token, EXPECTED, _keys(key))
    assert refused.value.reason.value == "id_token_malformed"


@pytest.mark.parametrize("raw", [None, "", "abc", "a.b", "a.b.c.d", "x" * 20000])
async def test_garbage_is_refused_cleanly(raw: object) -> None:
    with pytest.raises(LoginRefused):
        await verify_id_token(raw, EXPECTED, _keys(RSAKey.generate_key(2048, auto_kid=True)))
