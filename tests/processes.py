"""Real `steward` processes (serve, worker) for the suites that need one, as in production,
configured as the run's own in-process server is."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from server.settings import Settings

STEWARD = Path(sys.executable).with_name("steward")


def steward_env(settings: Settings, **extra: str) -> dict[str, str]:
    """The environment of a `steward` process on the run's servers; `extra` overrides."""
    assert settings.database_url and settings.redis_url
    return os.environ | {
        "DATABASE_URL": settings.database_url,
        "REDIS_URL": settings.redis_url,
        "STEWARD_ENV": "test",
        "STEWARD_LOG_LEVEL": "WARNING",
        "STEWARD_RATE_LIMIT_PER_PRINCIPAL": "1000000",
        "STEWARD_RATE_LIMIT_PER_ADDRESS": "1000000",
        **extra,
    }


def steward_worker(settings: Settings, **extra: str) -> subprocess.Popen[bytes]:
    """A `steward worker` with `steward_env(settings, **extra)`, its output discarded."""
    return subprocess.Popen(
        [str(STEWARD), "worker"],
        env=steward_env(settings, **extra),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
