"""Engine construction shared by the server, the worker and the CLI."""

from __future__ import annotations

import weakref
from typing import Any

from sqlalchemy import Engine, event
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlalchemy.pool import ConnectionPoolEntry, PoolProxiedConnection

# asyncpg keeps one prepared statement per distinct SQL text per connection. Tenants at
# one schema revision share their statements' text (tenants/session.py), so the number
# of statements a connection holds grows with the statements the application has and
# the revisions in flight (two during a migration), not with tenants. Two caches, both
# LRUs and both bounded:
# - SQLAlchemy's (ORM and Core statements): STATEMENT_CACHE_SIZE, pruned at 1.5x, so at
#   most 3,000 server-side statements per connection, pool size x that per process.
#   Tenants whose revision is unknown still get schema-qualified statements of their own
#   and share it.
# - asyncpg's own, for statements sent on the driver connection directly (the compiled
#   read path, the token lookup): DRIVER_STATEMENT_CACHE_SIZE statements, none over
#   MAX_CACHEABLE_STATEMENT_SIZE (a larger one is prepared unnamed, each time), each
#   dropped after MAX_CACHED_STATEMENT_LIFETIME_S in the cache (asyncpg's defaults,
#   written out because they are the bound).
STATEMENT_CACHE_SIZE = 2000
DRIVER_STATEMENT_CACHE_SIZE = 100
MAX_CACHEABLE_STATEMENT_SIZE = 15 * 1024
# Sent with every connection. asyncpg introspects types on a connection's first
# statement using a custom type; with many tenant schemas the catalogs are large enough
# for that query's estimated cost to cross `jit_above_cost`, and JIT compilation then
# costs seconds (seen on Citus with ~80 tenants, issue 14); OLTP statements never gain
# from JIT. `citus.override_table_visibility` makes Citus filter every pg_class scan
# through a shard check, which the same query pays per row; the application never
# lists tables, so it is off. On plain PostgreSQL that name is an inert placeholder
# setting (any two-part name is accepted), so the same settings serve both.
CONNECTION_SETTINGS = {"jit": "off", "citus.override_table_visibility": "off"}

MAX_CACHED_STATEMENT_LIFETIME_S = 300


# The execution option carrying a tenant's statement tag (tenants/session.py): prefixed to
# each statement's text, so tenants share a prepared statement only when their schemas
# are at the same revision (the same shape); a statement never meets a schema whose
# columns differ from those it was prepared for.
STATEMENT_TAG = "steward_statement_tag"
_TAGGING: weakref.WeakSet[Engine] = weakref.WeakSet()


def tags_statements(engine: Engine) -> bool:
    """Whether `engine` prefixes tagged statements (only engines of `make_engine` do)."""
    return engine in _TAGGING


def _tag_statement(
    conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, executemany: bool
) -> tuple[str, Any]:
    tag = context.execution_options.get(STATEMENT_TAG) if context is not None else None
    return (tag + statement if tag else statement), parameters


def make_engine(
    url: str,
    *,
    statement_timeout_ms: int = 15_000,
    pool_size: int = 10,
    max_overflow: int = 10,
    application_name: str = "steward",
) -> AsyncEngine:
    """An asyncpg engine with a server-side statement timeout on every connection.

    No `pool_pre_ping`: with asyncpg it costs three round trips per checkout (BEGIN,
    an empty query, ROLLBACK; tests/benchmarks/bench_round_trips.py). A dead
    connection is found instead by `_refuse_closed` (free), or by the first statement
    on it failing with a disconnect error, which makes SQLAlchemy invalidate it and
    every connection of the pool opened before it, so the next checkout reconnects.
    """
    engine = create_async_engine(
        url,
        pool_size=pool_size,
        max_overflow=max_overflow,
        pool_pre_ping=False,
        pool_recycle=1800,
        connect_args={
            "server_settings": {
                "statement_timeout": str(statement_timeout_ms),
                "idle_in_transaction_session_timeout": str(statement_timeout_ms * 4),
                "application_name": application_name,
                **CONNECTION_SETTINGS,
            },
            "prepared_statement_cache_size": STATEMENT_CACHE_SIZE,
            "statement_cache_size": DRIVER_STATEMENT_CACHE_SIZE,
            "max_cacheable_statement_size": MAX_CACHEABLE_STATEMENT_SIZE,
            "max_cached_statement_lifetime": MAX_CACHED_STATEMENT_LIFETIME_S,
            "command_timeout": statement_timeout_ms / 1000 + 5,
        },
    )
    event.listen(engine.sync_engine.pool, "checkout", _refuse_closed)
    event.listen(engine.sync_engine, "before_cursor_execute", _tag_statement, retval=True)
    _TAGGING.add(engine.sync_engine)
    return engine


def _refuse_closed(
    dbapi_connection: Any, record: ConnectionPoolEntry, proxy: PoolProxiedConnection
) -> None:
    # asyncpg marks a connection closed as soon as the server's goodbye (a restart's
    # admin shutdown, a terminated backend) or EOF reaches it, without a round trip;
    # DisconnectionError makes the pool discard it and hand out a fresh one.
    if dbapi_connection.driver_connection.is_closed():
        raise DisconnectionError("the pooled connection was closed by the server")
