"""Telling database outages and statement timeouts apart from bugs.

Both are expected in production and deserve a clear answer (503, or a TIMEOUT
error) rather than a masked internal error.
"""

from __future__ import annotations

import asyncio

import asyncpg
from sqlalchemy.exc import DBAPIError

# SQLSTATE classes: 08 connection exception, 57P01-57P03 admin shutdown / crash
# shutdown / cannot connect now.
_UNAVAILABLE_STATES = ("08", "57P01", "57P02", "57P03")
_STATEMENT_TIMEOUT = "57014"


def _chain(exc: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in seen:
        seen.append(current)
        orig = getattr(current, "orig", None)
        current = (
            orig if isinstance(orig, BaseException) else (current.__cause__ or current.__context__)
        )
    return seen


def _sqlstate(exc: BaseException) -> str | None:
    state = getattr(exc, "sqlstate", None)
    return state if isinstance(state, str) else None


def is_database_unavailable(exc: BaseException) -> bool:
    """The server is down, restarting or unreachable (not a bad query)."""
    for link in _chain(exc):
        if isinstance(link, DBAPIError) and link.connection_invalidated:
            return True
        if isinstance(link, ConnectionError | asyncpg.exceptions.ConnectionDoesNotExistError):
            return True
        if (
            isinstance(link, asyncpg.exceptions.InterfaceError)
            and "connection" in str(link).lower()
        ):
            return True
        if isinstance(link, OSError) and not isinstance(link, asyncio.TimeoutError):
            return True
        state = _sqlstate(link)
        if state is not None and state.startswith(_UNAVAILABLE_STATES):
            return True
    return False


def is_statement_timeout(exc: BaseException) -> bool:
    """The statement ran past `statement_timeout` (or waited that long for a lock)."""
    return any(_sqlstate(link) == _STATEMENT_TIMEOUT for link in _chain(exc))
