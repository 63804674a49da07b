"""What every pure ASGI middleware here (Starlette's `middleware/` style, never
`BaseHTTPMiddleware`) starts from: act on HTTP requests only, and watch for the response's
start, which is the moment after which a failure can no longer be answered on its own."""

from __future__ import annotations

from abc import ABC, abstractmethod

from starlette.types import ASGIApp, Message, Receive, Scope, Send


class HttpOnlyMiddleware(ABC):
    """Lifespan and websocket scopes (and whatever `applies` turns down) go straight to
    the app; an HTTP request goes to `handle`."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    def applies(self, scope: Scope) -> bool:
        return bool(scope["type"] == "http")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not self.applies(scope):
            await self.app(scope, receive, send)
            return
        await self.handle(scope, receive, send)

    @abstractmethod
    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None: ...


class StartWatch:
    """`send`, noting the status the response starts with (None until it has started)."""

    def __init__(self, send: Send) -> None:
        self._send = send
        self.status: int | None = None

    @property
    def started(self) -> bool:
        return self.status is not None

    async def __call__(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.status = message["status"]
        await self._send(message)
