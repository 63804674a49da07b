"""Which failures are worth retrying, and how long to wait before the next try."""

from __future__ import annotations

from redis import exceptions as redis_errors

from tenants.db_errors import is_retryable

MAX_TRIES = 5


def is_transient(exc: BaseException) -> bool:
    """True for database or Redis failures that a later try may not meet."""
    if isinstance(exc, redis_errors.ConnectionError | redis_errors.TimeoutError):
        return True
    if isinstance(exc, OSError) and isinstance(exc, FileNotFoundError | PermissionError):
        return False
    return is_retryable(exc)


def backoff_s(job_try: int, base: float = 2.0, cap: float = 60.0) -> float:
    """Seconds before try `job_try + 1`: 2, 4, 8, ... capped at a minute."""
    return float(min(cap, base * 2 ** max(0, job_try - 1)))
