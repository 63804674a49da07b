"""Counting SQL statements on the PostgreSQL wire, whatever client library sends them.

`StatementCounter` is a TCP proxy in front of PostgreSQL: a server pointed at it (its
DATABASE_URL names the proxy's port) is counted at the protocol level, so statements sent
through SQLAlchemy, through the raw asyncpg connection, or by any other library are all
seen. pg_stat_statements would do this server-side, but it needs
`shared_preload_libraries` (a server restart); SQLAlchemy's `before_cursor_execute`
(tests/support.py `count_statements`) only sees statements that go through SQLAlchemy.

What is counted: each simple-query message (`Q`) by the statements in its text (split on
`;`), and each extended-protocol `Execute` (`E`) as one, named by the `Parse` text of the
statement its portal was bound to (prepared statements reused from asyncpg's cache are
Execute without Parse, and are counted). Preparing without executing (`Parse`/`Describe`
alone, as asyncpg does before the first use of a text) is not a statement. Round trips
are the messages a client then waits on: each `Sync` and each simple `Query` (several
statements in one simple query are one round trip). An
`SSLRequest` is answered "no" by the proxy, so the rest of the stream is plain text.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import struct
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit, urlunsplit

SSL_REQUEST = 80877103
GSSENC_REQUEST = 80877104
_CONTROL = re.compile(
    r"^\s*(BEGIN|START TRANSACTION|COMMIT|ROLLBACK|END|SAVEPOINT|RELEASE|SET\s|RESET\s|"
    r"SELECT\s+(pg_catalog\.)?(set_config|pg_advisory_unlock_all)\b|SHOW\s|DISCARD\s|"
    r"CLOSE\s|UNLISTEN\s)",
    re.IGNORECASE,
)


def through_proxy(url: str, port: int) -> str:
    """`url` with its host and port replaced by the proxy's, user and database kept.

    A unix-socket `host=` query parameter (the embedded PostgreSQL) is dropped: the
    proxy listens on TCP.
    """
    parts = urlsplit(url)
    user = parts.netloc.rsplit("@", 1)[0] + "@" if "@" in parts.netloc else ""
    query = "&".join(p for p in parts.query.split("&") if p and not p.startswith("host="))
    return urlunsplit(parts._replace(netloc=f"{user}127.0.0.1:{port}", query=query))


def kind(sql: str) -> str:
    """`control` (transaction, role, settings, connection reset), `ping` (empty query,
    `SELECT 1`) or `data`."""
    stripped = sql.strip().rstrip(";").strip()
    if not stripped or stripped.upper() == "SELECT 1":
        return "ping"
    return "control" if _CONTROL.match(stripped) else "data"


@dataclass
class Tally:
    statements: list[str] = field(default_factory=list)
    round_trips: int = 0  # messages the client then waits on: Sync, simple Query

    def mark(self) -> tuple[int, int]:
        return len(self.statements), self.round_trips

    def since(self, mark: tuple[int, int]) -> tuple[list[str], int]:
        return self.statements[mark[0] :], self.round_trips - mark[1]


def summarize(statements: list[str], round_trips: int, requests: int) -> dict[str, float]:
    kinds = Counter(kind(s) for s in statements)
    return {
        "round_trips": round_trips / requests,
        "total": len(statements) / requests,
        "data": kinds["data"] / requests,
        "control": kinds["control"] / requests,
        "ping": kinds["ping"] / requests,
    }


def _cstring(buf: bytes, start: int) -> tuple[str, int]:
    end = buf.index(b"\0", start)
    return buf[start:end].decode("utf-8", "replace"), end + 1


def counter_for(url: str) -> StatementCounter:
    """A counter in front of the server `url` names: TCP, or the embedded server's socket."""
    parts = urlsplit(url)
    if parts.hostname:
        return StatementCounter(parts.hostname, parts.port or 5432)
    query = dict(p.split("=", 1) for p in parts.query.split("&") if "=" in p)
    folder = unquote(query.get("host", "/var/run/postgresql"))
    return StatementCounter(upstream_socket=f"{folder}/.s.PGSQL.{parts.port or 5432}")


class StatementCounter:
    """`async with StatementCounter(upstream_port=5432) as counter:` then use `counter.port`."""

    def __init__(
        self,
        upstream_host: str = "127.0.0.1",
        upstream_port: int = 5432,
        *,
        upstream_socket: str | None = None,
    ) -> None:
        self.upstream = (upstream_host, upstream_port)
        self.upstream_socket = upstream_socket
        self.tally = Tally()
        self.port = 0
        self._server: asyncio.Server | None = None
        self._tasks: set[asyncio.Task[None]] = set()

    async def __aenter__(self) -> StatementCounter:
        self._server = await asyncio.start_server(self._client, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self._server is not None
        self._server.close()
        for task in list(self._tasks):
            task.cancel()
        for task in list(self._tasks):
            with contextlib.suppress(asyncio.CancelledError, OSError):
                await task
        await self._server.wait_closed()

    async def _client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        up_writer: asyncio.StreamWriter | None = None
        try:
            # Startup: untyped messages; refuse SSL/GSS encryption so the stream stays readable.
            while True:
                (length,) = struct.unpack("!i", await reader.readexactly(4))
                rest = await reader.readexactly(length - 4)
                (code,) = struct.unpack("!i", rest[:4])
                if code in (SSL_REQUEST, GSSENC_REQUEST):
                    writer.write(b"N")
                    await writer.drain()
                    continue
                break
            if self.upstream_socket is not None:
                up_reader, up_writer = await asyncio.open_unix_connection(self.upstream_socket)
            else:
                up_reader, up_writer = await asyncio.open_connection(*self.upstream)
            up_writer.write(struct.pack("!i", length) + rest)
            back = asyncio.create_task(self._pump(up_reader, writer))
            self._tasks.add(back)
            try:
                await self._frontend(reader, up_writer)
            finally:
                back.cancel()
                with contextlib.suppress(asyncio.CancelledError, OSError):
                    await back
                self._tasks.discard(back)
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            for w in (writer, up_writer):
                if w is not None:
                    w.close()
            self._tasks.discard(task)

    @staticmethod
    async def _pump(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        except ConnectionError:
            pass
        finally:
            writer.close()

    async def _frontend(self, reader: asyncio.StreamReader, up: asyncio.StreamWriter) -> None:
        prepared: dict[str, str] = {}  # statement name -> SQL text
        portals: dict[str, str] = {}  # portal name -> statement name
        tally = self.tally
        record = tally.statements
        while True:
            header = await reader.readexactly(5)
            (length,) = struct.unpack("!i", header[1:])
            payload = await reader.readexactly(length - 4)
            up.write(header + payload)
            tag = header[:1]
            if tag in (b"Q", b"S"):
                tally.round_trips += 1
            if tag == b"Q":
                sql, _ = _cstring(payload, 0)
                parts = [p for p in sql.split(";") if p.strip()]
                record.extend(parts or [sql])
            elif tag == b"P":
                name, pos = _cstring(payload, 0)
                prepared[name], _ = _cstring(payload, pos)
            elif tag == b"B":
                portal, pos = _cstring(payload, 0)
                portals[portal], _ = _cstring(payload, pos)
            elif tag == b"E":
                portal, _ = _cstring(payload, 0)
                record.append(prepared.get(portals.get(portal, ""), "<unknown>"))
            elif tag == b"C" and payload[:1] == b"S":
                prepared.pop(_cstring(payload, 1)[0], None)
            elif tag == b"X":
                await up.drain()
                return
            await up.drain()
