"""The API's Prometheus metrics and the bounded labels they take.

Cardinality is bounded by construction: routes are a fixed list, statuses are
HTTP codes, outcomes and refusal reasons are closed sets, and operation names
are the first `MAX_OPERATION_NAMES` names of operations found in valid
documents (with trusted documents only, those are registered documents' names);
no name folds into "anonymous", names past the cap into "other". No series carries
a tenant: a figure per tenant would tell the reader one consultancy's activity.
"""

from __future__ import annotations

import asyncio
import re
from typing import Any

from prometheus_client import Counter, Gauge, Histogram, disable_created_metrics
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

from tenants.db_errors import is_statement_timeout
from tenants.pool_stats import pool_stats

MAX_OPERATION_NAMES = 200
# No `_created` sample beside each counter and histogram: it doubles the series.
disable_created_metrics()  # type: ignore[no-untyped-call]
POOL_SAMPLE_S = 1.0
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)

HTTP_REQUESTS = Counter(
    "steward_http_requests",
    "HTTP requests by route and status (429: rate limited, 503: database unavailable)",
    ["route", "status"],
)
HTTP_DURATION = Histogram(
    "steward_http_request_duration_seconds",
    "HTTP request latency by route",
    ["route"],
    buckets=LATENCY_BUCKETS,
)
GRAPHQL_REQUESTS = Counter(
    "steward_graphql_requests",
    "POST /graphql by operation name, outcome and read path (compiled, ordinary)",
    ["operation", "outcome", "read_path"],
)
GRAPHQL_DURATION = Histogram(
    "steward_graphql_request_duration_seconds",
    "POST /graphql latency by operation name and read path",
    ["operation", "read_path"],
    buckets=LATENCY_BUCKETS,
)
STATEMENT_TIMEOUTS = Counter(
    "steward_statement_timeouts",
    "SQL statements cancelled by statement_timeout, by path (compiled, sqlalchemy)",
    ["path"],
)
LOGINS = Counter(
    "steward_logins",
    "Browser logins by step (start, callback), outcome (ok, refused) and refusal reason",
    ["step", "outcome", "reason"],
)

_ROUTES = {
    "/graphql": "graphql",
    "/healthz": "healthz",
    "/readyz": "readyz",
    "/status": "status",
    "/auth/session": "auth_session",
    "/auth/logout": "auth_logout",
}
_NAME = re.compile(r"^[_A-Za-z][_0-9A-Za-z]{0,99}$")


def route_label(path: str) -> str:
    label = _ROUTES.get(path)
    if label is not None:
        return label
    for prefix, family in (("/reports/", "reports"), ("/exports/", "exports"), ("/scim/", "scim")):
        if path.startswith(prefix):
            return family
    if path.startswith("/auth/"):
        # /auth/{tenant}/login, /callback, /signed-in, /signed-out, /backchannel-logout/{idp},
        # and /auth/{tenant} (the sign-in page)
        step = path.rstrip("/").split("/")[3:]
        if len(step) == 2 and step[0] == "backchannel-logout":  # .../backchannel-logout/{idp}
            return "auth_backchannel_logout"
        return {
            (): "auth_signin_page",
            ("login",): "auth_login",
            ("callback",): "auth_callback",
            ("signed-in",): "auth_signed_in",
            ("signed-out",): "auth_signed_out",
        }.get(tuple(step), "other")
    return "other"


class OperationNames:
    """The first `limit` operation names seen by this process; later ones are "other"."""

    def __init__(self, limit: int = MAX_OPERATION_NAMES) -> None:
        self.limit = limit
        self._known: set[str] = set()

    def label(self, name: object) -> str:
        if not isinstance(name, str) or not name:
            return "anonymous"
        if name in self._known:
            return name
        if len(self._known) >= self.limit or not _NAME.fullmatch(name):
            return "other"
        self._known.add(name)
        return name


def graphql_outcome(status: int, state: dict[str, Any]) -> str:
    """ok, error (GraphQL errors), timeout, unavailable, internal_error, or the HTTP refusal."""
    if status == 429:
        return "rate_limited"
    if status == 401:
        return "unauthenticated"
    recorded = state.get("graphql_outcome")
    if isinstance(recorded, str):
        return recorded
    if status == 503:
        return "unavailable"
    if status >= 500:
        return "internal_error"
    if status >= 400:
        return "rejected"
    return "ok"


def record_login(step: str, reason: str | None) -> None:
    LOGINS.labels(step, "ok" if reason is None else "refused", reason or "none").inc()


def _on_error(context: Any) -> None:
    if is_statement_timeout(context.original_exception):
        STATEMENT_TIMEOUTS.labels("sqlalchemy").inc()


def watch_engine(engine: AsyncEngine) -> None:
    """Count statement timeouts of statements SQLAlchemy runs on `engine`."""
    event.listen(engine.sync_engine, "handle_error", _on_error)


async def sample_pool(engine: AsyncEngine, every_s: float = POOL_SAMPLE_S) -> None:
    """Publish the pool's figures every `every_s` until cancelled.

    Sampled rather than read at scrape time: with several server processes the
    scrape is answered from the multiprocess files, where each process's pool
    figures must already be (summed across live processes).
    """
    open_, in_use, waiting = _pool_gauges()
    while True:
        stats = pool_stats(engine)
        open_.set(stats.open)
        in_use.set(stats.in_use)
        waiting.set(stats.waiting)
        await asyncio.sleep(every_s)


_POOL_GAUGES: list[tuple[Gauge, Gauge, Gauge]] = []


def _pool_gauges() -> tuple[Gauge, Gauge, Gauge]:
    # Summed over live server processes. Made by the first sampler, so that a worker
    # process (it imports this module through server/serving.py) shows no API pool figure.
    if not _POOL_GAUGES:
        _POOL_GAUGES.append(
            (
                Gauge(
                    "steward_db_pool_open",
                    "API database connections open",
                    multiprocess_mode="livesum",
                ),
                Gauge(
                    "steward_db_pool_in_use",
                    "API database connections checked out",
                    multiprocess_mode="livesum",
                ),
                Gauge(
                    "steward_db_pool_waiting",
                    "API callers waiting for a connection",
                    multiprocess_mode="livesum",
                ),
            )
        )
    return _POOL_GAUGES[0]
