"""Resolves the caller's credential once per request; routes decide whether it is required.

Two credentials, tried in this order:

1. `Authorization: Bearer <api token>`: when present it alone decides; a browser
   cookie sent alongside is ignored.
2. The `steward_session` cookie of a browser login. Unsafe methods must pass the
   CSRF check (server/auth/csrf.py) or are answered 403 here, before any route
   runs. A renewed session's cookies are re-sent with the response; a stale
   cookie is cleared.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import structlog
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.types import Message, Receive, Scope, Send

from server.auth.bearer import bearer_secret, principal_from_token
from server.auth.cookies import (
    CSRF_COOKIE,
    SESSION_COOKIE,
    cleared_session_cookies,
    cookie_header,
    read_cookie,
)
from server.auth.csrf import csrf_refusal
from server.auth.sessions import ResolvedSession, resolve_browser_session
from server.middleware.http_only import HttpOnlyMiddleware
from server.responses import json_error
from server.settings import Settings


def _renewed_cookies(
    session: ResolvedSession, secret: str, csrf: str | None, *, secure: bool
) -> list[str]:
    max_age = max(0, int((session.expires_at - datetime.now(UTC)).total_seconds()))
    cookies = [cookie_header(SESSION_COOKIE, secret, max_age=max_age, secure=secure)]
    if session.csrf_matches(csrf):  # re-send only the session's own token, never a planted one
        assert csrf is not None
        cookies.append(
            cookie_header(CSRF_COOKIE, csrf, max_age=max_age, secure=secure, http_only=False)
        )
    return cookies


def _cookie_name(value: bytes) -> bytes:
    return value.split(b"=", 1)[0].strip()


def _with_cookies(send: Send, cookies: list[str]) -> Send:
    """Add `cookies` to the response, except those the route set itself: a login
    over a stale cookie, or a logout, must keep the route's own Set-Cookie."""

    async def wrapped(message: Message) -> None:
        if message["type"] == "http.response.start" and cookies:
            headers = list(message.get("headers", []))
            taken = {_cookie_name(v) for k, v in headers if k.lower() == b"set-cookie"}
            for cookie in cookies:
                encoded = cookie.encode("latin-1")
                if _cookie_name(encoded) not in taken:
                    headers.append((b"set-cookie", encoded))
            message["headers"] = headers
        await send(message)

    return wrapped


class AuthenticationMiddleware(HttpOnlyMiddleware):
    """Pure ASGI: puts `principal` (or None) in the request state and binds the tenant to logs.

    A credential that is present but invalid is recorded as `auth_failed`, so a
    protected route answers 401 instead of treating the caller as anonymous.
    A browser session also lands in `state["browser_session"]` (logout uses it).
    """

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        state = scope.setdefault("state", {})
        state["principal"] = None
        state["browser_session"] = None
        state["auth_failed"] = False
        engine: AsyncEngine = state["engine"]
        secret = bearer_secret(scope["headers"])
        if secret is not None:
            principal = await principal_from_token(engine, secret)
            if principal is None:
                state["auth_failed"] = True
            else:
                state["principal"] = principal
                structlog.contextvars.bind_contextvars(
                    tenant=principal.tenant.slug, principal=principal.label
                )
            await self.app(scope, receive, send)
            return
        cookie = read_cookie(scope["headers"], SESSION_COOKIE)
        if cookie is None:
            await self.app(scope, receive, send)
            return
        settings: Settings = state["settings"]
        secure = settings.production
        session = await resolve_browser_session(
            engine,
            cookie,
            idle=timedelta(minutes=settings.session_idle_minutes),
            absolute=timedelta(hours=settings.session_max_hours),
        )
        if session is None:
            state["auth_failed"] = True
            await self.app(
                scope, receive, _with_cookies(send, cleared_session_cookies(secure=secure))
            )
            return
        refusal = csrf_refusal(scope, session)
        if refusal is not None:
            await json_error(403, "CSRF_FAILED", refusal)(scope, receive, send)
            return
        state["principal"] = session.principal
        state["browser_session"] = session
        structlog.contextvars.bind_contextvars(
            tenant=session.tenant.slug, principal=session.principal.label
        )
        cookies = (
            _renewed_cookies(
                session, cookie, read_cookie(scope["headers"], CSRF_COOKIE), secure=secure
            )
            if session.renewed
            else []
        )
        await self.app(scope, receive, _with_cookies(send, cookies))
