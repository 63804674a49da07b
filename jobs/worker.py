"""arq worker settings. The server's CLI builds them from its validated settings."""

from __future__ import annotations

from typing import Any

from arq.connections import RedisSettings

from jobs.serialization import deserialize, serialize
from jobs.tasks import TASKS
from tenants.engine import make_engine


def worker_settings(
    *,
    database_url: str,
    redis_settings: RedisSettings,
    queue_name: str,
    statement_timeout_ms: int = 60_000,
    max_jobs: int = 8,
    job_timeout_s: int = 300,
    burst: bool = False,
) -> dict[str, Any]:
    """Settings for `arq.run_worker` / `arq.Worker`: msgpack, never pickle."""

    async def on_startup(ctx: dict[str, Any]) -> None:
        ctx["engine"] = make_engine(
            database_url,
            statement_timeout_ms=statement_timeout_ms,
            application_name="steward-worker",
        )

    async def on_shutdown(ctx: dict[str, Any]) -> None:
        await ctx["engine"].dispose()

    return {
        "functions": list(TASKS),
        "redis_settings": redis_settings,
        "queue_name": queue_name,
        "job_serializer": serialize,
        "job_deserializer": deserialize,
        "on_startup": on_startup,
        "on_shutdown": on_shutdown,
        "max_jobs": max_jobs,
        "job_timeout": job_timeout_s,
        "max_tries": 5,
        "burst": burst,
        "keep_result": 3600,
        "handle_signals": True,
    }
