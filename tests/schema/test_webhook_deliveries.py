"""webhookDeliveries: every attempt, newest first, keyset-paged; admins only."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncEngine

from tenants import models as m
from tenants.registry import TenantRef
from tenants.session import tenant_session
from tests.conftest import TokenFactory
from tests.jobs.seed import queue_report, seed_client
from tests.support import data, gql

READ = """query($after: String) { webhookDeliveries(first: 2, after: $after) {
  totalCount pageInfo { hasNextPage endCursor }
  edges { node { event messageId attempt statusCode error succeeded } }
} }"""


async def _read(client: httpx.AsyncClient, token: str, after: str | None = None) -> Any:
    return data(await gql(client, READ, {"after": after}, token=token))["webhookDeliveries"]


async def test_admins_see_each_attempt_newest_first_and_no_one_else_does(
    client: httpx.AsyncClient, engine: AsyncEngine, tenant: TenantRef, make_token: TokenFactory
) -> None:
    seeded = await seed_client(engine, tenant, processes=1)
    report = await queue_report(engine, tenant, seeded.client_id)
    start = datetime(2026, 6, 1, 6, 0, tzinfo=UTC)
    async with tenant_session(engine, tenant) as db:
        for attempt, code in ((1, 500), (2, None), (3, 204)):
            db.add(
                m.WebhookDelivery(
                    event="readiness_report.succeeded",
                    message_id="msg_abc",
                    readiness_report_id=report,
                    attempt=attempt,
                    url="https://hooks.example.com/steward",
                    status_code=code,
                    error=None if code == 204 else "HTTP 500" if code else "ConnectError: refused",
                    succeeded=code == 204,
                    attempted_at=start + timedelta(seconds=attempt),
                )
            )
    admin = await make_token(tenant, "admin")
    first = await _read(client, admin)
    assert first["totalCount"] == 3 and first["pageInfo"]["hasNextPage"]
    nodes = [e["node"] for e in first["edges"]]
    assert [(n["attempt"], n["statusCode"], n["succeeded"]) for n in nodes] == [
        (3, 204, True),
        (2, None, False),
    ]
    assert nodes[1]["error"] == "ConnectError: refused"
    assert {n["event"] for n in nodes} == {"READINESS_REPORT_SUCCEEDED"}
    rest = await _read(client, admin, first["pageInfo"]["endCursor"])
    assert [e["node"]["attempt"] for e in rest["edges"]] == [1]
    assert {e["node"]["messageId"] for e in rest["edges"]} == {"msg_abc"}
    # The enum name, not the Standard Webhooks type string stored and sent.
    assert {n["event"] for n in nodes} == {"READINESS_REPORT_SUCCEEDED"}
    for role in ("consultant", "viewer"):
        assert (await _read(client, await make_token(tenant, role)))["totalCount"] == 0
    owner = await make_token(tenant, "client_owner", seeded.client_id)
    assert (await _read(client, owner))["edges"] == []
