"""Unexpected errors never reach the client: they become an error id, logged in full."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import structlog
from graphql import GraphQLError
from starlette.responses import Response
from strawberry.extensions import SchemaExtension

from tenants.db_errors import is_database_unavailable, is_statement_timeout

log = structlog.get_logger("steward.graphql")


def _is_expected(error: GraphQLError) -> bool:
    """Errors of the request itself (syntax, validation, limits) are safe to show.

    They have no original exception; anything raised by a resolver does, and is
    a bug from the client's point of view (expected failures are payload errors).
    """
    return error.original_error is None or isinstance(error.original_error, GraphQLError)


def _known_failure(error: GraphQLError, response: Response | None) -> GraphQLError | None:
    original = error.original_error
    if original is None:
        return None
    if is_statement_timeout(original):
        code, message = "TIMEOUT", "the operation ran past the statement timeout; narrow it"
    elif is_database_unavailable(original):
        code, message = "SERVICE_UNAVAILABLE", "the database is unavailable; retry shortly"
        if response is not None:
            response.status_code = 503
            response.headers["Retry-After"] = "2"
    else:
        return None
    log.warning("graphql.known_failure", code=code, path=error.path)
    return GraphQLError(message, nodes=error.nodes, path=error.path, extensions={"code": code})


def _with_code(error: GraphQLError) -> GraphQLError:
    """An error of the request itself, given the code a client branches on.

    Errors without a path are the document's (syntax, validation, limits); an error
    with a path was raised by a resolver over its arguments (a bad `first` or cursor).
    """
    if (error.extensions or {}).get("code"):
        return error
    if error.path is not None:
        code = "BAD_USER_INPUT"
    elif error.message.startswith("Syntax Error"):
        code = "GRAPHQL_PARSE_FAILED"
    else:
        code = "GRAPHQL_VALIDATION_FAILED"
    return GraphQLError(
        error.message,
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        extensions={**(error.extensions or {}), "code": code},
    )


def mask_errors(errors: list[GraphQLError], response: Response | None) -> list[GraphQLError]:
    """Each error as the client may see it; idempotent (a masked error is kept as it is).

    Every error leaves with `extensions.code`: BAD_USER_INPUT, GRAPHQL_PARSE_FAILED and
    GRAPHQL_VALIDATION_FAILED for the request's own mistakes, TIMEOUT,
    SERVICE_UNAVAILABLE and INTERNAL_SERVER_ERROR for the server's.
    """
    masked: list[GraphQLError] = []
    for error in errors:
        if _is_expected(error):
            masked.append(_with_code(error))
            continue
        known = _known_failure(error, response)
        if known is not None:
            masked.append(known)
            continue
        error_id = uuid.uuid4().hex[:16]
        original = error.original_error
        log.error(
            "graphql.unexpected_error",
            error_id=error_id,
            path=error.path,
            exc_info=(type(original), original, original.__traceback__) if original else None,
        )
        masked.append(
            GraphQLError(
                "Internal server error",
                nodes=error.nodes,
                path=error.path,
                extensions={"code": "INTERNAL_SERVER_ERROR", "errorId": error_id},
            )
        )
    return masked


class MaskUnexpectedErrors(SchemaExtension):
    """Replaces each resolver exception with `Internal server error` and an `errorId`.

    The same id is logged with the exception and traceback, so support can find
    it, while the response shows no stack trace, SQL or internal message.
    Two failures are expected rather than bugs and say so plainly: a statement
    timeout (code TIMEOUT) and a database outage (SERVICE_UNAVAILABLE, HTTP 503).
    """

    def on_operation(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        if not result or not result.errors:
            return
        response = getattr(self.execution_context.context, "response", None)
        result.errors = mask_errors(result.errors, response)
