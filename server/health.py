"""`/healthz` (the process is alive) and `/readyz` (it can serve: dependencies and migrations)."""

from __future__ import annotations

import asyncio
from typing import Any

from sqlalchemy import func, or_, select, text
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.requests import Request
from starlette.responses import JSONResponse

from tenants.migrate import SHARED, TENANT, current_shared, head_of
from tenants.registry import Tenant

CHECK_TIMEOUT_S = 2.0


async def healthz(request: Request) -> JSONResponse:
    return JSONResponse({"status": "ok"})


async def _database(engine: AsyncEngine) -> dict[str, Any]:
    async with engine.connect() as conn:
        await conn.execute(text("SELECT 1"))
        shared = await current_shared(conn)
        tenant_head = head_of(TENANT)
        behind = await conn.scalar(
            select(func.count())
            .select_from(Tenant)
            .where(or_(Tenant.schema_revision.is_(None), Tenant.schema_revision != tenant_head))
        )
    shared_ok = shared == head_of(SHARED)
    return {
        "ok": shared_ok and behind == 0,
        "sharedRevision": shared,
        "tenantsBehind": behind,
    }


async def _redis(redis: Any) -> dict[str, Any]:
    if redis is None:
        return {"ok": False, "error": "not configured"}
    await redis.ping()
    return {"ok": True}


async def _check(name: str, coro: Any) -> tuple[str, dict[str, Any]]:
    try:
        return name, await asyncio.wait_for(coro, CHECK_TIMEOUT_S)
    except Exception as exc:  # a failing dependency is the answer, not an error
        return name, {"ok": False, "error": type(exc).__name__}


async def readyz(request: Request) -> JSONResponse:
    results = dict(
        await asyncio.gather(
            _check("postgres", _database(request.state.engine)),
            _check("redis", _redis(request.state.redis)),
        )
    )
    ready = all(r["ok"] for r in results.values())
    return JSONResponse(
        {"status": "ready" if ready else "unavailable", "checks": results},
        status_code=200 if ready else 503,
    )
