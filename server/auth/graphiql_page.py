"""GraphiQL (development only) sends Steward's CSRF header, so a signed-in browser can use it.

Strawberry's page copies Django's convention: the `csrftoken` cookie into an
`x-csrftoken` header, which Steward does not know, so every signed-in request
from GraphiQL was refused 403. The page is rewritten once to read
`steward_csrf` and send `X-Steward-CSRF`; the check in server/auth/csrf.py stays
the only one. A Strawberry release that changes the page fails loudly here,
not silently at the first signed-in request.
"""

from __future__ import annotations

from server.auth.cookies import CSRF_COOKIE, CSRF_HEADER

_REWRITES = (
    ('Cookies.get("csrftoken")', f'Cookies.get("{CSRF_COOKIE}")'),
    ('defaultHeaders["x-csrftoken"]', f'defaultHeaders["{CSRF_HEADER}"]'),
)


class GraphiQLPageChangedError(RuntimeError):
    """Strawberry's GraphiQL page no longer has the lines this module rewrites."""


def with_steward_csrf(html: str) -> str:
    """Strawberry's GraphiQL page, sending the session's CSRF token as Steward expects."""
    for old, new in _REWRITES:
        if old not in html:
            raise GraphiQLPageChangedError(f"GraphiQL page has no {old!r} to rewrite")
        html = html.replace(old, new)
    return html
