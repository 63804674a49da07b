"""Browser login routes: `GET /auth/{tenant}/login`, `GET /auth/{tenant}/callback`,
and `GET /auth/session` (logout: server/routes/logout.py).

The tenant in the path only selects which registry row to load; its schema and
role names come from that row, never from the path. The redirect URI is built
from STEWARD_PUBLIC_URL (the request's own origin outside production), and
must be registered with each provider exactly as
`<STEWARD_PUBLIC_URL>/auth/<tenant>/callback`.
"""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from strawberry.relay import GlobalID

from server.auth.cookies import (
    LOGIN_COOKIE,
    SESSION_COOKIE,
    login_cookie,
    session_cookies,
)
from server.auth.login_flow import Browser, begin_login, finish_login
from server.auth.pages import NO_STORE, refusal_response
from server.auth.refusal_log import log_refusal
from server.auth.resources import AuthResources
from server.auth.sessions import ResolvedSession
from server.auth.signed_in_page import landing_path
from server.auth.signin_page import login_link, providers_for_email, render_signin_page
from server.observability.metrics import record_login
from server.responses import unauthenticated
from tenants.registry import TenantRef, get_tenant
from tenants.services.browser_sessions import csrf_token_for
from tenants.services.identity_providers import list_identity_providers
from tenants.services.login_refusals import LoginRefused, Refusal
from tenants.session import tenant_session
from tenants.slugs import SLUG_PATTERN


async def _tenant(engine: AsyncEngine, slug: str) -> TenantRef:
    tenant = None
    if SLUG_PATTERN.fullmatch(slug):
        async with engine.connect() as conn:
            tenant = await get_tenant(conn, slug)
    if tenant is None:
        refusal = LoginRefused(Refusal.TENANT_UNKNOWN, "there is no such consultancy here")
        # Not audited (there is no tenant to write to), so the log is its only trace.
        log_refusal(refusal, stage="lookup", tenant=None)
        raise refusal
    return tenant


def redirect_uri(request: Request, auth: AuthResources, tenant: TenantRef) -> str:
    origin = auth.settings.public_url or str(request.base_url).rstrip("/")
    return f"{origin}/auth/{tenant.slug}/callback"


def _provider_id(request: Request) -> uuid.UUID | None:
    raw = request.query_params.get("idp")
    if not raw:
        return None
    try:
        return uuid.UUID(raw)
    except ValueError:
        raise LoginRefused(Refusal.IDP_UNKNOWN, "no such identity provider is configured") from None


async def signin_page(request: Request) -> Response:
    """The tenant's providers by name; `?email=` picks the one whose domains hold it."""
    engine: AsyncEngine = request.state.engine
    try:
        tenant = await _tenant(engine, request.path_params["tenant"])
    except LoginRefused as refusal:
        return refusal_response(request, refusal)
    async with tenant_session(engine, tenant) as session:
        providers = await list_identity_providers(session)
    next_value = request.query_params.get("next") or None
    email = request.query_params.get("email")
    notice = None
    if email:
        matches = providers_for_email(providers, email)
        if len(matches) == 1:
            url = login_link(tenant.slug, matches[0], next_value)
            return RedirectResponse(url, status_code=303, headers=NO_STORE)
        notice = (
            "Several organisations use that domain; choose yours below."
            if matches
            else "No organisation here signs in with that e-mail domain; choose yours below."
        )
        providers = matches or providers
    page = render_signin_page(
        slug=tenant.slug,
        tenant_name=tenant.name,
        providers=providers,
        next_value=next_value,
        notice=notice,
    )
    return HTMLResponse(page, headers=NO_STORE)


async def login(request: Request) -> Response:
    engine: AsyncEngine = request.state.engine
    auth: AuthResources = request.state.auth
    try:
        tenant = await _tenant(engine, request.path_params["tenant"])
        start = await begin_login(
            engine,
            auth,
            tenant,
            identity_provider_id=_provider_id(request),
            next_value=request.query_params.get("next"),
            browser_binding=request.cookies.get(LOGIN_COOKIE),
            redirect_uri=redirect_uri(request, auth, tenant),
        )
    except LoginRefused as refusal:
        record_login("start", refusal.reason.value)
        return refusal_response(request, refusal)
    record_login("start", None)
    response = RedirectResponse(start.url, status_code=302, headers=NO_STORE)
    response.headers.append(
        "set-cookie",
        login_cookie(
            start.browser_binding,
            max_age=auth.settings.login_ttl_seconds,
            secure=auth.secure_cookies,
        ),
    )
    return response


async def callback(request: Request) -> Response:
    engine: AsyncEngine = request.state.engine
    auth: AuthResources = request.state.auth
    try:
        tenant = await _tenant(engine, request.path_params["tenant"])
        done = await finish_login(
            engine,
            auth,
            tenant,
            params=request.query_params.multi_items(),
            browser_binding=request.cookies.get(LOGIN_COOKIE),
            redirect_uri=redirect_uri(request, auth, tenant),
            client=Browser(
                request.client.host if request.client else None,
                request.headers.get("user-agent"),
            ),
        )
    except LoginRefused as refusal:
        record_login("callback", refusal.reason.value)
        return refusal_response(request, refusal)
    record_login("callback", None)
    response = RedirectResponse(
        landing_path(tenant.slug, done.next_path, auth.settings.frontend_url),
        status_code=303,
        headers=NO_STORE,
    )
    for cookie in session_cookies(
        done.session.secret,
        done.session.csrf_token,
        max_age=int(auth.session_idle.total_seconds()),
        secure=auth.secure_cookies,
    ):
        response.headers.append("set-cookie", cookie)
    return response


async def current_session(request: Request) -> Response:
    """Who this browser is signed in as, and the CSRF token its front end must send."""
    session: ResolvedSession | None = request.state.browser_session
    secret = request.cookies.get(SESSION_COOKIE)
    if session is None or secret is None:
        return unauthenticated()
    body = {
        "member": {
            # Global ids, as GraphQL gives them (`viewer`, `node(id:)`).
            "id": str(GlobalID("Member", str(session.member_id))),
            "name": session.member_name,
            "role": session.role.value.upper(),
            # The Relay global id, as `viewer.clientOrganisationId` gives it.
            "clientOrganisationId": str(
                GlobalID("ClientOrganisation", str(session.client_organisation_id))
            )
            if session.client_organisation_id
            else None,
        },
        "tenant": {"slug": session.tenant.slug, "name": session.tenant.name},
        "expiresAt": session.expires_at.isoformat(),
        "csrfToken": csrf_token_for(secret),
    }
    return JSONResponse(body, headers=NO_STORE)
