"""The provider's HTTP face: discovery, JWKS, authorize, token, UserInfo, `/_control` for tests."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qsl

from authlib.common.urls import add_params_to_uri
from authlib.oauth2 import OAuth2Error
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from tests.oidc_provider.authorization import PlainRequest, ProviderResponse, ProviderServer
from tests.oidc_provider.logout import end_session as end_session_response
from tests.oidc_provider.logout import send_backchannel_logout
from tests.oidc_provider.state import Client, ProviderState


def _to_starlette(result: ProviderResponse) -> Response:
    if result.location:
        return RedirectResponse(result.location, status_code=result.status)
    body = result.body if isinstance(result.body, str) else json.dumps(result.body)
    headers = {k: v for k, v in result.headers.items() if k.lower() != "content-type"}
    return Response(body, status_code=result.status, headers=headers, media_type="application/json")


def discovery_document(state: ProviderState) -> dict[str, Any]:
    logout: dict[str, Any] = (
        {"end_session_endpoint": f"{state.issuer}/end_session"} if state.end_session else {}
    )
    return {
        **logout,
        "backchannel_logout_supported": True,
        "backchannel_logout_session_supported": True,
        "issuer": state.knobs.get("discovery_issuer", state.issuer),
        "authorization_endpoint": f"{state.issuer}/authorize",
        "token_endpoint": f"{state.issuer}/token",
        "jwks_uri": f"{state.issuer}/jwks",
        "userinfo_endpoint": f"{state.issuer}/userinfo",
        "response_types_supported": ["code"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "code_challenge_methods_supported": ["S256"],
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        "scopes_supported": ["openid", "email", "profile", "groups"],
        "authorization_response_iss_parameter_supported": True,
    }


def create_provider_app(issuer: str, *, end_session: bool = True) -> Starlette:
    state = ProviderState(issuer=issuer, end_session=end_session)
    server = ProviderServer(state)

    async def discovery(request: Request) -> Response:
        return JSONResponse(discovery_document(state))

    async def jwks(request: Request) -> Response:
        state.jwks_requests += 1
        return JSONResponse({"keys": [state.signing_key.as_dict(private=False)]})

    async def authorize(request: Request) -> Response:
        query = dict(request.query_params)
        req = PlainRequest("GET", str(request.url), request.headers, query, {})
        user = state.next_user
        try:
            grant = server.get_consent_grant(req, end_user=user)
        except OAuth2Error as error:
            return JSONResponse({"error": error.error, "detail": error.description}, 400)
        if state.knobs.get("error"):  # an error response, with iss as RFC 9207 requires
            params = [("error", state.knobs["error"]), ("state", query.get("state", ""))]
            params.append(("iss", state.issuer))
            return RedirectResponse(add_params_to_uri(query["redirect_uri"], params), 302)
        if user is None:
            return JSONResponse({"error": "login_required", "detail": "set next_user"}, 400)
        return _to_starlette(
            server.create_authorization_response(req, grant_user=user, grant=grant)
        )

    async def token(request: Request) -> Response:
        # Parsed by hand: Starlette's form parser needs python-multipart.
        form = dict(parse_qsl((await request.body()).decode(), keep_blank_values=True))
        req = PlainRequest("POST", str(request.url), request.headers, {}, form)
        return _to_starlette(server.create_token_response(req))

    async def userinfo(request: Request) -> Response:
        # OpenID Connect Core 5.3: a bearer access token from the token endpoint.
        scheme, _, value = request.headers.get("authorization", "").partition(" ")
        found = state.access_tokens.get(value) if scheme.lower() == "bearer" else None
        state.userinfo_requests += 1
        if found is None:
            return JSONResponse({"error": "invalid_token"}, 401)
        user, knobs = found
        claims = {**user, "sub": knobs.get("userinfo_sub", user["sub"])}
        claims.pop("sid", None)  # a session claim of the id token, not of the user
        return JSONResponse(claims)

    async def control(request: Request) -> Response:
        if request.method == "POST":
            body: dict[str, Any] = await request.json()
            if body.get("reset"):
                state.reset()
            if "client" in body:
                c = body["client"]
                state.clients[c["client_id"]] = Client(
                    c["client_id"],
                    c["client_secret"],
                    list(c["redirect_uris"]),
                    post_logout_redirect_uris=list(c.get("post_logout_redirect_uris", [])),
                    backchannel_logout_uri=c.get("backchannel_logout_uri"),
                )
            if "next_user" in body:
                state.next_user = body["next_user"]
            if "knobs" in body:
                state.knobs.update(body["knobs"])
            if body.get("rotate_key"):
                state.rotate()
            if "backchannel_logout" in body:
                sent = await send_backchannel_logout(state, body["backchannel_logout"])
                return JSONResponse({**state.summary(), "backchannel_logout": sent})
        return JSONResponse(state.summary())

    async def end_session_route(request: Request) -> Response:
        return await end_session_response(request, state)

    return Starlette(
        routes=[
            Route("/.well-known/openid-configuration", discovery, methods=["GET"]),
            Route("/jwks", jwks, methods=["GET"]),
            Route("/authorize", authorize, methods=["GET"]),
            Route("/token", token, methods=["POST"]),
            Route("/userinfo", userinfo, methods=["GET"]),
            Route("/end_session", end_session_route, methods=["GET"]),
            Route("/_control", control, methods=["GET", "POST"]),
        ]
    )
