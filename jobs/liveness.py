"""A worker's liveness: arq's health-check key, one per worker host, read by `--check`.

arq rewrites `Worker.health_check_key` from its poll loop every `health_check_interval`
seconds and gives it a life of that interval + 1 s, then deletes it when the worker
stops. The key is per host (`<queue>:health-check:<hostname>`: a container's or pod's
own name), so `steward worker --check` in one container says whether *that* container's
worker is alive, not whether any worker on the queue is.
"""

from __future__ import annotations

import asyncio
import re
import socket

from arq.connections import RedisSettings, create_pool
from arq.constants import health_check_key_suffix
from redis.exceptions import RedisError

HEALTH_CHECK_INTERVAL_S = 5


def health_check_key(queue_name: str, host: str | None = None) -> str:
    return f"{queue_name}{health_check_key_suffix}:{host or socket.gethostname()}"


def health_check_pattern(queue_name: str) -> str:
    """A SCAN pattern matching every worker's key on `queue_name`."""
    return re.sub(r"([*?\[\]\\])", r"\\\1", f"{queue_name}{health_check_key_suffix}:") + "*"


async def worker_health(
    redis_settings: RedisSettings,
    queue_name: str,
    *,
    wait_s: float = 3.0,
) -> str | None:
    """This host's worker's last health record (arq's counters), or None when it is stale.

    A missing key is looked for again until `wait_s` has passed: the key is rewritten every
    HEALTH_CHECK_INTERVAL_S and lives one second longer, so a poll loop a little late must
    not read as a dead worker. A live worker answers at once.
    """
    key = health_check_key(queue_name)
    try:
        redis = await create_pool(redis_settings, retry=0)
    except (RedisError, OSError):
        return None
    try:
        deadline = asyncio.get_running_loop().time() + wait_s
        while True:
            value = await redis.get(key)
            if value:
                return value.decode() if isinstance(value, bytes) else str(value)
            if asyncio.get_running_loop().time() >= deadline:
                return None
            await asyncio.sleep(0.5)
    except (RedisError, OSError):
        return None
    finally:
        await redis.aclose()
