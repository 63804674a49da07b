"""Running the HTTP server and the worker, alone or side by side in one process."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
from collections.abc import Callable, Coroutine
from importlib.util import find_spec
from typing import Any, TypeVar

import uvicorn
from arq.worker import Worker

from jobs.worker import worker_settings
from server.app import create_app
from server.auth.secret_key import secret_box_for
from server.observability.exposition import api_metrics_server
from server.observability.tracing import configure_tracing
from server.redis_pool import redis_settings
from server.settings import Settings

T = TypeVar("T")
# libuv's event loop and the C HTTP parser when installed (they are in requirements.lock;
# uvloop has no Windows build): uvicorn's pure-Python fallbacks cost CPU per request.
LOOP = "uvloop" if find_spec("uvloop") else "asyncio"
HTTP = "httptools" if find_spec("httptools") else "h11"
_UVICORN_OPTIONS: dict[str, Any] = {
    "log_config": None,
    "server_header": False,
    # X-Forwarded-For is read by the app itself, from STEWARD_TRUSTED_PROXIES only
    # (server/middleware/forwarded.py); uvicorn's would trust 127.0.0.1 by default.
    "proxy_headers": False,
    "lifespan": "on",
    "loop": LOOP,
    "http": HTTP,
}


def run_on_fast_loop(main: Coroutine[Any, Any, T]) -> T:
    """`asyncio.run(main)`, on uvloop when it is installed."""
    factory: Callable[[], asyncio.AbstractEventLoop] | None = None
    if LOOP == "uvloop":
        import uvloop

        factory = uvloop.new_event_loop
    with asyncio.Runner(loop_factory=factory) as runner:
        return runner.run(main)


def serve(settings: Settings, *, workers: int = 1) -> None:
    """Serve the API until SIGINT/SIGTERM, in this process or in `workers` processes.

    Workers share the listening socket, which uvicorn's supervisor binds once; each
    has its own engine and pool, so the database sees `workers x STEWARD_DB_POOL_SIZE`
    connections at most. A worker that dies is restarted by the supervisor.
    """
    # Prometheus text on STEWARD_METRICS_PORT, answered by this process (with N workers,
    # from their multiprocess files: server/observability/exposition.py).
    with api_metrics_server(settings, workers=workers):
        _serve(settings, workers)


def _serve(settings: Settings, workers: int) -> None:
    if workers <= 1:
        # uvicorn re-raises the signal it stopped on once it has shut down; SIGTERM's
        # default action would end the process there, before the caller's context
        # (resolved_settings) stops the embedded servers it started.
        signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))
        run_on_fast_loop(serve_forever(settings, with_worker=False))
        return
    assert settings.database_url and settings.redis_url
    # Spawned workers load their settings from the environment: hand them the servers
    # this process resolved (embedded ones included, which only this process started).
    os.environ["DATABASE_URL"] = settings.database_url
    os.environ["REDIS_URL"] = settings.redis_url
    uvicorn.run(
        "server.asgi:app_from_env",
        factory=True,
        workers=workers,
        host=settings.host,
        port=settings.port,
        timeout_graceful_shutdown=settings.shutdown_grace_s,
        **_UVICORN_OPTIONS,
    )


def make_worker(settings: Settings, *, handle_signals: bool = True) -> Worker:
    assert settings.database_url and settings.redis_url
    options = worker_settings(
        database_url=settings.database_url,
        redis_settings=redis_settings(settings.redis_url),
        queue_name=settings.queue_name,
        secret_box=secret_box_for(settings),
        shutdown_grace_s=settings.shutdown_grace_s,
        job_timeout_s=settings.job_timeout_s,
        export_ttl_s=settings.export_ttl_hours * 3600,
        signin_attempt_retention_days=settings.signin_attempt_retention_days,
        test_job_delay_s=settings.test_job_delay_s,
        metrics_port=settings.worker_metrics_port,
        metrics_host=settings.host,
    )
    options["handle_signals"] = handle_signals
    return Worker(**options)


async def run_worker(settings: Settings) -> None:
    from server.logging import configure_logging

    configure_logging(settings.log_level)
    configure_tracing(settings, "steward-worker")
    worker = make_worker(settings)
    try:
        await worker.async_run()
    except asyncio.CancelledError:
        # On SIGTERM/SIGINT arq lets running jobs finish within STEWARD_SHUTDOWN_GRACE_S,
        # then ends its main task by cancelling it: a clean stop, exit status 0.
        task = asyncio.current_task()
        if task is not None and task.cancelling():
            raise
    finally:
        await worker.close()


async def serve_forever(
    settings: Settings, *, with_worker: bool, on_started: Callable[[], None] | None = None
) -> None:
    """Serve HTTP until SIGINT/SIGTERM; with `with_worker`, run the arq worker beside it."""
    configure_tracing(settings, "steward-api")
    # SIGTERM: stop accepting, let in-flight requests finish within the grace, then stop.
    config = uvicorn.Config(
        create_app(settings),
        host=settings.host,
        port=settings.port,
        timeout_graceful_shutdown=settings.shutdown_grace_s,
        **_UVICORN_OPTIONS,
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
