"""Telling database outages, statement timeouts and passing conflicts apart from bugs.

The one home for SQLSTATE lists: the server answers an outage with 503 and a timeout
with a TIMEOUT error rather than a masked internal error, and the jobs retry what a
later try may not meet (`jobs/retry.py` asks `is_retryable`).
"""

from __future__ import annotations

import asyncio

import asyncpg
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as SATimeoutError

# SQLSTATE classes: 08 connection exception, 57P01-57P03 admin shutdown / crash
# shutdown / cannot connect now.
_UNAVAILABLE_STATES = ("08", "57P01", "57P02", "57P03")
_STATEMENT_TIMEOUT = "57014"
# Failures of this moment, not of the statement: serialization failure, deadlock, lock
# not available, too many connections, and a cached plan invalidated by a migration
# (asyncpg's InvalidCachedStatementError).
_PASSING_STATES = frozenset({"40001", "40P01", "55P03", "53300", "0A000"})


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


def is_retryable(exc: BaseException) -> bool:
    """A later try of the same work may succeed: an outage or a passing conflict."""
    if is_database_unavailable(exc):
        return True
    if any(_sqlstate(link) in _PASSING_STATES for link in _chain(exc)):
        return True
    # Without a SQLSTATE, SQLAlchemy's operational and interface errors are the
    # driver's word for "the connection, not the query"; a timeout waiting for the
    # server (pool or socket) is one too.
    return isinstance(exc, OperationalError | InterfaceError | SATimeoutError | TimeoutError)
