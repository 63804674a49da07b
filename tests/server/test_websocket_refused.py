"""GraphQL over WebSocket is refused: it would bypass the HTTP-only middleware.

graphql-transport-ws carries queries and mutations too, and the authentication, CSRF and
rate-limit middleware only look at HTTP requests. Steward has no subscriptions, so the
upgrade is refused at the /graphql view, whichever WebSocket library the server has.
"""

from __future__ import annotations

import asyncio
import base64
import os
from urllib.parse import urlsplit

import strawberry
from starlette.types import Message

from server.graphql_app import StewardGraphQL


@strawberry.type
class Query:
    @strawberry.field
    def fine(self) -> str:
        return "ok"


async def test_a_websocket_upgrade_to_graphql_over_real_http_is_not_accepted(
    base_url: str,
) -> None:
    parts = urlsplit(base_url)
    assert parts.hostname and parts.port
    reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
    key = base64.b64encode(os.urandom(16)).decode()
    writer.write(
        (
            "GET /graphql HTTP/1.1\r\n"
            f"Host: {parts.hostname}:{parts.port}\r\n"
            "Upgrade: websocket\r\nConnection: Upgrade\r\n"
            f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
            "Sec-WebSocket-Protocol: graphql-transport-ws\r\n\r\n"
        ).encode()
    )
    await writer.drain()
    status_line = (await asyncio.wait_for(reader.readline(), 10)).decode()
    writer.close()
    await writer.wait_closed()
    assert status_line.startswith("HTTP/1.1 ")
    assert " 101 " not in status_line, status_line  # no protocol switch


async def test_the_graphql_view_closes_any_websocket_with_a_policy_violation() -> None:
    # In process: the view's own refusal, as it would answer behind a server that has a
    # WebSocket library installed (uvicorn[standard]); Strawberry alone would accept it.
    view = StewardGraphQL(strawberry.Schema(Query), development=True)
    incoming: list[Message] = [{"type": "websocket.connect"}]
    sent: list[Message] = []

    async def receive() -> Message:
        if incoming:
            return incoming.pop(0)
        await asyncio.sleep(30)  # the view must not wait for more
        raise AssertionError("the view waited for the client")

    async def send(message: Message) -> None:
        sent.append(message)

    scope = {
        "type": "websocket",
        "path": "/",
        "raw_path": b"/",
        "query_string": b"",
        "headers": [(b"sec-websocket-protocol", b"graphql-transport-ws")],
        "subprotocols": ["graphql-transport-ws"],
        "state": {},
    }
    await asyncio.wait_for(view(scope, receive, send), 5)
    assert [(m["type"], m.get("code")) for m in sent] == [("websocket.close", 1008)]
