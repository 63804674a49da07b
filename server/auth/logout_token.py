"""Validating an OpenID Back-Channel Logout 1.0 logout token (section 2.6), each failure named.

As for id tokens (server/auth/id_token.py): the algorithm must be on the allow-list
before a key is chosen, the key comes only from the issuer's JWKS, and the claims are
read only after the signature verified. Then iss, aud, iat and exp as for an id token;
a `jti`; `events` naming the back-channel logout event; `sid` and/or `sub`; and no
`nonce`, so an id token can never pass for a logout token. The replay check on `jti`
needs Redis and is the caller's (server/auth/backchannel.py).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from joserfc import jws, jwt
from joserfc.errors import ClaimError, ExpiredTokenError, JoseError

from server.auth.http_fetch import FetchError
from server.auth.jwks import ALLOWED_ALGORITHMS, JwksCache, UnknownKeyError

EVENT = "http://schemas.openid.net/event/backchannel-logout"
MAX_TOKEN_LENGTH = 16 * 1024
# A logout token is sent as soon as it is made; an older one is refused (a replay risk,
# and longer than the jti memory would need to last).
MAX_AGE_SECONDS = 600
ACCEPTED_TYP = frozenset({"logout+jwt", "jwt"})


class LogoutTokenError(ValueError):
    """The logout token fails one check; the message says which (no token content)."""


@dataclass(frozen=True, slots=True)
class LogoutClaims:
    jti: str
    sid: str | None
    sub: str | None
    exp: int


def _header(raw: str) -> dict[str, Any]:
    if len(raw) > MAX_TOKEN_LENGTH or raw.count(".") != 2:
        raise LogoutTokenError("the logout token is not a compact JWS")
    try:
        header = dict(jws.extract_compact(raw.encode("ascii")).protected)
    except (JoseError, ValueError, UnicodeError) as exc:
        raise LogoutTokenError("the logout token cannot be parsed") from exc
    alg = header.get("alg")
    if not isinstance(alg, str) or alg not in ALLOWED_ALGORITHMS:
        raise LogoutTokenError(
            f"logout tokens must be signed with one of {sorted(ALLOWED_ALGORITHMS)}"
        )
    if "crit" in header:
        raise LogoutTokenError("the logout token uses critical header extensions")
    typ = header.get("typ")
    if typ is not None and (not isinstance(typ, str) or typ.lower() not in ACCEPTED_TYP):
        raise LogoutTokenError("the logout token's typ is not logout+jwt")
    kid = header.get("kid")
    if kid is not None and not isinstance(kid, str):
        raise LogoutTokenError("the logout token's kid is not a string")
    return header


def _optional_str(claims: dict[str, Any], name: str) -> str | None:
    value = claims.get(name)
    if value is None:
        return None
    if not isinstance(value, str) or not 0 < len(value) <= 255:
        raise LogoutTokenError(f"the logout token's {name} claim is not a short string")
    return value


def _check(
    claims: dict[str, Any], *, issuer: str, client_id: str, leeway: int, now: int
) -> LogoutClaims:
    registry = jwt.JWTClaimsRegistry(
        now=now,
        leeway=leeway,
        iss={"essential": True, "value": issuer},
        aud={"essential": True, "value": client_id},
        iat={"essential": True},
        exp={"essential": True},
        jti={"essential": True},
    )
    try:
        registry.validate(claims)
    except ExpiredTokenError as exc:
        raise LogoutTokenError("the logout token has expired") from exc
    except ClaimError as exc:
        claim = sorted(exc.claim.split(","))[0]
        raise LogoutTokenError(f"the logout token's {claim} claim is wrong or missing") from exc
    iat = claims["iat"]
    if not isinstance(iat, int) or iat > now + leeway or iat < now - MAX_AGE_SECONDS - leeway:
        raise LogoutTokenError("the logout token's iat is in the future or too long ago")
    events = claims.get("events")
    if not isinstance(events, dict) or not isinstance(events.get(EVENT), dict):
        raise LogoutTokenError(
            "the logout token's events claim lacks the back-channel logout event"
        )
    if "nonce" in claims:
        raise LogoutTokenError("a logout token must not carry a nonce")
    sid, sub = _optional_str(claims, "sid"), _optional_str(claims, "sub")
    if sid is None and sub is None:
        raise LogoutTokenError("the logout token names neither a sid nor a sub")
    jti = _optional_str(claims, "jti")
    assert jti is not None  # essential above
    return LogoutClaims(jti=jti, sid=sid, sub=sub, exp=int(claims["exp"]))


async def verify_logout_token(
    raw: str,
    *,
    issuer: str,
    client_id: str,
    jwks_uri: str,
    keys: JwksCache,
    leeway: int,
    now: float | None = None,
) -> LogoutClaims:
    """The claims of a valid logout token from `issuer` for `client_id`; LogoutTokenError."""
    header = _header(raw)
    alg: str = header["alg"]
    try:
        key = await keys.key_for(issuer=issuer, jwks_uri=jwks_uri, alg=alg, kid=header.get("kid"))
    except UnknownKeyError as exc:
        raise LogoutTokenError(
            "the logout token is signed with a key the provider does not publish"
        ) from exc
    except FetchError as exc:
        raise LogoutTokenError("the provider's signing keys could not be fetched") from exc
    try:
        token = jwt.decode(raw, key, algorithms=[alg])
    except JoseError as exc:
        raise LogoutTokenError("the logout token's signature does not verify") from exc
    moment = int(time.time() if now is None else now)
    return _check(dict(token.claims), issuer=issuer, client_id=client_id, leeway=leeway, now=moment)
