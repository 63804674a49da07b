"""Gives each request an id, binds it (and later the tenant) to every log line."""

from __future__ import annotations

import re
import time
import uuid

import structlog
from starlette.types import Message, Receive, Scope, Send

from server.middleware.http_only import HttpOnlyMiddleware, StartWatch

log = structlog.get_logger("steward.http")
_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestContextMiddleware(HttpOnlyMiddleware):
    """Pure ASGI: sets `X-Request-Id`, logs one line per request with status and time."""

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        incoming = dict(scope["headers"]).get(b"x-request-id", b"").decode("latin-1")
        request_id = incoming if _SAFE_ID.fullmatch(incoming) else uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = request_id
        structlog.contextvars.clear_contextvars()
        structlog.contextvars.bind_contextvars(request_id=request_id)
        started = time.perf_counter()

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers.append((b"x-request-id", request_id.encode()))
                message["headers"] = headers
            await send(message)

        watch = StartWatch(send_with_id)
        try:
            await self.app(scope, receive, watch)
        finally:
            log.info(
                "http.request",
                method=scope["method"],
                path=scope["path"],
                status=watch.status or 500,  # raised before it started: answered as a 500
                duration_ms=round((time.perf_counter() - started) * 1000, 2),
            )
            structlog.contextvars.clear_contextvars()
