"""`steward worker --check`: exit 0 when this host's worker recorded its health lately.

For container health checks and exec probes, run in the worker's own container (the
health key is per host, see jobs/liveness.py). It needs REDIS_URL and the worker's
STEWARD_QUEUE_NAME; it starts nothing. A healthy worker answers at once; a missing key is
waited for up to 3 s before the answer is "unhealthy", so give the probe a timeout of 10 s.
"""

from __future__ import annotations

import asyncio

import typer

from jobs.liveness import health_check_key, worker_health
from server.redis_pool import redis_settings
from server.settings import Settings


def check_worker(settings: Settings) -> int:
    """0 and the worker's counters on stdout when it is alive; 1 and the reason otherwise."""
    if settings.redis_url is None:
        typer.echo("steward worker --check needs REDIS_URL (the worker's Redis)", err=True)
        return 1
    redis = redis_settings(settings.redis_url)
    redis.conn_retries = 0
    record = asyncio.run(worker_health(redis, settings.queue_name))
    if record is None:
        key = health_check_key(settings.queue_name)
        typer.echo(f"unhealthy: no fresh health record at {key} (or Redis unreachable)", err=True)
        return 1
    typer.echo(f"healthy: {record}")
    return 0
