"""Security headers on every response, so no route can forget them."""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from server.middleware.http_only import HttpOnlyMiddleware

# The API serves JSON and report documents; nothing needs scripts or framing.
# GraphiQL (development only) loads its scripts from a CDN, so its CSP is looser.
API_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'"
DEV_CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline' https://unpkg.com; "
    "style-src 'self' 'unsafe-inline' https://unpkg.com; img-src 'self' data:; "
    "connect-src 'self'; frame-ancestors 'none'"
)


class SecurityHeadersMiddleware(HttpOnlyMiddleware):
    """Pure ASGI: nosniff, no framing, no referrer, a strict CSP, HSTS outside development."""

    def __init__(self, app: ASGIApp, *, development: bool) -> None:
        super().__init__(app)
        self.development = development

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("X-Content-Type-Options", "nosniff")
                headers.setdefault("X-Frame-Options", "DENY")
                headers.setdefault("Referrer-Policy", "no-referrer")
                headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
                headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
                headers.setdefault(
                    "Content-Security-Policy", DEV_CSP if self.development else API_CSP
                )
                headers.setdefault("Cache-Control", "no-store")
                if not self.development:
                    headers.setdefault(
                        "Strict-Transport-Security", "max-age=31536000; includeSubDomains"
                    )
            await send(message)

        await self.app(scope, receive, with_headers)
