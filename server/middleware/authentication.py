"""Resolves the caller's credential once per request; routes decide whether it is required."""

from __future__ import annotations

import structlog
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.types import ASGIApp, Receive, Scope, Send

from server.auth.bearer import bearer_secret, principal_from_token


class AuthenticationMiddleware:
    """Pure ASGI: puts `principal` (or None) in the request state and binds the tenant to logs.

    A credential that is present but invalid is recorded as `auth_failed`, so a
    protected route answers 401 instead of treating the caller as anonymous.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        state = scope.setdefault("state", {})
        state["principal"] = None
        state["auth_failed"] = False
        secret = bearer_secret(scope["headers"])
        if secret is not None:
            engine: AsyncEngine = state["engine"]
            principal = await principal_from_token(engine, secret)
            if principal is None:
                state["auth_failed"] = True
            else:
                state["principal"] = principal
                structlog.contextvars.bind_contextvars(
                    tenant=principal.tenant.slug, principal=principal.label
                )
        await self.app(scope, receive, send)
