"""Running the HTTP server and the worker, alone or side by side in one process."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable

import uvicorn
from arq.worker import Worker

from jobs.worker import worker_settings
from server.app import create_app
from server.auth.secret_key import secret_box_for
from server.redis_pool import redis_settings
from server.settings import Settings


def make_worker(settings: Settings, *, handle_signals: bool = True) -> Worker:
    assert settings.database_url and settings.redis_url
    options = worker_settings(
        database_url=settings.database_url,
        redis_settings=redis_settings(settings.redis_url),
        queue_name=settings.queue_name,
        secret_box=secret_box_for(settings),
    )
    options["handle_signals"] = handle_signals
    return Worker(**options)


async def run_worker(settings: Settings) -> None:
    from server.logging import configure_logging

    configure_logging(settings.log_level)
    worker = make_worker(settings)
    try:
        await worker.async_run()
    finally:
        await worker.close()


async def serve_forever(
    settings: Settings, *, with_worker: bool, on_started: Callable[[], None] | None = None
) -> None:
    """Serve HTTP until SIGINT/SIGTERM; with `with_worker`, run the arq worker beside it."""
    config = uvicorn.Config(
        create_app(settings),
        host=settings.host,
        port=settings.port,
        log_config=None,
        server_header=False,
        proxy_headers=False,
        lifespan="on",
    )
    server = uvicorn.Server(config)
    worker_task: asyncio.Task[None] | None = None
    worker: Worker | None = None
    if with_worker:
        # uvicorn owns the signals; the worker stops when the server does.
        worker = make_worker(settings, handle_signals=False)
        worker_task = asyncio.create_task(worker.async_run())

    async def announce_when_started() -> None:
        while not server.started:  # noqa: ASYNC110  (uvicorn exposes a flag, not an event)
            await asyncio.sleep(0.05)
        if on_started is not None:
            on_started()

    announcer = asyncio.create_task(announce_when_started())
    try:
        await server.serve()
    finally:
        announcer.cancel()
        if worker_task is not None and worker is not None:
            worker_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await worker_task
            await worker.close()
