"""Database work a resolver started runs to its end, even when the resolver is cancelled.

graphql-core (3.3) cancels a field's pending siblings as soon as one field's error
nulls their common parent. A statement cancelled mid-flight breaks the operation's
connection: SQLAlchemy invalidates it on the CancelledError, and a DataLoader batch
cancelled by Strawberry (all its callers gone) tears the connection down while
nobody awaits it, under the transaction's own rollback, which then fails and reads
as a database outage (HTTP 503) instead of the sibling's validation error.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable
from typing import TypeVar

T = TypeVar("T")


async def settled(awaitable: Awaitable[T]) -> T:
    """`awaitable`'s result; a cancellation takes effect once the work has finished.

    The caller is still cancelled (graphql-core waits for that), only later: the
    transaction then ends with no statement in flight on its connection, and the
    connection goes back to the pool intact.
    """
    work = asyncio.ensure_future(awaitable)
    try:
        return await asyncio.shield(work)
    except asyncio.CancelledError:
        while not work.done():
            with contextlib.suppress(asyncio.CancelledError):
                await asyncio.wait([work])
        raise
