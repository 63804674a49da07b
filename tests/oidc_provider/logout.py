"""The provider's logout side: RP-Initiated Logout's end_session endpoint and
Back-Channel Logout tokens sent to a client's `backchannel_logout_uri`.

`POST /_control {"backchannel_logout": {...}}` makes and sends one logout token and
answers with the relying party's response. Its options: `client_id`; `sid` and/or
`sub` (default: the sid of the client's latest session); `claims` (replace or add
claims, e.g. `aud`, `nonce`, `events`); `drop` (claims to remove); `forged_signature`
(sign with a key the JWKS does not publish under the published kid); `token` (send
this exact token again, for a replay).
"""

from __future__ import annotations

import secrets
import time
from typing import Any

import httpx
from joserfc import jwt
from joserfc.errors import JoseError
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from tests.oidc_provider.state import ProviderState, new_signing_key

EVENT = "http://schemas.openid.net/event/backchannel-logout"


def logout_token(state: ProviderState, options: dict[str, Any]) -> str:
    client_id = options["client_id"]
    now = int(time.time())
    claims: dict[str, Any] = {
        "iss": state.issuer,
        "aud": client_id,
        "iat": now,
        "exp": now + 120,
        "jti": secrets.token_urlsafe(16),
        "events": {EVENT: {}},
    }
    if "sid" in options or "sub" in options:
        claims.update({k: options[k] for k in ("sid", "sub") if k in options})
    else:
        latest = [sid for sid, (c, _) in state.sessions.items() if c == client_id]
        claims["sid"] = latest[-1]
    claims.update(options.get("claims", {}))
    for name in options.get("drop", []):
        claims.pop(name, None)
    key = new_signing_key() if options.get("forged_signature") else state.signing_key
    header = {"alg": "RS256", "kid": state.signing_key.kid, "typ": "logout+jwt"}
    return jwt.encode(header, claims, key, algorithms=["RS256"])


async def send_backchannel_logout(state: ProviderState, options: dict[str, Any]) -> dict[str, Any]:
    """Post a logout token to the client's back-channel URI, as the spec's OP does."""
    client = state.clients[options["client_id"]]
    assert client.backchannel_logout_uri, "register the client with a backchannel_logout_uri"
    token = options.get("token") or logout_token(state, options)
    async with httpx.AsyncClient(timeout=10) as http:
        response = await http.post(client.backchannel_logout_uri, data={"logout_token": token})
    return {
        "token": token,
        "status": response.status_code,
        "body": response.text,
        "cache_control": response.headers.get("cache-control"),
    }


async def end_session(request: Request, state: ProviderState) -> Response:
    """RP-Initiated Logout 1.0: check the hint and the return address, end the session."""
    query = request.query_params
    hint = query.get("id_token_hint", "")
    try:
        claims = jwt.decode(hint, state.signing_key, algorithms=["RS256"]).claims
    except (JoseError, ValueError) as exc:
        return JSONResponse({"error": "invalid_request", "detail": f"id_token_hint: {exc}"}, 400)
    audience = claims.get("aud")
    client_id = audience[0] if isinstance(audience, list) else audience
    client = state.clients.get(str(client_id))
    if client is None or query.get("client_id") not in (None, client_id):
        return JSONResponse({"error": "invalid_request", "detail": "unknown client"}, 400)
    target = query.get("post_logout_redirect_uri")
    if target is not None and target not in client.post_logout_redirect_uris:
        return JSONResponse({"error": "invalid_request", "detail": "unregistered uri"}, 400)
    state.sessions.pop(str(claims.get("sid")), None)
    state.logouts.append(
        {
            "client_id": client_id,
            "sid": claims.get("sid"),
            "sub": claims.get("sub"),
            "post_logout_redirect_uri": target,
            "state": query.get("state"),
        }
    )
    if target is None:
        return JSONResponse({"signed_out": True})
    back = (
        target
        + ("&" if "?" in target else "?")
        + str(httpx.QueryParams({"state": query["state"]} if "state" in query else {}))
    )
    return RedirectResponse(back.rstrip("?"), status_code=302)
