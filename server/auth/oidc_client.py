"""The relying party's protocol steps: authorization URL, code exchange, id-token check.

authlib builds the authorization request (PKCE S256 from our verifier) and
performs the token request with its httpx client; joserfc verifies the id
token (server/auth/id_token.py). One `OidcClient` lives in the app's lifespan
state and holds the discovery and JWKS caches, so they are shared by requests
and never module globals.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any

import httpx
from authlib.oauth2.client import OAuth2Client

from server.auth.claims import ClaimMapping, fetch_userinfo, merge_userinfo, needs_userinfo
from server.auth.discovery import DiscoveryCache, ProviderMetadata
from server.auth.http_fetch import refused_unless_fetched
from server.auth.id_token import Expected, verify_id_token
from server.auth.jwks import JwksCache
from tenants.services.login_refusals import LoginRefused, Refusal

with warnings.catch_warnings():
    # authlib prefers the httpx2 package and warns, once at import, when it falls
    # back to httpx (which this project pins); the fallback is the supported path.
    warnings.filterwarnings("ignore", message="The httpx module is deprecated")
    from authlib.integrations.base_client import OAuthError
    from authlib.integrations.httpx_client import AsyncOAuth2Client


def _auth_method(metadata: ProviderMetadata) -> str:
    # client_secret_basic is the default of the spec; post only when basic is not offered.
    methods = metadata.token_auth_methods
    if "client_secret_basic" in methods or "client_secret_post" not in methods:
        return "client_secret_basic"
    return "client_secret_post"


class OidcClient:
    """Shared across requests; `aclose()` at shutdown."""

    def __init__(
        self,
        *,
        timeout: float,
        metadata_ttl: float,
        jwks_min_refresh: float,
        require_https: bool,
        leeway: int,
    ) -> None:
        self._timeout = timeout
        self._leeway = leeway
        self._http = httpx.AsyncClient(timeout=timeout, follow_redirects=False, trust_env=False)
        self.discovery = DiscoveryCache(self._http, ttl=metadata_ttl, require_https=require_https)
        self.jwks = JwksCache(self._http, ttl=metadata_ttl, min_refresh=jwks_min_refresh)

    async def aclose(self) -> None:
        await self._http.aclose()

    async def metadata(self, issuer: str) -> ProviderMetadata:
        """The provider's metadata; LoginRefused(discovery_failed) when it cannot be had."""
        with refused_unless_fetched(
            Refusal.DISCOVERY_FAILED,
            "the identity provider cannot be reached or is misconfigured; try again later",
        ):
            return await self.discovery.get(issuer)

    def authorization_url(
        self,
        metadata: ProviderMetadata,
        *,
        client_id: str,
        scopes: Sequence[str],
        redirect_uri: str,
        state: str,
        nonce: str,
        code_verifier: str,
    ) -> str:
        """The URL the browser is sent to: code flow with PKCE S256, state and nonce."""
        client = OAuth2Client(
            session=None,
            client_id=client_id,
            scope=" ".join(scopes),
            redirect_uri=redirect_uri,
            code_challenge_method="S256",
        )
        url, _ = client.create_authorization_url(
            metadata.authorization_endpoint,
            state=state,
            code_verifier=code_verifier,
            nonce=nonce,
        )
        return str(url)

    async def exchange_code(
        self,
        metadata: ProviderMetadata,
        *,
        client_id: str,
        client_secret: str,
        code: str,
        redirect_uri: str,
        code_verifier: str,
    ) -> dict[str, Any]:
        """The token response for `code`; LoginRefused(token_exchange_failed) otherwise."""
        try:
            async with AsyncOAuth2Client(
                client_id=client_id,
                client_secret=client_secret,
                token_endpoint_auth_method=_auth_method(metadata),
                redirect_uri=redirect_uri,
                timeout=self._timeout,
                follow_redirects=False,
                trust_env=False,
            ) as client:
                token = await client.fetch_token(
                    metadata.token_endpoint,
                    grant_type="authorization_code",
                    code=code,
                    code_verifier=code_verifier,
                )
        except OAuthError as exc:
            raise LoginRefused(
                Refusal.TOKEN_EXCHANGE_FAILED,
                "the identity provider did not accept the sign-in response",
                detail=f"{exc.error}: {exc.description}",
            ) from exc
        except (httpx.HTTPError, ValueError) as exc:
            raise LoginRefused(
                Refusal.TOKEN_EXCHANGE_FAILED,
                "the identity provider's token endpoint failed",
                detail=type(exc).__name__,
            ) from exc
        return dict(token)

    async def verify(
        self, metadata: ProviderMetadata, id_token: object, *, client_id: str, nonce: str
    ) -> dict[str, Any]:
        """The claims of a valid id token from this provider for this login attempt."""
        expected = Expected(
            issuer=metadata.issuer,
            client_id=client_id,
            nonce=nonce,
            jwks_uri=metadata.jwks_uri,
            leeway=self._leeway,
        )
        return await verify_id_token(id_token, expected, self.jwks)

    async def identity_claims(
        self,
        metadata: ProviderMetadata,
        token: dict[str, Any],
        id_claims: dict[str, Any],
        mapping: ClaimMapping,
    ) -> dict[str, Any]:
        """The verified id token's claims, completed from UserInfo when they lack the e-mail."""
        if not needs_userinfo(id_claims, mapping):
            return id_claims
        userinfo = await fetch_userinfo(self._http, metadata, token.get("access_token"))
        return merge_userinfo(id_claims, userinfo)
