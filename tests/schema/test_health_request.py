"""requestEngagementHealthReport: a health report now, staff only, once a minute per client,
exactly one per request, never before the engagement starts, never GREEN on nothing."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from schema.ids import global_id
from tenants import models as m
from tenants.registry import TenantRef
from tenants.services.branding import BRANDING_ID
from tenants.session import tenant_session
from tests.conftest import TokenFactory
from tests.jobs.seed import seed_client
from tests.schema.support import mutation

REQUEST = mutation(
    "requestEngagementHealthReport",
    "engagementHealthReport { id status periodStart periodEnd"
    " reasons { code level message params } }",
)


async def _request(client: httpx.AsyncClient, token: str, client_id: Any) -> dict[str, Any]:
    gid = global_id("ClientOrganisation", client_id)
    return await REQUEST.send(client, token, clientOrganisationId=gid)


async def _empty_client(engine: AsyncEngine, tenant: TenantRef, **values: Any) -> Any:
    row = m.ClientOrganisation(
        name=values.pop("name", "Nothing yet Ltd"),
        engagement_status=m.EngagementStatus.ACTIVE,
        **values,
    )
    async with tenant_session(engine, tenant) as db:
        db.add(row)
        await db.flush()
        return row.id


async def _count(engine: AsyncEngine, tenant: TenantRef) -> int:
    async with tenant_session(engine, tenant) as db:
        h = m.EngagementHealthReport
        return int(await db.scalar(select(func.count()).select_from(h)) or 0)


async def test_a_client_with_nothing_recorded_gets_an_amber_report_now(
    client: httpx.AsyncClient, engine: AsyncEngine, tenant: TenantRef, consultant: str
) -> None:
    client_id = await _empty_client(engine, tenant)
    payload = await _request(client, consultant, client_id)
    assert payload["errors"] == []
    report = payload["engagementHealthReport"]
    assert report["status"] == "AMBER"
    assert report["reasons"][0]["code"] == "NOTHING_RECORDED"
    today = datetime.now(UTC).date()
    assert report["periodEnd"] == today.isoformat()
    assert report["periodStart"] == (today - timedelta(days=6)).isoformat()
    async with tenant_session(engine, tenant) as db:
        audit = await db.scalar(
            select(m.AuditEvent).where(m.AuditEvent.action == "request").limit(1)
        )
    assert audit is not None and audit.after("reasons")[0] == "NOTHING_RECORDED"
    assert "html" not in audit.changed_fields


async def test_a_second_request_within_a_minute_is_refused_with_the_wait(
    client: httpx.AsyncClient, engine: AsyncEngine, tenant: TenantRef, token: str
) -> None:
    seeded = await seed_client(engine, tenant, processes=3)
    other = await seed_client(engine, tenant, processes=1, name="Another client")
    assert (await _request(client, token, seeded.client_id))["errors"] == []
    again = await _request(client, token, seeded.client_id)
    assert again["engagementHealthReport"] is None
    [error] = again["errors"]
    assert (error["field"], error["code"]) == ("clientOrganisationId", "UNAVAILABLE")
    assert "try again in" in error["message"]
    # The limit is per client.
    assert (await _request(client, token, other.client_id))["errors"] == []
    assert await _count(engine, tenant) == 2


async def test_concurrent_requests_make_exactly_one_report(
    client: httpx.AsyncClient, engine: AsyncEngine, tenant: TenantRef, token: str
) -> None:
    seeded = await seed_client(engine, tenant, processes=2)
    results = await asyncio.gather(*(_request(client, token, seeded.client_id) for _ in range(4)))
    made = [r for r in results if r["engagementHealthReport"] is not None]
    assert len(made) == 1
    assert all(r["errors"][0]["code"] == "UNAVAILABLE" for r in results if r not in made)
    assert await _count(engine, tenant) == 1


async def test_no_report_before_the_engagement_starts(
    client: httpx.AsyncClient, engine: AsyncEngine, tenant: TenantRef, token: str
) -> None:
    today = datetime.now(UTC).date()
    later = await _empty_client(engine, tenant, engagement_start=today + timedelta(days=30))
    refused = await _request(client, token, later)
    assert [(e["field"], e["code"]) for e in refused["errors"]] == [
        ("clientOrganisationId", "VALIDATION")
    ]
    # Started three days ago: the report covers only the days since.
    recent = await _empty_client(
        engine, tenant, name="Started lately", engagement_start=today - timedelta(days=3)
    )
    report = (await _request(client, token, recent))["engagementHealthReport"]
    assert report["periodStart"] == (today - timedelta(days=3)).isoformat()
    assert await _count(engine, tenant) == 1


async def test_client_users_may_not_request_one(
    client: httpx.AsyncClient, engine: AsyncEngine, tenant: TenantRef, make_token: TokenFactory
) -> None:
    seeded = await seed_client(engine, tenant, processes=1)
    for role in ("client_owner", "client_viewer"):
        token = await make_token(tenant, role, seeded.client_id)
        payload = await _request(client, token, seeded.client_id)
        assert payload["engagementHealthReport"] is None
        assert [e["code"] for e in payload["errors"]] == ["FORBIDDEN"]
    assert await _count(engine, tenant) == 0


async def test_reasons_come_in_the_tenants_language_with_codes_levels_and_parameters(
    client: httpx.AsyncClient, engine: AsyncEngine, tenant: TenantRef, make_token: TokenFactory
) -> None:
    async with tenant_session(engine, tenant) as db:
        db.add(m.ReportBranding(id=BRANDING_ID, name="Beratung", locale="de", version=1))
    client_id = await _empty_client(engine, tenant)
    payload = await _request(client, await make_token(tenant, "consultant"), client_id)
    report = payload["engagementHealthReport"]
    assert [(r["code"], r["level"], r["params"]) for r in report["reasons"]] == [
        ("NOTHING_RECORDED", "AMBER", {}),
        ("NO_READINESS_REPORT", "INFO", {}),  # informative: never moves the status
    ]
    assert report["reasons"][0]["message"].startswith("Noch nichts erfasst")
    async with tenant_session(engine, tenant) as db:
        html = await db.scalar(select(m.EngagementHealthReport.html))
    assert html is not None and 'lang="de"' in html and "Gründe" in html and "GELB" in html
