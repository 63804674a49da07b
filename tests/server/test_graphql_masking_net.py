"""The `/graphql` view masks what Strawberry caught outside every extension.

Strawberry answers an exception raised by an extension hook itself as a plain error,
after MaskUnexpectedErrors has already run. The view masks the result once more, so such
a failure (a future hook, say) still reaches the client as an error id, or as a 503.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import asyncpg
import httpx
import pytest
import strawberry
from starlette.types import Receive, Scope, Send
from strawberry.extensions import SchemaExtension
from structlog.testing import capture_logs

from schema.masking import MaskUnexpectedErrors
from server.graphql_app import StewardGraphQL
from tests.support import serving_app


@strawberry.type
class Query:
    @strawberry.field
    def fine(self) -> str:
        return "ok"


class FailingHook(SchemaExtension):
    failure: Exception

    def on_execute(self) -> Iterator[None]:
        raise self.failure
        yield  # pragma: no cover - makes this a generator hook, as the real ones are


def app_raising(failure: Exception) -> Any:
    hook = type("Hook", (FailingHook,), {"failure": failure})
    view = StewardGraphQL(
        strawberry.Schema(Query, extensions=[hook, MaskUnexpectedErrors]), development=False
    )

    async def authenticated(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            while (await receive())["type"] != "lifespan.shutdown":
                await send({"type": "lifespan.startup.complete"})
            await send({"type": "lifespan.shutdown.complete"})
            return
        # Stands in for the authentication middleware: the view wants a principal.
        scope["state"] = {"principal": object(), "engine": None, "redis": None}
        await view(scope, receive, send)

    return authenticated


async def post(app: Any) -> httpx.Response:
    async with serving_app(app) as url, httpx.AsyncClient(base_url=url) as client:
        return await client.post("/graphql", json={"query": "{ fine }"})


async def test_an_exception_from_an_extension_hook_reaches_the_client_masked() -> None:
    with capture_logs() as logs:
        response = await post(app_raising(RuntimeError("SELECT secret FROM t at /srv/app.py:1")))
    assert response.status_code == 200
    body = response.json()
    assert body["data"] is None
    [error] = body["errors"]
    assert error["message"] == "Internal server error"
    assert error["extensions"]["code"] == "INTERNAL_SERVER_ERROR"
    assert "SELECT" not in response.text and "app.py" not in response.text
    logged = [e for e in logs if e["event"] == "graphql.unexpected_error"]
    assert [e["error_id"] for e in logged] == [error["extensions"]["errorId"]]


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
async def test_an_outage_raised_by_an_extension_hook_is_a_503() -> None:
    response = await post(app_raising(asyncpg.exceptions.ConnectionDoesNotExistError("gone")))
    assert response.status_code == 503
    assert response.headers["retry-after"] == "2"
    assert response.json()["errors"][0]["extensions"]["code"] == "SERVICE_UNAVAILABLE"
