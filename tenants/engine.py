"""Engine construction shared by the server, the worker and the CLI."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

# asyncpg keeps one prepared statement per distinct SQL text per connection.
# Tenant binding uses schema-qualified SQL (see tenants/session.py), so each
# tenant has its own statements; the cache is sized for many tenants' worth of
# hot statements rather than asyncpg's default of 100 (measured in
# tests/benchmarks/bench_binding.py).
STATEMENT_CACHE_SIZE = 2000


def make_engine(
    url: str,
    *,
    statement_timeout_ms: int = 15_000,
    pool_size: int = 10,
    max_overflow: int = 10,
    application_name: str = "steward",
) -> AsyncEngine:
    """An asyncpg engine with a server-side statement timeout on every connection."""
    return create_async_engine(
        url,
        pool_size=pool_size,
        max_overflow=max_overflow,
        pool_pre_ping=True,
        pool_recycle=1800,
        connect_args={
            "server_settings": {
                "statement_timeout": str(statement_timeout_ms),
                "idle_in_transaction_session_timeout": str(statement_timeout_ms * 4),
                "application_name": application_name,
            },
            "prepared_statement_cache_size": STATEMENT_CACHE_SIZE,
            "command_timeout": statement_timeout_ms / 1000 + 5,
        },
    )
