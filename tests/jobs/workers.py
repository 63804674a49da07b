"""Real arq workers and Redis pools for job tests, each on a queue of its own."""

from __future__ import annotations

import asyncio
import uuid
import warnings
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from arq.connections import ArqRedis
from arq.worker import Worker
from sqlalchemy.ext.asyncio import AsyncEngine

from jobs.worker import worker_settings
from server.auth.secret_key import secret_box_for
from server.redis_pool import open_pool, redis_settings
from server.settings import Settings
from tenants import models as m
from tenants.registry import TenantRef
from tests.jobs.seed import report_row


def new_queue() -> str:
    return f"steward:jobtest:{uuid.uuid4().hex[:10]}"


def make_worker(settings: Settings, queue: str, **options: Any) -> Worker:
    assert settings.database_url and settings.redis_url
    opts = worker_settings(
        database_url=settings.database_url,
        redis_settings=redis_settings(settings.redis_url),
        queue_name=queue,
        secret_box=secret_box_for(settings),
        burst=options.pop("burst", True),
        with_cron=options.pop("with_cron", False),
        **options,
    )
    opts["handle_signals"] = False
    opts["poll_delay"] = 0.05
    return Worker(**opts)


async def run_burst(*workers: Worker) -> None:
    """Run the workers side by side until their queue is empty."""
    try:
        await asyncio.wait_for(asyncio.gather(*(w.main() for w in workers)), 120)
    finally:
        for w in workers:
            await close(w)


async def close(worker: Worker) -> None:
    # arq 0.28 closes its pool with redis' deprecated close(); the suite turns
    # warnings into errors.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        await worker.close()


@asynccontextmanager
async def pool(settings: Settings, queue: str) -> AsyncIterator[ArqRedis]:
    assert settings.redis_url
    redis = open_pool(settings.redis_url, queue_name=queue)
    try:
        yield redis
    finally:
        await redis.aclose()


async def wait_for_report(
    engine: AsyncEngine,
    tenant: TenantRef,
    report_id: uuid.UUID,
    status: m.ReportStatus,
    *,
    within_s: float = 30,
) -> None:
    """Poll until a worker has moved the report to `status`; fail after `within_s`."""
    deadline = asyncio.get_running_loop().time() + within_s
    while (await report_row(engine, tenant, report_id)).status is not status:
        assert asyncio.get_running_loop().time() < deadline, (
            f"report not {status.value} within {within_s} s"
        )
        await asyncio.sleep(0.2)


async def run_job(settings: Settings, function: str, *args: str, **worker_options: Any) -> None:
    """Enqueue one job on a queue of its own and run a burst worker until it is done."""
    queue = new_queue()
    async with pool(settings, queue) as redis:
        await redis.enqueue_job(function, *args)
        await run_burst(make_worker(settings, queue, **worker_options))
