"""Helpers shared by the CLI commands."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

from sqlalchemy.ext.asyncio import AsyncEngine

from server.settings import Settings
from tenants.engine import make_engine

T = TypeVar("T")


async def with_engine(settings: Settings, work: Callable[[AsyncEngine], Awaitable[T]]) -> T:
    assert settings.database_url is not None
    engine = make_engine(
        settings.database_url, statement_timeout_ms=settings.statement_timeout_ms * 20
    )
    try:
        return await work(engine)
    finally:
        await engine.dispose()
