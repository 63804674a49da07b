"""Logout routes: `POST /auth/logout`, `GET /auth/{tenant}/signed-out` and
`POST /auth/{tenant}/backchannel-logout/{idp}` (server/auth/backchannel.py).

`POST /auth/logout` (the CSRF header is checked by the middleware) ends this browser's
session at once. When the session's provider offers RP-initiated logout
(server/auth/rp_logout.py) the browser must go on to the provider: a request that
accepts JSON (a front end's fetch) gets 200 `{"redirectTo": URL}`, any other a 303 to
it. Without one the answer is 204, as before.
"""

from __future__ import annotations

import hmac
import secrets
from html import escape

from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from server.auth.cookies import cleared_session_cookies, cookie_header
from server.auth.pages import NO_STORE
from server.auth.resources import AuthResources
from server.auth.rp_logout import LOGOUT_COOKIE, end_session_url, take_id_token
from server.auth.sessions import ResolvedSession
from tenants.registry import TenantRef
from tenants.services.browser_sessions import revoke_browser_session
from tenants.services.login import record_logout
from tenants.session import tenant_session

_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Signed out</title></head>
<body><h1>Signed out</h1><p>{body}</p></body></html>
"""


def post_logout_redirect_uri(request: Request, auth: AuthResources, tenant: TenantRef) -> str:
    """`<STEWARD_PUBLIC_URL>/auth/<tenant>/signed-out`, to register at each provider."""
    origin = auth.settings.public_url or str(request.base_url).rstrip("/")
    return f"{origin}/auth/{tenant.slug}/signed-out"


async def _provider_logout(request: Request, session: ResolvedSession, state: str) -> str | None:
    engine: AsyncEngine = request.state.engine
    auth: AuthResources = request.state.auth
    login = await take_id_token(engine, auth, session.id)
    if login is None:
        return None
    return await end_session_url(
        engine,
        auth,
        session.tenant,
        login,
        post_logout_redirect_uri=post_logout_redirect_uri(request, auth, session.tenant),
        state=state,
    )


def _wants_json(request: Request) -> bool:
    return "application/json" in request.headers.get("accept", "")


async def logout(request: Request) -> Response:
    """End this browser's session; then, if its provider offers it, send it there."""
    engine: AsyncEngine = request.state.engine
    auth: AuthResources = request.state.auth
    session: ResolvedSession | None = request.state.browser_session
    url, state = None, secrets.token_urlsafe(24)
    if session is not None:
        async with tenant_session(engine, session.tenant) as db:
            if await revoke_browser_session(db, session_id=session.id):
                await record_logout(
                    db,
                    member_id=session.member_id,
                    label=session.member_name,
                    session_id=session.id,
                )
        url = await _provider_logout(request, session, state)
    response: Response
    if url is None:
        response = Response(status_code=204, headers=NO_STORE)
    elif _wants_json(request):
        response = JSONResponse({"redirectTo": url}, headers=NO_STORE)
    else:
        response = RedirectResponse(url, status_code=303, headers=NO_STORE)
    for cookie in cleared_session_cookies(secure=auth.secure_cookies):
        response.headers.append("set-cookie", cookie)
    if url is not None:
        max_age = auth.settings.login_ttl_seconds
        response.headers.append(
            "set-cookie",
            cookie_header(
                LOGOUT_COOKIE, state, max_age=max_age, secure=auth.secure_cookies, path="/auth/"
            ),
        )
    return response


async def signed_out_page(request: Request) -> Response:
    """Where the provider sends the browser back (`post_logout_redirect_uri`)."""
    auth: AuthResources = request.state.auth
    expected = request.cookies.get(LOGOUT_COOKIE)
    given = request.query_params.get("state")
    confirmed = bool(expected and given and hmac.compare_digest(expected, given))
    body = (
        "You are signed out of Steward and of your identity provider."
        if confirmed
        else "You are signed out of Steward."
    )
    login = f"/auth/{escape(request.path_params['tenant'])}"
    page = _PAGE.format(body=f'{body} <a href="{login}">Sign in again</a>.')
    response = HTMLResponse(page, headers=NO_STORE)
    response.headers.append(
        "set-cookie",
        cookie_header(LOGOUT_COOKIE, "", max_age=0, secure=auth.secure_cookies, path="/auth/"),
    )
    return response
