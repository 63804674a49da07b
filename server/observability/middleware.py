"""Pure ASGI: one counter and one histogram observation per request, more for /graphql.

Outermost but for tracing, so it sees every answer: 413s, 429s and 503s from the
middleware further in included. The GraphQL layer leaves what only it knows in
the request state: `graphql_operation` (the name of an operation found in a valid
document), `read_path` ("compiled" when the compiled path answered) and
`graphql_outcome` (set from the executor's errors).
"""

from __future__ import annotations

import time
from typing import Any

from opentelemetry import trace
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from server.middleware.http_only import HttpOnlyMiddleware, StartWatch
from server.observability import metrics


class MetricsMiddleware(HttpOnlyMiddleware):
    def __init__(self, app: ASGIApp, *, tracing: bool = False) -> None:
        super().__init__(app)
        self.tracing = tracing
        self.operations = metrics.OperationNames()
        # Label children by their (bounded) label values: `.labels()` costs ~3 us a call.
        self._children: dict[tuple[object, ...], Any] = {}

    def _child(self, metric: Any, *labels: str) -> Any:
        key = (id(metric), *labels)
        child = self._children.get(key)
        if child is None:
            child = self._children[key] = metric.labels(*labels)
        return child

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        started = time.perf_counter()
        # The HTTP server span (current here, inside the tracing middleware); it ends
        # with the last body message, so it is annotated at the response's start.
        server_span = trace.get_current_span() if self.tracing else None

        async def send_annotated(message: Message) -> None:
            if message["type"] == "http.response.start" and server_span is not None:
                _annotate(server_span, scope.get("state") or {})
            await send(message)

        watch = StartWatch(send_annotated)
        try:
            await self.app(scope, receive, watch)
        finally:
            # No response started: the app raised, and the client is answered a 500.
            self._record(scope, watch.status or 500, time.perf_counter() - started)

    def _record(self, scope: Scope, status: int, elapsed: float) -> None:
        state: dict[str, Any] = scope.get("state") or {}
        route = metrics.route_label(scope["path"])
        self._child(metrics.HTTP_REQUESTS, route, str(status)).inc()
        self._child(metrics.HTTP_DURATION, route).observe(elapsed)
        if route == "graphql" and scope.get("method") == "POST":
            operation = self.operations.label(state.get("graphql_operation"))
            read_path = state.get("read_path", "ordinary")
            outcome = metrics.graphql_outcome(status, state)
            self._child(metrics.GRAPHQL_REQUESTS, operation, outcome, read_path).inc()
            self._child(metrics.GRAPHQL_DURATION, operation, read_path).observe(elapsed)


def _annotate(span: trace.Span, state: dict[str, Any]) -> None:
    """The HTTP server span started before the request id and tenant were known."""
    if not span.is_recording():
        return
    if state.get("request_id"):
        span.set_attribute("steward.request_id", str(state["request_id"]))
    principal = state.get("principal")
    if principal is not None:
        span.set_attribute("steward.tenant", principal.tenant.slug)
