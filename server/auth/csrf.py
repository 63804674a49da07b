"""CSRF defence for cookie-authenticated requests (bearer tokens are not ambient, need none).

Chosen scheme: a per-session token checked against the session record, sent
by the front end in the `X-Steward-CSRF` header. A same-origin front end reads
it from the `steward_csrf` cookie set at login; one on another origin gets it
from `GET /auth/session` (a credentialed CORS request, readable only by the
origins in STEWARD_CORS_ORIGINS). A cross-site page can read neither, and
cannot add a custom header without a CORS preflight that only those origins
pass. Because the server compares with the digest stored on the session (not
merely with a cookie, as plain double-submit would), a cookie planted from a
sibling subdomain does not help an attacker either.

On `/graphql` the body must also be `application/json`: the one content type a
plain HTML form cannot send. Safe methods (GET, HEAD, OPTIONS) change nothing
and are not checked; GraphQL over GET is disabled.
"""

from __future__ import annotations

from starlette.types import Scope

from server.auth.cookies import CSRF_HEADER, read_header
from server.auth.sessions import ResolvedSession

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
JSON_PATHS = frozenset({"/graphql"})


def csrf_refusal(scope: Scope, session: ResolvedSession) -> str | None:
    """Why this cookie-authenticated request must be refused, or None when it may proceed."""
    if scope["method"] in SAFE_METHODS:
        return None
    headers = scope["headers"]
    if not session.csrf_matches(read_header(headers, CSRF_HEADER)):
        return (
            "cookie-authenticated requests must send the X-Steward-CSRF header "
            "with the value of the steward_csrf cookie"
        )
    if scope["path"] in JSON_PATHS:
        content_type = (read_header(headers, "content-type") or "").split(";", 1)[0]
        if content_type.strip().lower() != "application/json":
            return "cookie-authenticated GraphQL requests must be application/json"
    return None
