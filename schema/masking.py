"""Unexpected errors never reach the client: they become an error id, logged in full."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import structlog
from graphql import GraphQLError
from strawberry.extensions import SchemaExtension

log = structlog.get_logger("steward.graphql")


def _is_expected(error: GraphQLError) -> bool:
    """Errors of the request itself (syntax, validation, limits) are safe to show.

    They have no original exception; anything raised by a resolver does, and is
    a bug from the client's point of view (expected failures are payload errors).
    """
    return error.original_error is None or isinstance(error.original_error, GraphQLError)


class MaskUnexpectedErrors(SchemaExtension):
    """Replaces each resolver exception with `Internal server error` and an `errorId`.

    The same id is logged with the exception and traceback, so support can find
    it, while the response shows no stack trace, SQL or internal message.
    """

    def on_operation(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        if not result or not result.errors:
            return
        masked: list[GraphQLError] = []
        for error in result.errors:
            if _is_expected(error):
                masked.append(error)
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
        result.errors = masked
