"""The small page a browser lands on after a login that asked for no `next`.

A login without `next` used to redirect to `/`, which serves nothing (404).
The page says who is signed in and where; in development it links GraphiQL.
"""

from __future__ import annotations

from html import escape

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from server.auth.pages import NO_STORE
from server.auth.sessions import ResolvedSession

DEFAULT_LANDING = "/"

_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title></head>
<body><h1>{title}</h1><p>{body}</p></body></html>
"""


def landing_path(tenant_slug: str, next_path: str, frontend_url: str | None = None) -> str:
    """After login: its `next`, else STEWARD_FRONTEND_URL, else the signed-in page."""
    if next_path != DEFAULT_LANDING:
        return next_path
    return frontend_url or f"/auth/{tenant_slug}/signed-in"


async def signed_in_page(request: Request) -> Response:
    """`GET /auth/{tenant}/signed-in`: who this browser is signed in as (200 either way)."""
    session: ResolvedSession | None = request.state.browser_session
    if session is None:
        login = f"/auth/{escape(request.path_params['tenant'])}/login"
        body = f'You are not signed in. <a href="{login}">Sign in</a>.'
        return HTMLResponse(_PAGE.format(title="Not signed in", body=body), headers=NO_STORE)
    body = (
        f"Signed in as {escape(session.member_name)} ({escape(session.role.value)}) "
        f"at {escape(session.tenant.name)}."
    )
    if request.state.auth.settings.development:
        body += ' <a href="/graphql">Open GraphiQL</a>.'
    return HTMLResponse(_PAGE.format(title="Signed in", body=body), headers=NO_STORE)
