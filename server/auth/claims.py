"""The identity claims of a login: from the id token, else from UserInfo.

OpenID Connect Core 5.4 lets a provider put `email` and `name` in the UserInfo
response rather than the id token for the authorization-code flow (panva's
certified oidc-provider does so by default). When the verified id token lacks
a claim Steward needs, UserInfo is called with the access token over the same
bounded, redirect-free fetcher as discovery and JWKS, and its answer is used
only if its `sub` is the id token's (Core 5.3.2: otherwise the response must
not be used, since it may describe someone else).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx

from server.auth.discovery import ProviderMetadata
from server.auth.http_fetch import fetch_json, refused_unless_fetched
from tenants.models import IdentityProvider
from tenants.services.login import VerifiedIdentity
from tenants.services.login_refusals import LoginRefused, Refusal

# Claims describing the person; the id token's own (iss, aud, nonce...) stay authoritative.
_PROTOCOL_CLAIMS = frozenset({"iss", "aud", "azp", "exp", "iat", "nbf", "nonce", "auth_time"})


@dataclass(frozen=True, slots=True)
class ClaimMapping:
    """Which claims carry the e-mail and the display name."""

    email_claim: str = "email"
    name_claim: str = "name"

    def needed(self) -> tuple[str, ...]:
        return (self.email_claim,)

    @classmethod
    def of(cls, idp: IdentityProvider) -> ClaimMapping:
        return cls(email_claim=idp.email_claim or "email", name_claim=idp.name_claim or "name")


def needs_userinfo(claims: dict[str, Any], mapping: ClaimMapping) -> bool:
    return any(not claims.get(name) for name in mapping.needed())


def merge_userinfo(id_claims: dict[str, Any], userinfo: dict[str, Any]) -> dict[str, Any]:
    """The id token's claims completed by UserInfo's; refused unless the subjects agree."""
    if userinfo.get("sub") != id_claims["sub"]:
        raise LoginRefused(
            Refusal.USERINFO_SUBJECT,
            "the identity provider's user information is for another person",
            detail="UserInfo sub differs from the id token's",
        )
    extra = {k: v for k, v in userinfo.items() if k not in _PROTOCOL_CLAIMS and k not in id_claims}
    return {**id_claims, **extra}


async def fetch_userinfo(
    http: httpx.AsyncClient, metadata: ProviderMetadata, access_token: object
) -> dict[str, Any]:
    """UserInfo's claims for this access token; LoginRefused(userinfo_failed) otherwise."""
    if metadata.userinfo_endpoint is None or not isinstance(access_token, str):
        raise LoginRefused(
            Refusal.USERINFO_FAILED,
            "the identity provider sent no e-mail address and offers no user information",
            detail="no userinfo_endpoint" if access_token else "no access_token",
        )
    with refused_unless_fetched(
        Refusal.USERINFO_FAILED,
        "the identity provider's user information could not be fetched; try again later",
    ):
        return await fetch_json(
            http, metadata.userinfo_endpoint, headers={"authorization": f"Bearer {access_token}"}
        )


def identity_from(claims: dict[str, Any], mapping: ClaimMapping) -> VerifiedIdentity:
    """The person these (verified) claims describe, read through the provider's mapping."""
    email, name = claims.get(mapping.email_claim), claims.get(mapping.name_claim)
    verified = claims.get("email_verified")
    if isinstance(verified, str):  # some providers send "true"/"false"
        verified = verified.strip().lower() == "true"
    return VerifiedIdentity(
        issuer=claims["iss"],
        subject=claims["sub"],
        email=email.strip() if isinstance(email, str) else None,
        email_verified=verified if isinstance(verified, bool) else None,
        name=name.strip()[:200] if isinstance(name, str) else None,
        claims=claims,
    )
