"""What create_app adds for metrics and traces (server/app.py shows where)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable

from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.middleware import Middleware
from starlette.types import ASGIApp

from jobs.tracing import trace_engine
from server.observability.metrics import sample_pool, watch_engine
from server.observability.middleware import MetricsMiddleware
from server.observability.tracing import GraphQLSpan, TracingMiddleware, tracing_enabled


def observability_middleware() -> list[Middleware]:
    """Tracing outermost (when this process traces), then the request metrics."""
    tracing = tracing_enabled()
    traced = [Middleware(TracingMiddleware)] if tracing else []
    return [*traced, Middleware(MetricsMiddleware, tracing=tracing)]


def traced_graphql(app: ASGIApp) -> ASGIApp:
    return GraphQLSpan(app) if tracing_enabled() else app


def observe_engine(engine: AsyncEngine, *, sample: bool) -> Callable[[], Awaitable[None]]:
    """Statement timeouts, SQL spans and (with `sample`) pool gauges; returns the stop."""
    watch_engine(engine)
    trace_engine(engine)
    task = asyncio.create_task(sample_pool(engine)) if sample else None

    async def stop() -> None:
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    return stop
