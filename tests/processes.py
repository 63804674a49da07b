"""Real `steward` processes (commands, serve, worker) for the suites that need one, as a
person at the shell or a deployment runs them, on the run's database and Redis."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

from server.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
STEWARD = Path(sys.executable).with_name("steward")
# Out of the way of tests that send many requests from 127.0.0.1 to a served process.
NO_RATE_LIMITS = {
    "STEWARD_RATE_LIMIT_PER_PRINCIPAL": "1000000",
    "STEWARD_RATE_LIMIT_PER_ADDRESS": "1000000",
}


def steward_env(settings: Settings, **extra: str) -> dict[str, str]:
    """The environment of a `steward` process on the run's servers and queue (so no other
    run's worker takes what it enqueues), STEWARD_ENV=test; `extra` overrides."""
    assert settings.database_url and settings.redis_url
    return os.environ | {
        "DATABASE_URL": settings.database_url,
        "REDIS_URL": settings.redis_url,
        "STEWARD_QUEUE_NAME": settings.queue_name,
        "STEWARD_ENV": "test",
        **extra,
    }


def run_steward(settings: Settings, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """`steward <args>` to its end, with `steward_env(settings, **env)`; output captured."""
    return subprocess.run(
        [sys.executable, "-m", "server.cli", *args],
        capture_output=True,
        text=True,
        env=steward_env(settings, **env),
        cwd=ROOT,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )


async def steward_output(settings: Settings, *args: str, **env: str) -> tuple[int, str, str]:
    """`run_steward` off the event loop (an in-process server may have to answer the
    command): its exit code, stdout and stderr."""
    done = await asyncio.to_thread(run_steward, settings, *args, **env)
    return done.returncode, done.stdout, done.stderr


def steward_worker(settings: Settings, **extra: str) -> subprocess.Popen[bytes]:
    """A `steward worker` (log level WARNING unless `extra` says), its output discarded."""
    return subprocess.Popen(
        [str(STEWARD), "worker"],
        env=steward_env(settings, **({"STEWARD_LOG_LEVEL": "WARNING"} | extra)),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
