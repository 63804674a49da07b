"""OpenTelemetry traces: off unless OTEL_EXPORTER_OTLP_ENDPOINT or OTEL_TRACES_EXPORTER is set.

Spans: HTTP (the ASGI instrumentation, outermost), the GraphQL operation (its
name and read path), SQL (SQLAlchemy's engine instrumentation, and the compiled
path's own statements in schema/compiled/runner.py), Redis, httpx, and each job
(jobs/observed.py, a child of the request that queued it).

Every span gets `steward.tenant` and `steward.request_id` from the same context
the log lines take them from. No personal data: the HTTP span never sees the
query string (sign-in callbacks carry the authorization code there) or the
client address; URLs of outgoing calls lose their query; SQL spans carry
statement text with placeholders only, Redis spans the command name only, and
no span records GraphQL variables, names, emails or tokens.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import structlog
from opentelemetry import trace
from opentelemetry.context import Context
from opentelemetry.instrumentation.asgi import OpenTelemetryMiddleware
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import ReadableSpan, Span, SpanProcessor, TracerProvider, sampling
from opentelemetry.sdk.trace.export import (
    BatchSpanProcessor,
    ConsoleSpanExporter,
    SpanExporter,
)
from opentelemetry.trace import Link, SpanKind, TraceState
from opentelemetry.util.types import Attributes
from starlette.types import ASGIApp, Receive, Scope, Send

from jobs import tracing as job_tracing
from server.middleware.http_only import HttpOnlyMiddleware, StartWatch
from server.observability.metrics import graphql_outcome
from server.settings import Settings

_ORIGINAL_SCOPE = "steward.original_scope"
_CONTEXT_KEYS = (("request_id", "steward.request_id"), ("tenant", "steward.tenant"))
_URL_KEYS = ("http.url", "url.full")
_state: dict[str, TracerProvider | None] = {"provider": None}
tracer = trace.get_tracer("steward")


class RequestAttributes(SpanProcessor):
    """Adds the request id and tenant bound for the logs; drops query strings from URLs."""

    def on_start(self, span: Span, parent_context: Context | None = None) -> None:
        bound = structlog.contextvars.get_contextvars()
        for key, attribute in _CONTEXT_KEYS:
            value = bound.get(key)
            if value:
                span.set_attribute(attribute, str(value))
        attributes = span.attributes or {}
        for key in _URL_KEYS:
            url = attributes.get(key)
            if isinstance(url, str) and "?" in url:
                span.set_attribute(key, url.split("?", 1)[0])

    def on_end(self, span: ReadableSpan) -> None:
        return None


class NoOrphanClientSpans(sampling.Sampler):
    """Drops client spans (SQL, Redis, httpx) that belong to no request or job.

    Without it the worker's queue polling and the metrics samplers would each start a
    trace of one Redis or SQL span, several a second. Everything else is decided by the
    sampler OTEL_TRACES_SAMPLER names (parent-based, always on by default).
    """

    def __init__(self, inner: sampling.Sampler) -> None:
        self.inner = inner

    def should_sample(
        self,
        parent_context: Context | None,
        trace_id: int,
        name: str,
        kind: SpanKind | None = None,
        attributes: Attributes = None,
        links: Sequence[Link] | None = None,
        trace_state: TraceState | None = None,
    ) -> sampling.SamplingResult:
        parent = trace.get_current_span(parent_context).get_span_context()
        if kind is SpanKind.CLIENT and not parent.is_valid:
            return sampling.SamplingResult(sampling.Decision.DROP)
        return self.inner.should_sample(
            parent_context, trace_id, name, kind, attributes, links, trace_state
        )

    def get_description(self) -> str:
        return f"NoOrphanClientSpans{{{self.inner.get_description()}}}"


def _exporter(settings: Settings) -> SpanExporter:
    if settings.otel_traces_exporter == "console":
        return ConsoleSpanExporter()
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

    # The SDK reads the rest (OTEL_EXPORTER_OTLP_HEADERS, _TIMEOUT, ...) from the environment.
    return OTLPSpanExporter(endpoint=settings.otel_traces_url)


def configure_tracing(
    settings: Settings, service_name: str, *, span_processor: SpanProcessor | None = None
) -> bool:
    """Install the tracer provider and the Redis and httpx instrumentation, once a process.

    `span_processor` replaces the OTLP export (tests pass an in-memory exporter).
    """
    if span_processor is None and not settings.tracing:
        return False
    provider = _state["provider"]
    if provider is not None:
        if span_processor is not None:
            provider.add_span_processor(span_processor)
        job_tracing.enable()
        return True
    attributes = {} if settings.otel_service_name else {"service.name": service_name}
    provider = TracerProvider(
        resource=Resource.create(attributes),
        sampler=NoOrphanClientSpans(sampling._get_from_env_or_default()),
    )
    provider.add_span_processor(RequestAttributes())
    provider.add_span_processor(span_processor or BatchSpanProcessor(_exporter(settings)))
    trace.set_tracer_provider(provider)
    from opentelemetry.instrumentation.httpx import HTTPXClientInstrumentor
    from opentelemetry.instrumentation.redis import RedisInstrumentor

    RedisInstrumentor().instrument(tracer_provider=provider)
    HTTPXClientInstrumentor().instrument(tracer_provider=provider)
    _state["provider"] = provider
    job_tracing.enable()
    return True


def tracing_enabled() -> bool:
    return job_tracing.enabled()


def _span_details(scope: Scope) -> tuple[str, dict[str, Any]]:
    from server.observability.metrics import route_label

    return f"{scope.get('method', 'GET')} {route_label(scope.get('path', ''))}", {}


async def _restore_scope(app: ASGIApp, scope: Scope, receive: Receive, send: Send) -> None:
    await app(scope.get(_ORIGINAL_SCOPE, scope), receive, send)


class TracingMiddleware(HttpOnlyMiddleware):
    """The ASGI instrumentation, shown the request without its query string and client."""

    def __init__(self, app: ASGIApp) -> None:
        async def inner(scope: Scope, receive: Receive, send: Send) -> None:
            await _restore_scope(app, scope, receive, send)

        super().__init__(app)
        self.instrumented = OpenTelemetryMiddleware(
            inner, default_span_details=_span_details, exclude_spans=["receive", "send"]
        )

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        shown = {**scope, "query_string": b"", "client": None, _ORIGINAL_SCOPE: scope}
        await self.instrumented(shown, receive, send)


class GraphQLSpan(HttpOnlyMiddleware):
    """A span around one GraphQL operation, named after it, with its read path."""

    def applies(self, scope: Scope) -> bool:
        return super().applies(scope) and scope.get("method") == "POST"

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        watch = StartWatch(send)
        with tracer.start_as_current_span("graphql", kind=SpanKind.INTERNAL) as span:
            try:
                await self.app(scope, receive, watch)
            finally:
                state: dict[str, Any] = scope.get("state") or {}
                name, kind = state.get("graphql_operation"), state.get("graphql_operation_type")
                span.update_name(" ".join(["graphql", *(str(p) for p in (kind, name) if p)]))
                if name:
                    span.set_attribute("graphql.operation.name", str(name))
                if kind:
                    span.set_attribute("graphql.operation.type", str(kind))
                span.set_attribute("steward.read_path", str(state.get("read_path", "ordinary")))
                span.set_attribute(
                    "steward.graphql.outcome", graphql_outcome(watch.status or 500, state)
                )
