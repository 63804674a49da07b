"""configureReportSchedule / reportSchedule: per-tenant day, time, time zone and webhook."""

from __future__ import annotations

import asyncio
import base64
import uuid
from typing import Any

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from jobs.health.schedule import load_schedule
from server.auth.secret_key import secret_box_for
from server.settings import Settings
from tenants.models import AuditEvent, ReportSchedule
from tenants.registry import TenantRef
from tenants.session import tenant_session
from tests.conftest import TokenFactory
from tests.schema.support import mutation
from tests.support import data, gql

# A Standard Webhooks secret: whsec_ and the base64 of 32 bytes.
SECRET = "whsec_" + base64.b64encode(b"s" * 32).decode()

READ = """{ reportSchedule {
  enabled weekday hour minute timezone webhookUrl hasWebhookSecret version
} }"""
CONFIGURE = mutation(
    "configureReportSchedule",
    "reportSchedule { weekday hour minute timezone webhookUrl hasWebhookSecret version }",
)


async def configure(client: httpx.AsyncClient, token: str, **fields: Any) -> dict[str, Any]:
    return await CONFIGURE.send(client, token, **{"version": None, **fields})


async def test_defaults_then_configure_then_a_stale_version_conflicts(
    client: httpx.AsyncClient,
    engine: AsyncEngine,
    settings: Settings,
    tenant: TenantRef,
    token: str,
) -> None:
    default = data(await gql(client, READ, token=token))["reportSchedule"]
    assert default["weekday"] == "MONDAY" and default["hour"] == 6 and default["version"] is None
    first = await configure(
        client,
        token,
        weekday="THURSDAY",
        hour=7,
        minute=30,
        timezone="Europe/London",
        webhookUrl="https://hooks.consultancy.example/steward",
        webhookSecret=SECRET,
    )
    assert first["errors"] == []
    assert first["reportSchedule"] == {
        "weekday": "THURSDAY",
        "hour": 7,
        "minute": 30,
        "timezone": "Europe/London",
        "webhookUrl": "https://hooks.consultancy.example/steward",
        "hasWebhookSecret": True,
        "version": 1,
    }
    async with tenant_session(engine, tenant) as s:
        schedule = await load_schedule(s)
        assert (schedule.weekday, schedule.hour, schedule.timezone) == (3, 7, "Europe/London")
        audit = list(
            await s.scalars(select(AuditEvent).where(AuditEvent.object_type == "ReportSchedule"))
        )
        row = await s.get(ReportSchedule, 1)
        assert row is not None
        stored = (row.webhook_secret_encrypted, row.legacy_webhook_secret)
    assert [a.action for a in audit] == ["create"]
    # The secret never reaches the trail, not even as ciphertext.
    assert audit[0].after("webhookSecret") == "<set>"
    assert SECRET not in str(audit[0].changes) and str(stored[0]) not in str(audit[0].changes)
    # Stored only encrypted under the deployment's key, which gives it back.
    assert stored[1] is None and stored[0] is not None and SECRET not in stored[0]
    assert secret_box_for(settings).decrypt(stored[0]) == SECRET
    stale = await configure(client, token, hour=8)  # version null: someone configured it already
    assert stale["errors"][0]["field"] == "version" and stale["errors"][0]["code"] == "CONFLICT"
    second = await configure(client, token, version=1, hour=8, timezone="UTC")
    assert second["errors"] == [] and second["reportSchedule"]["version"] == 2


async def test_invalid_values_are_named_and_nothing_is_written(
    client: httpx.AsyncClient, token: str
) -> None:
    bad = await configure(
        client,
        token,
        hour=24,
        minute=-1,
        timezone="Mars/Olympus",
        webhookUrl="http://hooks.example.com",
        webhookSecret="short",
    )
    assert bad["reportSchedule"] is None
    assert {e["field"] for e in bad["errors"]} == {
        "hour",
        "minute",
        "timezone",
        "webhookUrl",
        "webhookSecret",
    }
    assert data(await gql(client, READ, token=token))["reportSchedule"]["version"] is None


async def test_only_admins_configure_and_clients_cannot_see_it(
    client: httpx.AsyncClient, tenant: TenantRef, consultant: str, make_token: TokenFactory
) -> None:
    refused = await configure(client, consultant, hour=9)
    assert refused["errors"][0]["code"] == "FORBIDDEN"
    client_viewer = await make_token(tenant, "client_viewer", uuid.uuid4())
    assert data(await gql(client, READ, token=client_viewer))["reportSchedule"] is None


async def test_two_first_configurations_racing_give_one_success_and_one_conflict(
    client: httpx.AsyncClient, engine: AsyncEngine, tenant: TenantRef, token: str
) -> None:
    # Both saw no schedule (version null). The other one's INSERT is held uncommitted, so
    # this request's INSERT of the same singleton row waits on it, then collides.
    async with tenant_session(engine, tenant) as other:
        other.add(ReportSchedule(id=1, hour=9))
        await other.flush()
        request = asyncio.create_task(configure(client, token, hour=7))
        await asyncio.sleep(0.5)  # the request is now blocked on the uncommitted row
        assert not request.done()
    result = await asyncio.wait_for(request, 10)
    assert result["reportSchedule"] is None
    assert [(e["field"], e["code"]) for e in result["errors"]] == [("version", "CONFLICT")]
    async with tenant_session(engine, tenant) as s:
        row = await s.get(ReportSchedule, 1)
        assert row is not None and row.hour == 9  # the other one's, untouched
