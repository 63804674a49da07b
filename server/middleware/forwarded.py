"""The real client address behind trusted reverse proxies (STEWARD_TRUSTED_PROXIES).

When the connecting peer is one of the trusted proxies, `scope["client"]` becomes the
right-most X-Forwarded-For entry that is not itself a trusted proxy (each proxy appends
the address it saw, so entries left of that are whatever the client chose to send), and
`scope["scheme"]` follows X-Forwarded-Proto. From any other peer both headers are
ignored. uvicorn's own middleware does the parsing; it is applied here, in the app, rather
than by `uvicorn --proxy-headers`, so that every way of serving the app (one process,
`--workers N`, the tests' in-process server) trusts the same proxies, and none by default
(uvicorn's default would trust 127.0.0.1).
"""

from __future__ import annotations

from typing import Any, cast

from starlette.types import ASGIApp, Receive, Scope, Send
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware


class ForwardedClientMiddleware:
    """Pure ASGI; with no trusted proxies it passes requests through untouched."""

    def __init__(self, app: ASGIApp, *, trusted_proxies: list[str]) -> None:
        self.app = app
        self.inner: ASGIApp = (
            cast(ASGIApp, ProxyHeadersMiddleware(cast(Any, app), trusted_proxies))
            if trusted_proxies
            else app
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.inner(scope, receive, send)
