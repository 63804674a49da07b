"""Probes that tell the truth: liveness, readiness (ready, degraded, unavailable), operators."""

from __future__ import annotations

import secrets

import httpx
from pydantic import SecretStr
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncEngine
from structlog.testing import capture_logs

from server.settings import Settings
from tenants.migrate import SHARED, TENANT, head_of
from tenants.registry import Tenant
from tests.conftest import TenantFactory
from tests.support import free_port, scratch_database, serving

OPERATOR = secrets.token_hex(32)


def _operator(settings: Settings, **update: object) -> Settings:
    return settings.model_copy(update={"operator_token": SecretStr(OPERATOR), **update})


def _as_operator() -> dict[str, str]:
    return {"authorization": f"Bearer {OPERATOR}"}


async def test_healthz_says_alive(client: httpx.AsyncClient) -> None:
    response = await client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


async def test_readyz_says_ready_and_nothing_else(client: httpx.AsyncClient) -> None:
    response = await client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ready"}


async def test_the_operator_view_needs_its_token(settings: Settings) -> None:
    async with serving(_operator(settings)) as url, httpx.AsyncClient(base_url=url) as client:
        assert (await client.get("/status")).status_code == 401
        wrong = {"authorization": f"Bearer {secrets.token_hex(32)}"}
        refused = await client.get("/status", headers=wrong)
        assert refused.status_code == 401
        assert "sharedRevision" not in refused.text
        assert (await client.get("/status", headers=_as_operator())).status_code == 200


async def test_without_an_operator_token_there_is_no_operator_view(
    client: httpx.AsyncClient,
) -> None:
    assert (await client.get("/status", headers=_as_operator())).status_code == 404


async def test_the_operator_view_gives_revisions_tenants_and_redis(
    settings: Settings, make_tenant: TenantFactory
) -> None:
    await make_tenant()
    async with serving(_operator(settings)) as url, httpx.AsyncClient(base_url=url) as client:
        body = (await client.get("/status", headers=_as_operator())).json()
    assert body["status"] == "ready" and body["reasons"] == []
    postgres = body["checks"]["postgres"]
    assert postgres["sharedRevision"] == postgres["sharedHead"] == head_of(SHARED)
    assert postgres["tenantHead"] == head_of(TENANT)
    assert postgres["tenants"] >= 1 and postgres["tenantsBehind"] == 0
    assert body["checks"]["redis"] == {"ok": True}
    assert set(body["checks"]["workers"]) == {"ok", "alive", "hosts"}


async def test_redis_down_is_degraded_not_unready_and_logged_once(settings: Settings) -> None:
    down = _operator(settings, redis_url=f"redis://127.0.0.1:{free_port()}/0")
    async with serving(down) as url, httpx.AsyncClient(base_url=url) as client:
        with capture_logs() as logs:
            first = await client.get("/readyz")
            second = await client.get("/readyz")
        detail = (await client.get("/status", headers=_as_operator())).json()
    assert (first.status_code, first.json()) == (200, {"status": "degraded"})
    assert second.status_code == 200
    assert detail["checks"]["redis"]["ok"] is False
    assert any(reason.startswith("redis unreachable") for reason in detail["reasons"])
    degraded = [entry for entry in logs if entry["event"] == "readiness.degraded"]
    assert len(degraded) == 1 and degraded[0]["log_level"] == "warning"


async def test_a_tenant_behind_the_migration_head_is_degraded(
    settings: Settings, engine: AsyncEngine, make_tenant: TenantFactory
) -> None:
    tenant = await make_tenant()

    async def set_revision(revision: str | None) -> None:
        async with engine.begin() as conn:
            await conn.execute(
                update(Tenant).where(Tenant.slug == tenant.slug).values(schema_revision=revision)
            )

    await set_revision("0001")
    try:
        async with serving(_operator(settings)) as url, httpx.AsyncClient(base_url=url) as client:
            ready = await client.get("/readyz")
            detail = (await client.get("/status", headers=_as_operator())).json()
    finally:
        await set_revision(head_of(TENANT))
    assert (ready.status_code, ready.json()) == (200, {"status": "degraded"})
    assert detail["checks"]["postgres"]["tenantsBehind"] == 1
    assert "1 tenant schemas behind the migration head" in detail["reasons"]


async def test_a_shared_schema_behind_its_head_is_unavailable(settings: Settings) -> None:
    async with scratch_database("steward_unmigrated", settings.database_url) as unmigrated:
        behind = _operator(settings, database_url=unmigrated)
        async with serving(behind) as url, httpx.AsyncClient(base_url=url) as client:
            ready = await client.get("/readyz")
            detail = (await client.get("/status", headers=_as_operator())).json()
    assert (ready.status_code, ready.json()) == (503, {"status": "unavailable"})
    assert detail["checks"]["postgres"]["sharedRevision"] is None
    assert detail["reasons"] == ["shared schema not at its migration head"]


async def test_postgres_down_is_unavailable_and_liveness_still_answers(
    settings: Settings,
) -> None:
    nowhere = f"postgresql+asyncpg://postgres@127.0.0.1:{free_port()}/nowhere"
    down = settings.model_copy(update={"database_url": nowhere})
    async with serving(down) as url, httpx.AsyncClient(base_url=url) as client:
        ready = await client.get("/readyz")
        alive = await client.get("/healthz")
    assert (ready.status_code, ready.json()) == (503, {"status": "unavailable"})
    assert alive.status_code == 200
