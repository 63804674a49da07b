"""Resolving the servers to use: the configured ones, or embedded ones started here."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from server.embedded import embedded_services
from server.settings import Settings


@contextmanager
def resolved_settings(settings: Settings) -> Iterator[Settings]:
    """Settings with both URLs set, starting embedded PostgreSQL/Redis for any missing one."""
    if settings.database_url and settings.redis_url:
        yield settings
        return
    with embedded_services(
        settings.data_dir, database_url=settings.database_url, redis_url=settings.redis_url
    ) as (database_url, redis_url):
        yield settings.with_urls(database_url, redis_url)
