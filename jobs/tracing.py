"""Trace context from the request that queues a job into the job that runs it.

The enqueuing side adds one keyword argument, `trace_context` (a W3C traceparent
carrier), and only while a recorded span is current: with tracing off a job's
arguments are exactly what they were. The worker's wrapper (jobs/observed.py)
takes it out before the task runs, so tasks never see it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from opentelemetry import propagate, trace
from opentelemetry.context import Context
from opentelemetry.trace import SpanKind
from sqlalchemy.ext.asyncio import AsyncEngine

TRACE_KWARG = "trace_context"
tracer = trace.get_tracer("steward.jobs")
_state = {"enabled": False}


def enable(on: bool = True) -> None:
    """Called once the process has a tracer provider (server/observability/tracing.py)."""
    _state["enabled"] = on


def enabled() -> bool:
    return _state["enabled"]


def trace_engine(engine: AsyncEngine) -> None:
    """SQL spans for `engine`'s statements, when this process traces."""
    if not enabled():
        return
    from opentelemetry.instrumentation.sqlalchemy.engine import EngineTracer
    from opentelemetry.metrics import NoOpMeter

    connections = NoOpMeter("steward").create_up_down_counter("db.client.connections.usage")
    EngineTracer(  # type: ignore[no-untyped-call]
        trace.get_tracer("steward.sql"), engine.sync_engine, connections
    )


@contextmanager
def enqueue_span(task: str, queue: str) -> Iterator[dict[str, Any]]:
    """A PRODUCER span around an enqueue; yields the job kwargs that carry it."""
    if not trace.get_current_span().is_recording():
        yield {}
        return
    attributes = {"messaging.system": "arq", "messaging.destination.name": queue}
    with tracer.start_as_current_span(
        f"enqueue {task}", kind=SpanKind.PRODUCER, attributes=attributes
    ):
        carrier: dict[str, str] = {}
        propagate.inject(carrier)
        yield {TRACE_KWARG: carrier}


def extracted(carrier: Any) -> Context | None:
    """The enqueuer's context from a job's `trace_context`, or None."""
    if not isinstance(carrier, dict):
        return None
    return propagate.extract({str(k): str(v) for k, v in carrier.items()})
