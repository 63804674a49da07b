"""Which failures are worth retrying, and how long to wait before the next try."""

from __future__ import annotations

from redis import exceptions as redis_errors
from sqlalchemy import exc as sa_errors

MAX_TRIES = 5

# serialization failure, deadlock, lock not available, admin shutdown, cannot connect
# now, too many connections, cached plan invalidated by a migration (asyncpg's
# InvalidCachedStatementError), and the whole connection-exception class 08.
_TRANSIENT_SQLSTATES = frozenset({"40001", "40P01", "55P03", "57P01", "57P03", "53300", "0A000"})


def is_transient(exc: BaseException) -> bool:
    """True for database or Redis failures that a later try may not meet."""
    if isinstance(exc, redis_errors.ConnectionError | redis_errors.TimeoutError):
        return True
    if isinstance(exc, ConnectionError | sa_errors.TimeoutError):
        return True
    if isinstance(exc, OSError) and not isinstance(exc, FileNotFoundError | PermissionError):
        return True
    if isinstance(exc, sa_errors.DBAPIError):
        if exc.connection_invalidated:
            return True
        state = getattr(exc.orig, "sqlstate", None) or ""
        if state in _TRANSIENT_SQLSTATES or state.startswith("08"):
            return True
        return isinstance(exc, sa_errors.OperationalError | sa_errors.InterfaceError)
    return False


def backoff_s(job_try: int, base: float = 2.0, cap: float = 60.0) -> float:
    """Seconds before try `job_try + 1`: 2, 4, 8, ... capped at a minute."""
    return float(min(cap, base * 2 ** max(0, job_try - 1)))
