"""Unexpected errors reach the client as an error id only; the log has the details."""

import strawberry
from structlog.testing import capture_logs

from schema.masking import MaskUnexpectedErrors


@strawberry.type
class Query:
    @strawberry.field
    def boom(self) -> str:
        raise RuntimeError("SELECT secret FROM tenant_x.table failed at /srv/app.py:12")

    @strawberry.field
    def fine(self) -> str:
        return "ok"


schema = strawberry.Schema(Query, extensions=[MaskUnexpectedErrors])


async def test_a_resolver_exception_is_masked_with_an_error_id_that_is_logged() -> None:
    with capture_logs() as logs:
        result = await schema.execute("{ boom fine }")
    assert result.errors is not None
    error = result.errors[0]
    assert error.message == "Internal server error"
    assert "SELECT" not in str(error.formatted) and "app.py" not in str(error.formatted)
    error_id = error.extensions["errorId"] if error.extensions else None
    assert error_id
    logged = [e for e in logs if e["event"] == "graphql.unexpected_error"]
    assert logged[0]["error_id"] == error_id


async def test_request_errors_are_shown_as_they_are() -> None:
    result = await schema.execute("{ nope }")
    assert result.errors is not None
    assert "Cannot query field 'nope'" in result.errors[0].message
