"""Probes that tell the truth, and the operator's view behind them.

* `GET /healthz`, liveness: the process answers. No dependency is consulted, so a
  database or Redis outage never gets a healthy process restarted.
* `GET /readyz`, readiness: this process can serve, i.e. PostgreSQL answers and the shared
  (`public`) schema is at its migration head. 503 `unavailable` otherwise. Redis down or
  tenant schemas behind head leave it serving (reads need no Redis; a tenant behind head is
  a migration in progress) and answer 200 `degraded`. The answer says nothing more: no
  revisions, no tenant counts.
* `GET /status`, the operator view, with `Authorization: Bearer <STEWARD_OPERATOR_TOKEN>`:
  every check with its figures, and the workers whose health key is fresh. 404 when no
  operator token is configured.

Each change of state (ready, degraded with its reasons, unavailable) is logged once per
process, not at every probe.
"""

from __future__ import annotations

import asyncio
import hmac
from dataclasses import dataclass, field
from typing import Any

import structlog
from pydantic import SecretStr
from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.requests import Request
from starlette.responses import JSONResponse

from jobs.liveness import health_check_pattern
from server.auth.bearer import bearer_secret
from server.responses import json_error
from tenants.migrate import SHARED, TENANT, current_shared, head_of
from tenants.registry import Tenant

log = structlog.get_logger("steward.health")
DATABASE_TIMEOUT_S = 2.0
# A hanging Redis must not hold the readiness answer past a probe's timeout.
REDIS_TIMEOUT_S = 0.5


@dataclass
class Readiness:
    status: str  # ready | degraded | unavailable
    reasons: list[str] = field(default_factory=list)
    checks: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def http_status(self) -> int:
        return 503 if self.status == "unavailable" else 200


async def _database(
    engine: AsyncEngine, shared_head: str | None, tenant_head: str | None
) -> dict[str, Any]:
    behind_head = or_(Tenant.schema_revision.is_(None), Tenant.schema_revision != tenant_head)
    async with engine.connect() as conn:
        shared = await current_shared(conn)
        figures: dict[str, Any] = {
            "ok": shared == shared_head,
            "sharedRevision": shared,
            "sharedHead": shared_head,
            "tenantHead": tenant_head,
        }
        if shared != shared_head:  # the registry may not exist yet, or not in this shape
            return figures
        row = (
            await conn.execute(
                select(func.count(), func.count().filter(behind_head)).select_from(Tenant)
            )
        ).one()
    return figures | {"tenants": int(row[0]), "tenantsBehind": int(row[1])}


async def _redis(redis: Any) -> dict[str, Any]:
    if redis is None:
        return {"ok": False, "error": "not configured"}
    await redis.ping()
    return {"ok": True}


async def _check(coro: Any, timeout_s: float) -> dict[str, Any]:
    try:
        result: dict[str, Any] = await asyncio.wait_for(coro, timeout_s)
    except Exception as exc:  # a failing dependency is the answer, not an error
        return {"ok": False, "error": type(exc).__name__}
    return result


async def _workers(redis: Any, queue_name: str) -> dict[str, Any]:
    hosts: list[str] = []
    prefix = health_check_pattern(queue_name).rstrip("*").replace("\\", "")
    async for key in redis.scan_iter(match=health_check_pattern(queue_name), count=500):
        name = key.decode() if isinstance(key, bytes) else str(key)
        hosts.append(name.removeprefix(prefix))
    return {"ok": bool(hosts), "alive": len(hosts), "hosts": sorted(hosts)[:50]}


class Probes:
    """The three routes; remembers the last state it logged (one instance per process)."""

    def __init__(self, *, operator_token: SecretStr | None, queue_name: str) -> None:
        self.operator_token = operator_token
        self.queue_name = queue_name
        # Heads are fixed for the code that runs; read the scripts once, not at every probe.
        self.shared_head, self.tenant_head = head_of(SHARED), head_of(TENANT)
        self._logged: tuple[str, tuple[str, ...]] | None = None

    async def assess(self, request: Request) -> Readiness:
        postgres, redis = await asyncio.gather(
            _check(
                _database(request.state.engine, self.shared_head, self.tenant_head),
                DATABASE_TIMEOUT_S,
            ),
            _check(_redis(request.state.redis), REDIS_TIMEOUT_S),
        )
        readiness = Readiness("ready", checks={"postgres": postgres, "redis": redis})
        if "error" in postgres:
            readiness.reasons.append(f"postgres unreachable ({postgres['error']})")
        elif not postgres["ok"]:
            readiness.reasons.append("shared schema not at its migration head")
        if readiness.reasons:
            readiness.status = "unavailable"
        else:
            if not redis["ok"]:
                readiness.reasons.append(f"redis unreachable ({redis.get('error')})")
            if postgres["tenantsBehind"]:
                readiness.reasons.append(
                    f"{postgres['tenantsBehind']} tenant schemas behind the migration head"
                )
            if readiness.reasons:
                readiness.status = "degraded"
        self._log_change(readiness)
        return readiness

    def _log_change(self, readiness: Readiness) -> None:
        state = (readiness.status, tuple(readiness.reasons))
        if state == self._logged:
            return
        if readiness.status == "ready":
            if self._logged is not None:
                log.info("readiness.ready")
        elif readiness.status == "degraded":
            log.warning("readiness.degraded", reasons=readiness.reasons)
        else:
            log.error("readiness.unavailable", reasons=readiness.reasons)
        self._logged = state

    async def healthz(self, request: Request) -> JSONResponse:
        return JSONResponse({"status": "ok"})

    async def readyz(self, request: Request) -> JSONResponse:
        readiness = await self.assess(request)
        return JSONResponse({"status": readiness.status}, status_code=readiness.http_status)

    async def status(self, request: Request) -> JSONResponse:
        if self.operator_token is None:
            return json_error(404, "NOT_FOUND", "no operator view: STEWARD_OPERATOR_TOKEN is unset")
        offered = bearer_secret(request.scope["headers"]) or ""
        expected = self.operator_token.get_secret_value()
        if not hmac.compare_digest(offered.encode(), expected.encode()):
            return json_error(
                401,
                "UNAUTHENTICATED",
                "the operator token is required",
                headers={"WWW-Authenticate": "Bearer"},
            )
        readiness = await self.assess(request)
        checks = dict(readiness.checks)
        if checks["redis"]["ok"]:
            checks["workers"] = await _check(
                _workers(request.state.redis, self.queue_name), DATABASE_TIMEOUT_S
            )
        return JSONResponse(
            {"status": readiness.status, "reasons": readiness.reasons, "checks": checks},
            status_code=readiness.http_status,
        )
