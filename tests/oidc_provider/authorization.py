"""authlib's authorization server, wired to the in-memory state.

Authorization code grant with PKCE (`CodeChallenge`, S256 required), OpenID
Connect id tokens (`OpenIDCode`, nonce required) and the RFC 9207 `iss`
parameter on authorization responses (`IssuerParameter`).
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Mapping
from typing import Any

from authlib.oauth2 import AuthorizationServer, OAuth2Request
from authlib.oauth2.rfc6749 import grants
from authlib.oauth2.rfc6749.requests import BasicOAuth2Payload
from authlib.oauth2.rfc6750 import BearerTokenGenerator
from authlib.oauth2.rfc7636 import CodeChallenge
from authlib.oauth2.rfc9207 import IssuerParameter
from authlib.oidc.core import OpenIDCode

from tests.oidc_provider.state import AuthorizationCode, Client, ProviderState
from tests.oidc_provider.tampering import tamper


class PlainRequest(OAuth2Request):  # type: ignore[misc]
    """An OAuth2Request from already-read query and form data (the ASGI app reads them)."""

    def __init__(
        self,
        method: str,
        uri: str,
        headers: Mapping[str, str],
        query: dict[str, str],
        form: dict[str, str],
    ) -> None:
        super().__init__(method, uri, headers=headers)
        self._query, self._form = query, form
        self.payload = BasicOAuth2Payload({**query, **form})

    @property
    def args(self) -> dict[str, str]:
        return self._query

    @property
    def form(self) -> dict[str, str]:
        return self._form


class ProviderResponse:
    """What `handle_response` returns; `location` is writable for IssuerParameter."""

    def __init__(self, status: int, body: Any, headers: list[tuple[str, str]]) -> None:
        self.status, self.body, self.headers = status, body, dict(headers)

    @property
    def location(self) -> str | None:
        return self.headers.get("Location")

    @location.setter
    def location(self, value: str) -> None:
        self.headers["Location"] = value


class CodeGrant(grants.AuthorizationCodeGrant):  # type: ignore[misc]
    TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic", "client_secret_post"]

    @property
    def state(self) -> ProviderState:
        return self.server.state  # type: ignore[no-any-return]

    def save_authorization_code(self, code: str, request: OAuth2Request) -> None:
        data = request.payload.data
        # Each authorization is a provider session: its `sid` goes in the id token
        # (Back-Channel Logout's backchannel_logout_session_supported).
        sid = secrets.token_urlsafe(16)
        self.state.sessions[sid] = (request.client.client_id, request.user["sub"])
        self.state.codes[code] = AuthorizationCode(
            code=code,
            client_id=request.client.client_id,
            redirect_uri=request.payload.redirect_uri,
            scope=request.scope,
            user={**request.user, "sid": sid},
            nonce=data.get("nonce"),
            code_challenge=data.get("code_challenge"),
            code_challenge_method=data.get("code_challenge_method"),
            knobs=dict(self.state.knobs),
        )

    def query_authorization_code(self, code: str, client: Client) -> AuthorizationCode | None:
        item = self.state.codes.get(code)
        if item is None or item.client_id != client.client_id or item.expired:
            return None
        return item

    def delete_authorization_code(self, authorization_code: AuthorizationCode) -> None:
        self.state.codes.pop(authorization_code.code, None)

    def authenticate_user(self, authorization_code: AuthorizationCode) -> dict[str, Any]:
        return authorization_code.user


class ProviderOpenIDCode(OpenIDCode):  # type: ignore[misc]
    def __init__(self, state: ProviderState) -> None:
        super().__init__(require_nonce=True)
        self.state = state

    def exists_nonce(self, nonce: str, request: OAuth2Request) -> bool:
        return False

    def resolve_client_private_key(self, client: Client) -> Any:
        return self.state.signing_key

    def get_client_algorithm(self, client: Client) -> str:
        return "RS256"

    def get_client_claims(self, client: Client) -> dict[str, Any]:
        return {"iss": self.state.issuer, "aud": [client.client_id], "exp": int(time.time()) + 300}

    def get_encode_header(self, client: Client) -> dict[str, str]:
        return {"alg": "RS256", "kid": self.state.signing_key.kid}

    def generate_user_info(self, user: dict[str, Any], scope: str) -> dict[str, Any]:
        # Knob `claims_in_userinfo`: behave as OpenID Connect Core 5.4 (the code flow's
        # profile and email claims come from UserInfo; the id token carries only `sub`).
        if self.state.knobs.get("claims_in_userinfo"):
            return {"sub": user["sub"], "sid": user["sid"]}
        return dict(user)

    def encode_id_token(self, token: dict[str, Any], request: OAuth2Request) -> str:
        raw: str = super().encode_id_token(token, request)
        return tamper(raw, request.authorization_code.knobs, self.state)


class ProviderIssuer(IssuerParameter):  # type: ignore[misc]
    def __init__(self, state: ProviderState) -> None:
        self.state = state

    def get_issuer(self) -> str | None:
        if self.state.knobs.get("omit_iss"):
            return None
        return str(self.state.knobs.get("iss_param", self.state.issuer))


class ProviderServer(AuthorizationServer):  # type: ignore[misc]
    def __init__(self, state: ProviderState) -> None:
        super().__init__(scopes_supported=["openid", "email", "profile", "groups"])
        self.state = state
        self.register_token_generator(
            "default", BearerTokenGenerator(lambda **_: secrets.token_urlsafe(32))
        )
        self.register_grant(CodeGrant, [CodeChallenge(required=True), ProviderOpenIDCode(state)])
        self.register_extension(ProviderIssuer(state))

    def query_client(self, client_id: str) -> Client | None:
        return self.state.clients.get(client_id)

    def save_token(self, token: dict[str, Any], request: OAuth2Request) -> None:
        self.state.token_requests += 1
        if token.get("access_token") and request.user is not None:
            self.state.access_tokens[token["access_token"]] = (
                dict(request.user),
                dict(self.state.knobs),
            )

    def create_oauth2_request(self, request: OAuth2Request) -> OAuth2Request:
        return request

    def handle_response(
        self, status: int, body: Any, headers: list[tuple[str, str]]
    ) -> ProviderResponse:
        return ProviderResponse(status, body, headers)

    def send_signal(self, name: str, *args: Any, **kwargs: Any) -> None:
        return None
