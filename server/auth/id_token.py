"""Validating an id token (OpenID Connect Core 1.0, section 3.1.3.7), each failure named.

Order matters: the algorithm is checked against the allow-list before any key
is chosen, the key comes only from the issuer's JWKS (never from `jku`, `x5u`
or `jwk` headers), and the claims are read only after the signature verified.
"""

from __future__ import annotations

import hmac
import time
from dataclasses import dataclass
from typing import Any

from joserfc import jws, jwt
from joserfc.errors import BadSignatureError, ClaimError, ExpiredTokenError, JoseError

from server.auth.http_fetch import FetchError
from server.auth.jwks import ALLOWED_ALGORITHMS, JwksCache, UnknownKeyError
from tenants.services.login_refusals import LoginRefused, Refusal

MAX_TOKEN_LENGTH = 16 * 1024
# An id token is used straight after it is issued; an older one is a replay risk.
MAX_AGE_SECONDS = 600

_CLAIM_REFUSALS = {
    "iss": Refusal.TOKEN_ISSUER,
    "aud": Refusal.TOKEN_AUDIENCE,
    "exp": Refusal.TOKEN_EXPIRED,
    "iat": Refusal.TOKEN_IAT,
    "nbf": Refusal.TOKEN_IAT,
    "nonce": Refusal.NONCE_MISMATCH,
}


@dataclass(frozen=True, slots=True)
class Expected:
    """What the token must say, from the login attempt and the provider's settings."""

    issuer: str
    client_id: str
    nonce: str
    jwks_uri: str
    leeway: int = 60


def _refuse(reason: Refusal, message: str, detail: str | None = None) -> LoginRefused:
    return LoginRefused(reason, message, detail=detail)


def _header(raw: str) -> dict[str, Any]:
    if len(raw) > MAX_TOKEN_LENGTH or raw.count(".") != 2:
        raise _refuse(Refusal.ID_TOKEN_MALFORMED, "the id token is not a compact JWS")
    try:
        header = dict(jws.extract_compact(raw.encode("ascii")).protected)
    except (JoseError, ValueError, UnicodeError) as exc:
        raise _refuse(Refusal.ID_TOKEN_MALFORMED, "the id token cannot be parsed") from exc
    alg = header.get("alg")
    if not isinstance(alg, str) or alg not in ALLOWED_ALGORITHMS:
        raise _refuse(
            Refusal.ALGORITHM_NOT_ALLOWED,
            f"id tokens must be signed with one of {', '.join(ALLOWED_ALGORITHMS)}",
            detail=f"alg={alg!r}",
        )
    if "crit" in header:
        raise _refuse(Refusal.ID_TOKEN_MALFORMED, "the id token uses critical header extensions")
    kid = header.get("kid")
    if kid is not None and not isinstance(kid, str):
        raise _refuse(Refusal.ID_TOKEN_MALFORMED, "the id token's kid is not a string")
    return header


def _check_claims(claims: dict[str, Any], expected: Expected, now: int) -> None:
    registry = jwt.JWTClaimsRegistry(
        now=now,
        leeway=expected.leeway,
        iss={"essential": True, "value": expected.issuer},
        aud={"essential": True, "value": expected.client_id},
        sub={"essential": True},
        exp={"essential": True},
        iat={"essential": True},
        nonce={"essential": True, "value": expected.nonce},
    )
    try:
        registry.validate(claims)
    except ExpiredTokenError as exc:
        raise _refuse(Refusal.TOKEN_EXPIRED, "the id token has expired") from exc
    except ClaimError as exc:
        claim = sorted(exc.claim.split(","))[0]
        reason = _CLAIM_REFUSALS.get(claim, Refusal.CLAIMS_INVALID)
        raise _refuse(reason, f"the id token's {claim} claim is wrong or missing") from exc
    # JWTClaimsRegistry compares; keep the nonce check constant-time all the same.
    if not hmac.compare_digest(str(claims["nonce"]).encode(), expected.nonce.encode()):
        raise _refuse(Refusal.NONCE_MISMATCH, "the id token's nonce claim is wrong or missing")
    audiences = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
    azp = claims.get("azp")
    if (len(audiences) > 1 or azp is not None) and azp != expected.client_id:
        raise _refuse(Refusal.TOKEN_AZP, "the id token was issued to another party (azp)")
    if claims["iat"] < now - MAX_AGE_SECONDS - expected.leeway:
        raise _refuse(Refusal.TOKEN_IAT, "the id token was issued too long ago")
    subject = claims["sub"]
    if not isinstance(subject, str) or not 0 < len(subject) <= 255:
        raise _refuse(Refusal.CLAIMS_INVALID, "the id token's sub claim is invalid")


async def verify_id_token(
    raw: object, expected: Expected, keys: JwksCache, *, now: float | None = None
) -> dict[str, Any]:
    """The claims of a valid id token; LoginRefused naming the first check that failed."""
    if not isinstance(raw, str) or not raw:
        raise _refuse(Refusal.ID_TOKEN_MISSING, "the provider returned no id token")
    header = _header(raw)
    alg: str = header["alg"]
    try:
        key = await keys.key_for(
            issuer=expected.issuer, jwks_uri=expected.jwks_uri, alg=alg, kid=header.get("kid")
        )
    except UnknownKeyError as exc:
        raise _refuse(
            Refusal.SIGNING_KEY_UNKNOWN,
            "the id token is signed with a key the provider does not publish",
            str(exc),
        ) from exc
    except FetchError as exc:
        raise _refuse(
            Refusal.DISCOVERY_FAILED, "the provider's signing keys could not be fetched", str(exc)
        ) from exc
    try:
        token = jwt.decode(raw, key, algorithms=[alg])
    except BadSignatureError as exc:
        raise _refuse(
            Refusal.SIGNATURE_INVALID, "the id token's signature does not verify"
        ) from exc
    except JoseError as exc:
        raise _refuse(
            Refusal.ID_TOKEN_MALFORMED, "the id token cannot be verified", str(exc)
        ) from exc
    _check_claims(token.claims, expected, int(time.time() if now is None else now))
    return token.claims
