"""`steward worker --check`: 0 while this host's worker keeps its health key fresh, 1 otherwise."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from pydantic import SecretStr

from jobs.liveness import health_check_key, worker_health
from server.redis_pool import redis_settings
from server.settings import Settings
from tests.jobs.workers import close, make_worker, new_queue
from tests.support import serving

STEWARD = Path(sys.executable).with_name("steward")
OPERATOR = "o" * 40


async def _check(settings: Settings, queue: str) -> subprocess.CompletedProcess[str]:
    env = os.environ | {
        "REDIS_URL": settings.redis_url or "",
        "STEWARD_QUEUE_NAME": queue,
        "STEWARD_ENV": "test",
    }
    return await asyncio.to_thread(
        subprocess.run,
        [str(STEWARD), "worker", "--check"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_each_host_has_its_own_health_key() -> None:
    assert health_check_key("q").endswith(f":health-check:{socket.gethostname()}")
    assert health_check_key("q", "pod-a") != health_check_key("q", "pod-b")


@pytest.mark.timeout(90)
async def test_the_check_follows_the_worker_and_the_operator_view_lists_it(
    settings: Settings,
) -> None:
    assert settings.redis_url
    queue = new_queue()
    nobody = await _check(settings, queue)
    assert nobody.returncode == 1 and "unhealthy" in nobody.stderr

    worker = make_worker(settings, queue, burst=False)
    running = asyncio.create_task(worker.main())
    try:
        deadline = time.monotonic() + 30
        while await worker_health(redis_settings(settings.redis_url), queue, wait_s=0) is None:
            assert time.monotonic() < deadline and not running.done()
            await asyncio.sleep(0.1)
        alive = await _check(settings, queue)
        assert alive.returncode == 0, alive.stderr
        assert alive.stdout.startswith("healthy") and "j_complete=" in alive.stdout

        operator = settings.model_copy(
            update={"queue_name": queue, "operator_token": SecretStr(OPERATOR)}
        )
        async with serving(operator) as url, httpx.AsyncClient(base_url=url) as client:
            status = await client.get("/status", headers={"authorization": f"Bearer {OPERATOR}"})
        workers = status.json()["checks"]["workers"]
        assert workers["ok"] and socket.gethostname() in workers["hosts"]
    finally:
        running.cancel()
        await asyncio.gather(running, return_exceptions=True)
        await close(worker)
    # A worker that stopped deletes its key: the check fails at once, not an interval later.
    assert await worker_health(redis_settings(settings.redis_url), queue, wait_s=0) is None
