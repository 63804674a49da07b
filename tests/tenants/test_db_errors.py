"""The one classifier of database failures, fed errors a real PostgreSQL raises."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine

from jobs.retry import is_transient
from tenants.db_errors import is_database_unavailable, is_retryable, is_statement_timeout


async def _raised(engine: AsyncEngine, *statements: str) -> DBAPIError:
    async with engine.connect() as conn:
        with pytest.raises(DBAPIError) as caught:
            for statement in statements:
                await conn.execute(text(statement))
        await conn.rollback()
    return caught.value


async def test_statement_timeout_is_a_timeout_not_an_outage(engine: AsyncEngine) -> None:
    exc = await _raised(engine, "SET LOCAL statement_timeout = '50ms'", "SELECT pg_sleep(2)")
    assert is_statement_timeout(exc)
    assert not is_database_unavailable(exc)


async def test_a_bad_query_is_neither_retried_nor_an_outage(engine: AsyncEngine) -> None:
    exc = await _raised(engine, "SELECT * FROM no_such_table_here")
    assert not is_retryable(exc)
    assert not is_transient(exc)
    assert not is_database_unavailable(exc)
    assert not is_statement_timeout(exc)


async def test_a_held_lock_is_retried(engine: AsyncEngine) -> None:
    async with engine.connect() as holder:
        await holder.execute(text("CREATE TEMP TABLE IF NOT EXISTS held (id int)"))
        await holder.execute(text("SELECT pg_advisory_lock(424242)"))
        try:
            exc = await _raised(
                engine,
                "SET LOCAL lock_timeout = '50ms'",
                "SELECT pg_advisory_xact_lock(424242)",
            )
        finally:
            await holder.execute(text("SELECT pg_advisory_unlock(424242)"))
    assert exc.orig is not None and getattr(exc.orig, "sqlstate", None) == "55P03"
    assert is_retryable(exc) and is_transient(exc)
    assert not is_database_unavailable(exc)


async def test_a_terminated_connection_is_an_outage_and_retried(engine: AsyncEngine) -> None:
    async with engine.connect() as victim:
        pid = (await victim.execute(text("SELECT pg_backend_pid()"))).scalar_one()
        async with engine.connect() as killer:
            # Typed: Citus adds pg_terminate_backend(bigint global pid) beside the integer one.
            await killer.execute(
                text("SELECT pg_terminate_backend(CAST(:pid AS integer))"), {"pid": pid}
            )
        await asyncio.sleep(0.05)
        with pytest.raises(DBAPIError) as caught:
            await victim.execute(text("SELECT 1"))
    assert is_database_unavailable(caught.value)
    assert is_retryable(caught.value) and is_transient(caught.value)


def test_missing_files_are_bugs_not_outages() -> None:
    assert not is_transient(FileNotFoundError("report.pdf"))
    assert is_transient(ConnectionRefusedError())
