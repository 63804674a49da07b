"""OpenID Provider discovery, cached per issuer and bound to it.

The document is fetched from `<issuer>/.well-known/openid-configuration` and
kept only if its `issuer` is byte-for-byte the issuer we asked about (OpenID
Connect Discovery 1.0, section 4.3). The cache is keyed by that issuer, so one
provider's endpoints can never be served for another's login, which is the
first half of the mix-up defence (the second is the callback's `iss` check).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass

import httpx

from server.auth.http_fetch import FetchError, check_url, fetch_json

WELL_KNOWN = "/.well-known/openid-configuration"


@dataclass(frozen=True, slots=True)
class ProviderMetadata:
    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str
    # RFC 9207: when true, every authorization response must carry `iss`.
    iss_parameter_supported: bool
    token_auth_methods: tuple[str, ...]
    signing_algs: tuple[str, ...] | None
    # OpenID Connect Core 5.3; None when the provider publishes none.
    userinfo_endpoint: str | None = None
    # OpenID Connect RP-Initiated Logout 1.0; None when the provider offers none.
    end_session_endpoint: str | None = None


def parse_metadata(issuer: str, doc: dict[str, object], *, require_https: bool) -> ProviderMetadata:
    """Validate a discovery document for `issuer`; FetchError says what is wrong."""
    if doc.get("issuer") != issuer:
        raise FetchError(
            f"the discovery document names issuer {doc.get('issuer')!r}, not {issuer!r}"
        )
    methods = doc.get("token_endpoint_auth_methods_supported")
    userinfo = doc.get("userinfo_endpoint")
    algs = doc.get("id_token_signing_alg_values_supported")
    end_session = doc.get("end_session_endpoint")
    return ProviderMetadata(
        issuer=issuer,
        authorization_endpoint=check_url(
            doc.get("authorization_endpoint"),
            require_https=require_https,
            what="authorization_endpoint",
        ),
        token_endpoint=check_url(
            doc.get("token_endpoint"), require_https=require_https, what="token_endpoint"
        ),
        jwks_uri=check_url(doc.get("jwks_uri"), require_https=require_https, what="jwks_uri"),
        iss_parameter_supported=doc.get("authorization_response_iss_parameter_supported") is True,
        token_auth_methods=tuple(m for m in methods if isinstance(m, str))
        if isinstance(methods, list)
        else ("client_secret_basic",),
        signing_algs=tuple(a for a in algs if isinstance(a, str))
        if isinstance(algs, list)
        else None,
        userinfo_endpoint=None
        if userinfo is None
        else check_url(userinfo, require_https=require_https, what="userinfo_endpoint"),
        end_session_endpoint=None
        if end_session is None
        else check_url(end_session, require_https=require_https, what="end_session_endpoint"),
    )


class DiscoveryCache:
    """Provider metadata by issuer, refreshed after `ttl` seconds; one fetch at a time each."""

    def __init__(
        self,
        http: httpx.AsyncClient,
        *,
        ttl: float,
        require_https: bool,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._http = http
        self._ttl = ttl
        self._require_https = require_https
        self._clock = clock
        self._entries: dict[str, tuple[float, ProviderMetadata]] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    async def get(self, issuer: str) -> ProviderMetadata:
        """Metadata for `issuer`; raises FetchError when it cannot be had."""
        cached = self._fresh(issuer)
        if cached is not None:
            return cached
        async with self._locks.setdefault(issuer, asyncio.Lock()):
            cached = self._fresh(issuer)
            if cached is not None:
                return cached
            check_url(issuer, require_https=self._require_https, what="issuer")
            doc = await fetch_json(self._http, issuer.rstrip("/") + WELL_KNOWN)
            metadata = parse_metadata(issuer, doc, require_https=self._require_https)
            self._entries[issuer] = (self._clock(), metadata)
            return metadata

    def _fresh(self, issuer: str) -> ProviderMetadata | None:
        entry = self._entries.get(issuer)
        if entry is None or self._clock() - entry[0] >= self._ttl:
            return None
        return entry[1]
