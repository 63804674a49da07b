"""POST /graphql: query operations on the compiled read path, the rest on Strawberry.

A valid query operation that the planner compiles is answered from PostgreSQL's
JSON text; anything else (mutations, invalid documents, bad arguments,
introspection, a field without SQL, a database failure) is handed to the
ordinary executor with the request body replayed, so its answer, errors and
status codes are exactly the ordinary ones.

In `differential` mode both paths run: the client gets the compiled answer, the
ordinary one is its reference, and any difference is logged (and appended to
STEWARD_READ_PATH_DIFF_LOG): that is how the test suite holds the two paths to
the same answers while every test asserts on what the compiled path said.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import structlog
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from schema.compiled.documents import Document, DocumentCache
from schema.compiled.runner import CompiledReads, CompiledStatement, Fallback
from server.middleware.request_body import read_body, replay
from server.observability.metrics import STATEMENT_TIMEOUTS
from tenants.db_errors import is_statement_timeout

log = structlog.get_logger("steward.compiled")


async def _send_json(send: Send, body: bytes) -> None:
    headers = [(b"content-type", b"application/json"), (b"content-length", b"%d" % len(body))]
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def _is_json(scope: Scope) -> bool:
    for name, value in scope.get("headers", ()):
        if name == b"content-type":
            return bool(value.split(b";", 1)[0].strip().lower() == b"application/json")
    return False


class CompiledReadPath:
    """Wraps the GraphQL ASGI app; `mode` is compiled, ordinary or differential."""

    def __init__(
        self,
        app: ASGIApp,
        documents: DocumentCache,
        *,
        mode: str,
        diff_log: Path | None = None,
    ) -> None:
        self.app = app
        self.documents = documents
        self.mode = mode
        self.diff_log = diff_log
        # One CompiledReads per engine (the engine lives in the lifespan state).
        self._readers: dict[int, CompiledReads] = {}

    def _reader(self, engine: Any) -> CompiledReads:
        reader = self._readers.get(id(engine))
        if reader is None or reader.engine is not engine:
            reader = CompiledReads(self.documents.schema, engine)
            self._readers[id(engine)] = reader
        return reader

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        state = scope.get("state", {})
        principal = state.get("principal")
        if (
            self.mode == "ordinary"
            or scope["type"] != "http"
            or scope.get("method") != "POST"
            or principal is None
            or not _is_json(scope)
        ):
            await self.app(scope, receive, send)
            return
        body = await read_body(receive)
        try:
            plan, reader = self._plan(scope, body, principal, state["engine"])
        except Exception as exc:
            # A planner bug must not fail the request: the ordinary executor answers.
            log.error("compiled.plan_failed", exc_info=True)
            self._record(
                {
                    "kind": "difference",
                    "request": body.decode(errors="replace"),
                    "plan_failed": repr(exc),
                }
            )
            await self.app(scope, replay(body, receive), send)
            return
        if plan is None:
            await self.app(scope, replay(body, receive), send)
            return
        try:
            answer = await reader.execute(plan, principal)
        except Exception as exc:
            # The ordinary executor reports database trouble with its own codes (503).
            log.warning("compiled.execute_failed", exc_info=True)
            if is_statement_timeout(exc):
                STATEMENT_TIMEOUTS.labels("compiled").inc()
            if self.mode == "differential":
                await self._differential(scope, body, receive, None, send, failure=repr(exc))
            else:
                await self.app(scope, replay(body, receive), send)
            return
        state["read_path"] = "compiled"  # for the metrics and the GraphQL span
        if self.mode == "differential":
            self._record({"kind": "compiled"})
            await self._differential(scope, body, receive, answer, send)
            return
        await _send_json(send, answer)

    def _plan(
        self, scope: Scope, body: bytes, principal: Any, engine: Any
    ) -> tuple[tuple[CompiledStatement, ...] | None, CompiledReads]:
        reader = self._reader(engine)
        try:
            payload = json.loads(body)
        except ValueError:
            return None, reader
        if not isinstance(payload, dict):
            return None, reader
        query, variables = payload.get("query"), payload.get("variables")
        operation_name = payload.get("operationName")
        if (
            not isinstance(query, str)
            or not (variables is None or isinstance(variables, dict))
            or not (operation_name is None or isinstance(operation_name, str))
        ):
            return None, reader
        document = self.documents.get(query)
        if document is None:
            return None, reader
        _note_operation(scope, document, operation_name)
        # As resolvers build URLs (schema/reports/types.py `_url`), for report links.
        base_url = str(Request(scope).base_url).rstrip("/")
        plan = reader.plan(document, operation_name, variables, principal, base_url)
        if isinstance(plan, Fallback):
            if self.mode == "differential" and document.is_query(operation_name):
                self._record({"kind": "fallback", "reason": plan.reason, "query": query})
            return None, reader
        return plan, reader

    async def _differential(
        self,
        scope: Scope,
        body: bytes,
        receive: Receive,
        compiled: bytes | None,
        send: Send,
        failure: str = "",
    ) -> None:
        captured: list[bytes] = []
        start: dict[str, Any] = {}

        async def capture(message: Message) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
            elif message["type"] == "http.response.body":
                captured.append(message.get("body", b""))

        # The client gets the compiled answer, so every test's assertions hold for it;
        # the ordinary answer is the reference it is compared with.
        await self.app(scope, replay(body, receive), capture)
        ordinary = b"".join(captured)
        if compiled is None:
            # The compiled statement failed: the ordinary answer goes out, and it is a
            # difference unless the ordinary executor failed too (a database outage).
            await send({**start, "type": "http.response.start"})
            await send({"type": "http.response.body", "body": ordinary})
            if start.get("status") != 200 or b'"errors"' in ordinary:
                return
        else:
            await _send_json(send, compiled)
            if start.get("status") == 200 and _same(ordinary, compiled):
                return
        record = {
            "kind": "difference",
            "request": json.loads(body),
            "status": start.get("status"),
            "ordinary_answer": ordinary.decode(errors="replace"),
            "compiled_answer": (compiled or b"").decode(errors="replace"),
            "compiled_failure": failure,
        }
        log.error("compiled.differs", request=record["request"])
        self._record(record)

    def _record(self, record: dict[str, Any]) -> None:
        if self.diff_log is not None:
            with self.diff_log.open("a") as f:
                f.write(json.dumps(record) + "\n")


def _note_operation(scope: Scope, document: Document, name: str | None) -> None:
    """The operation's name and type, once found in a valid document (server/observability)."""
    operation = document.operation(name)
    if operation is not None:
        state = scope["state"]
        state["graphql_operation"] = operation.name.value if operation.name else None
        state["graphql_operation_type"] = operation.operation.value


def _ordered(value: Any) -> Any:
    """JSON with key order kept: dict equality in Python ignores order, responses do not."""
    if isinstance(value, dict):
        return [(k, _ordered(v)) for k, v in value.items()]
    if isinstance(value, list):
        return [_ordered(v) for v in value]
    return value


def _same(ordinary: bytes, compiled: bytes) -> bool:
    try:
        return bool(_ordered(json.loads(ordinary)) == _ordered(json.loads(compiled)))
    except ValueError:
        return False
