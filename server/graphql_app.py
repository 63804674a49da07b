"""The `/graphql` endpoint: Strawberry over Starlette, with a per-request context."""

from __future__ import annotations

from typing import Any

import strawberry
from cross_web import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLHTTPResponse
from strawberry.types import ExecutionResult

from schema.context import Context
from schema.masking import mask_errors
from server import json_encoding
from server.auth.graphiql_page import with_steward_csrf
from server.responses import unauthenticated

_OUTCOMES = (
    ("SERVICE_UNAVAILABLE", "unavailable"),
    ("TIMEOUT", "timeout"),
    ("INTERNAL_SERVER_ERROR", "internal_error"),
)


def _outcome(result: ExecutionResult) -> str:
    """ok, or what the (masked) errors say went wrong: one bounded label."""
    if not result.errors:
        return "ok"
    codes = {(e.extensions or {}).get("code") for e in result.errors}
    return next((label for code, label in _OUTCOMES if code in codes), "error")


class StewardGraphQL(GraphQL[Context, None]):
    """Strawberry's ASGI app, answering 401 before GraphQL when no valid credential came."""

    # orjson where Python still encodes (mutations, and reads the planner cannot compile).
    encode_json = staticmethod(json_encoding.encode_json)

    def __init__(self, schema: strawberry.Schema, *, development: bool) -> None:
        super().__init__(
            schema,
            graphql_ide="graphiql" if development else None,
            allow_queries_via_get=False,
            multipart_uploads_enabled=False,
            # No subscriptions yet, and graphql-transport-ws would also carry queries and
            # mutations past the HTTP-only authentication, CSRF and rate-limit middleware.
            subscription_protocols=(),
        )
        self.development = development
        # Rewritten once at start: a changed Strawberry page stops the app, not GraphiQL.
        self._ide_html = with_steward_csrf(self.graphql_ide_html) if development else ""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket":
            # Refused before Strawberry sees it, whichever WebSocket library the server has.
            await WebSocket(scope, receive, send).close(code=1008)  # policy violation
            return
        state = scope.get("state", {})
        wants_ide = self.development and scope.get("method") == "GET"
        if scope["type"] == "http" and state.get("principal") is None and not wants_ide:
            await unauthenticated()(scope, receive, send)
            return
        await super().__call__(scope, receive, send)

    async def render_graphql_ide(self, request: Request) -> Response:
        return HTMLResponse(self._ide_html)

    async def parse_http_body(self, request: Any) -> Any:
        # Strawberry assumes a JSON object: a JSON string, number or null body
        # would otherwise raise AttributeError (a 500) instead of a 400.
        try:
            return await super().parse_http_body(request)
        except (AttributeError, TypeError) as exc:
            raise HTTPException(
                400, "the request body must be a JSON object with a `query` string"
            ) from exc

    async def process_result(
        self, request: Request, result: ExecutionResult
    ) -> GraphQLHTTPResponse:
        # The last line of defence: an exception Strawberry caught outside every
        # extension (so outside MaskUnexpectedErrors) is masked here all the same.
        if result.errors:
            result.errors = mask_errors(result.errors, request.state.graphql_response)
        request.state.graphql_outcome = _outcome(result)  # server/observability/metrics.py
        return await super().process_result(request, result)

    async def get_context(
        self, request: Request | WebSocket, response: Response | WebSocket
    ) -> Context:
        state: Any = request.state
        http_response = response if isinstance(response, Response) else None
        # process_result gets only the request; the response it may set a status on
        # (503 for an outage) travels in the request's state.
        state.graphql_response = http_response
        return Context(
            request=request,  # type: ignore[arg-type]
            response=http_response,
            principal=state.principal,
            engine=state.engine,
            redis=state.redis,
        )
