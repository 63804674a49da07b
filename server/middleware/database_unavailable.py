"""A database outage answers 503 with Retry-After, fast, instead of a 500."""

from __future__ import annotations

import structlog
from starlette.types import Receive, Scope, Send

from server.middleware.http_only import HttpOnlyMiddleware, StartWatch
from server.responses import json_error
from tenants.db_errors import is_database_unavailable

log = structlog.get_logger("steward.http")
RETRY_AFTER_S = 2


class DatabaseUnavailableMiddleware(HttpOnlyMiddleware):
    """Pure ASGI: turns a connection failure raised before the response started into 503."""

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        watch = StartWatch(send)
        try:
            await self.app(scope, receive, watch)
        except Exception as exc:
            if watch.started or not is_database_unavailable(exc):
                raise
            log.warning("database.unavailable", error=type(exc).__name__)
            response = json_error(
                503,
                "SERVICE_UNAVAILABLE",
                "the database is unavailable; retry shortly",
                headers={"Retry-After": str(RETRY_AFTER_S)},
            )
            await response(scope, receive, send)
