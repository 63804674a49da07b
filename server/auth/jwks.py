"""Provider signing keys (JWKS), cached per issuer, re-fetched on an unknown `kid`.

A provider rotates keys by publishing the new one and signing with it; a token
with a `kid` we do not hold triggers one re-fetch. Re-fetches are rate-limited
per issuer (`min_refresh` seconds apart), so a flood of tokens with made-up
`kid`s costs the provider one request, not one per token.

Only asymmetric keys of the allow-listed algorithms are kept: a symmetric
("oct") key in a JWKS is ignored, so no configuration can turn a public key
into an HMAC secret.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import httpx
from joserfc.errors import JoseError
from joserfc.jwk import ECKey, RSAKey

from server.auth.http_fetch import FetchError, fetch_json

AsymmetricKey = RSAKey | ECKey

# The only id-token algorithms accepted, with the key type and curve each needs.
ALLOWED_ALGORITHMS: dict[str, tuple[str, str | None]] = {
    "RS256": ("RSA", None),
    "PS256": ("RSA", None),
    "ES256": ("EC", "P-256"),
}


class UnknownKeyError(LookupError):
    """No published key fits the token's `kid` and algorithm."""


@dataclass
class _Entry:
    jwks_uri: str
    fetched_at: float
    keys: list[AsymmetricKey] = field(default_factory=list)


def import_signing_keys(doc: dict[str, object]) -> list[AsymmetricKey]:
    raw = doc.get("keys")
    keys: list[AsymmetricKey] = []
    for item in raw if isinstance(raw, list) else []:
        if not isinstance(item, dict) or item.get("use", "sig") != "sig":
            continue
        try:
            if item.get("kty") == "RSA":
                keys.append(RSAKey.import_key(item))
            elif item.get("kty") == "EC":
                keys.append(ECKey.import_key(item))
        except (JoseError, ValueError, TypeError):
            continue  # one malformed key must not hide the others
    return keys


def _fits(key: AsymmetricKey, alg: str, kid: str | None) -> bool:
    kty, curve = ALLOWED_ALGORITHMS[alg]
    if key.key_type != kty or key.get("alg", alg) != alg:
        return False
    if curve is not None and key.get("crv") != curve:
        return False
    return kid is None or key.kid == kid


def _pick(keys: list[AsymmetricKey], alg: str, kid: str | None) -> AsymmetricKey | None:
    matches = [k for k in keys if _fits(k, alg, kid)]
    # Without a kid the choice must be unambiguous.
    return matches[0] if len(matches) == 1 or (kid is not None and matches) else None


class JwksCache:
    """Signing keys by issuer: fetched on first use, after `ttl`, or for an unknown kid."""

    def __init__(
        self,
        http: httpx.AsyncClient,
        *,
        ttl: float,
        min_refresh: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._http = http
        self._ttl = ttl
        self._min_refresh = min_refresh
        self._clock = clock
        self._entries: dict[str, _Entry] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    async def key_for(
        self, *, issuer: str, jwks_uri: str, alg: str, kid: str | None
    ) -> AsymmetricKey:
        """The key to verify a token of `issuer`; UnknownKeyError or FetchError otherwise."""
        if alg not in ALLOWED_ALGORITHMS:
            raise UnknownKeyError(f"algorithm {alg!r} is not allowed")
        async with self._locks.setdefault(issuer, asyncio.Lock()):
            entry = self._entries.get(issuer)
            now = self._clock()
            if entry is None or entry.jwks_uri != jwks_uri or now - entry.fetched_at >= self._ttl:
                entry = await self._fetch(issuer, jwks_uri)
            key = _pick(entry.keys, alg, kid)
            if key is None and self._clock() - entry.fetched_at >= self._min_refresh:
                entry = await self._fetch(issuer, jwks_uri)
                key = _pick(entry.keys, alg, kid)
            if key is None:
                raise UnknownKeyError(f"no {alg} signing key with kid {kid!r} is published")
            return key

    async def _fetch(self, issuer: str, jwks_uri: str) -> _Entry:
        try:
            doc = await fetch_json(self._http, jwks_uri)
        except FetchError:
            # Keep serving the keys we have; the rate limit applies to failures too.
            old = self._entries.get(issuer)
            if old is not None and old.jwks_uri == jwks_uri:
                old.fetched_at = self._clock()
                return old
            raise
        entry = _Entry(jwks_uri, self._clock(), import_signing_keys(doc))
        self._entries[issuer] = entry
        return entry
