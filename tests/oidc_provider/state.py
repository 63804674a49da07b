"""The provider's in-memory state: clients, codes, the next user, keys and knobs."""

from __future__ import annotations

import hmac
import time
from dataclasses import dataclass, field
from typing import Any

from authlib.oauth2.rfc6749 import ClientMixin
from authlib.oidc.core import AuthorizationCodeMixin
from joserfc.jwk import RSAKey

CODE_LIFETIME = 120


def new_signing_key() -> RSAKey:
    return RSAKey.generate_key(2048, parameters={"use": "sig", "alg": "RS256"}, auto_kid=True)


@dataclass
class Client(ClientMixin):  # type: ignore[misc]
    client_id: str
    client_secret: str
    redirect_uris: list[str]
    scope: str = "openid email profile groups"
    # RP-Initiated Logout: where the provider may send the browser back after logout.
    post_logout_redirect_uris: list[str] = field(default_factory=list)
    # Back-Channel Logout: where the provider posts logout tokens.
    backchannel_logout_uri: str | None = None

    def get_client_id(self) -> str:
        return self.client_id

    def get_default_redirect_uri(self) -> str:
        return self.redirect_uris[0]

    def get_allowed_scope(self, scope: str | None) -> str:
        allowed = set(self.scope.split())
        return " ".join(s for s in (scope or "").split() if s in allowed)

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        return redirect_uri in self.redirect_uris

    def check_client_secret(self, client_secret: str) -> bool:
        return hmac.compare_digest(client_secret, self.client_secret)

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        return method in ("client_secret_basic", "client_secret_post")

    def check_response_type(self, response_type: str) -> bool:
        return response_type == "code"

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type == "authorization_code"


@dataclass
class AuthorizationCode(AuthorizationCodeMixin):  # type: ignore[misc]
    code: str
    client_id: str
    redirect_uri: str
    scope: str
    user: dict[str, Any]
    nonce: str | None
    code_challenge: str | None
    code_challenge_method: str | None
    knobs: dict[str, Any]
    auth_time: int = field(default_factory=lambda: int(time.time()))

    @property
    def expired(self) -> bool:
        return time.time() - self.auth_time > CODE_LIFETIME

    def get_redirect_uri(self) -> str:
        return self.redirect_uri

    def get_scope(self) -> str:
        return self.scope

    def get_nonce(self) -> str | None:
        return self.nonce

    def get_auth_time(self) -> int:
        return self.auth_time


@dataclass
class ProviderState:
    """Everything the provider knows; reset between tests through `POST /_control`."""

    issuer: str
    clients: dict[str, Client] = field(default_factory=dict)
    codes: dict[str, AuthorizationCode] = field(default_factory=dict)
    next_user: dict[str, Any] | None = None
    knobs: dict[str, Any] = field(default_factory=dict)
    signing_key: RSAKey = field(default_factory=new_signing_key)
    # Access token -> (user, knobs at issue): what UserInfo answers for it.
    access_tokens: dict[str, tuple[dict[str, Any], dict[str, Any]]] = field(default_factory=dict)
    jwks_requests: int = 0
    token_requests: int = 0
    userinfo_requests: int = 0
    # Whether discovery offers end_session_endpoint (`--no-end-session` turns it off).
    end_session: bool = True
    # sid -> (client_id, sub): the provider's sign-in sessions, one per authorization.
    sessions: dict[str, tuple[str, str]] = field(default_factory=dict)
    # What end_session received, for the tests to read.
    logouts: list[dict[str, Any]] = field(default_factory=list)

    def reset(self) -> None:
        self.next_user = None
        self.knobs = {}

    def rotate(self) -> None:
        self.signing_key = new_signing_key()

    def summary(self) -> dict[str, Any]:
        return {
            "issuer": self.issuer,
            "kid": self.signing_key.kid,
            "clients": sorted(self.clients),
            "knobs": self.knobs,
            "jwks_requests": self.jwks_requests,
            "token_requests": self.token_requests,
            "userinfo_requests": self.userinfo_requests,
            "sessions": {sid: list(v) for sid, v in self.sessions.items()},
            "logouts": self.logouts,
        }
