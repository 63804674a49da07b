"""Every task runs inside one wrapper: a CONSUMER span, the job metrics, the tenant in logs."""

from __future__ import annotations

import asyncio
import functools
import time
from collections.abc import Callable, Coroutine
from typing import Any

import structlog
from arq import Retry
from opentelemetry.trace import SpanKind, Status, StatusCode

from jobs import metrics
from jobs.enqueue import HEALTH_TASK, READINESS_TASK, WEBHOOK_TASK
from jobs.tracing import TRACE_KWARG, extracted, tracer

Task = Callable[..., Coroutine[Any, Any, Any]]
# Tasks whose first argument is the tenant's slug (jobs/tasks.py).
TENANT_TASKS = frozenset({READINESS_TASK, HEALTH_TASK, WEBHOOK_TASK})
# Results that mean the work failed although the task returned normally.
FAILED_RESULTS = frozenset({"failed", "timed out", "gave up"})


def observed(task: Callable[..., Any]) -> Task:
    """`task` with tracing and metrics; arq sees the same name (its `__qualname__`)."""
    name = task.__qualname__

    @functools.wraps(task)
    async def run(ctx: dict[str, Any], *args: Any, **kwargs: Any) -> Any:
        parent = extracted(kwargs.pop(TRACE_KWARG, None))
        tenant = args[0] if name in TENANT_TASKS and args and isinstance(args[0], str) else None
        attributes: dict[str, Any] = {
            "messaging.system": "arq",
            "messaging.operation.type": "process",
            "steward.job.task": name,
            "steward.job.try": int(ctx.get("job_try", 1) or 1),
        }
        if ctx.get("job_id"):
            attributes["messaging.message.id"] = str(ctx["job_id"])
        if tenant is not None:
            attributes["steward.tenant"] = tenant
        bound = {"tenant": tenant} if tenant is not None else {}
        running = metrics.JOBS_RUNNING.labels(name)
        outcome = "failed"
        started = time.perf_counter()
        with (
            structlog.contextvars.bound_contextvars(**bound),
            tracer.start_as_current_span(
                f"job {name}", context=parent, kind=SpanKind.CONSUMER, attributes=attributes
            ) as span,
        ):
            running.inc()
            try:
                result = await task(ctx, *args, **kwargs)
                outcome = "failed" if str(result) in FAILED_RESULTS else "succeeded"
                if name == WEBHOOK_TASK:
                    metrics.WEBHOOK_DELIVERIES.labels(metrics.webhook_outcome(result)).inc()
                span.set_attribute("steward.job.outcome", outcome)
                return result
            except Retry:
                outcome = "retried"
                if name == WEBHOOK_TASK:
                    metrics.WEBHOOK_DELIVERIES.labels("retry").inc()
                raise
            except asyncio.CancelledError:
                outcome = "cancelled"
                raise
            except Exception:
                span.set_status(Status(StatusCode.ERROR))
                if name == WEBHOOK_TASK:
                    metrics.WEBHOOK_DELIVERIES.labels("error").inc()
                raise
            finally:
                running.dec()
                metrics.JOBS_FINISHED.labels(name, outcome).inc()
                metrics.JOB_DURATION.labels(name, outcome).observe(time.perf_counter() - started)

    return run
