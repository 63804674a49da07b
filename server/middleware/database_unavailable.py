"""A database outage answers 503 with Retry-After, fast, instead of a 500."""

from __future__ import annotations

import structlog
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from server.responses import json_error
from tenants.db_errors import is_database_unavailable

log = structlog.get_logger("steward.http")
RETRY_AFTER_S = 2


class DatabaseUnavailableMiddleware:
    """Pure ASGI: turns a connection failure raised before the response started into 503."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking)
        except Exception as exc:
            if started or not is_database_unavailable(exc):
                raise
            log.warning("database.unavailable", error=type(exc).__name__)
            response = json_error(
                503,
                "SERVICE_UNAVAILABLE",
                "the database is unavailable; retry shortly",
                headers={"Retry-After": str(RETRY_AFTER_S)},
            )
            await response(scope, receive, send)
