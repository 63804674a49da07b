"""Webhook events signed by the Standard Webhooks scheme, delivered over real HTTP to a
receiver that verifies them with the `standardwebhooks` library, retried with backoff,
each attempt recorded."""

from __future__ import annotations

import base64
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date
from typing import Any

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine
from standardwebhooks import Webhook
from standardwebhooks.webhooks import WebhookVerificationError
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from jobs.health.schedule import Schedule, save_schedule
from jobs.webhooks import message_id, sign
from server.auth.secret_key import secret_box_for
from server.settings import Settings
from tenants import models as m
from tenants.registry import TenantRef
from tenants.services.secret_box import SecretBox
from tenants.session import tenant_session
from tests.conftest import TenantFactory
from tests.jobs.seed import queue_report, seed_client, seed_queued_report
from tests.jobs.workers import make_worker, new_queue, pool, run_burst, run_job
from tests.support import serving_app

SECRET = "whsec_" + base64.b64encode(b"steward-webhook-test-key-32bytes").decode()
LAST_WEEK = date(2026, 6, 1)


class Receiver:
    """A real endpoint: verifies each request as a receiver would (off-the-shelf library),
    answers 400 to a bad signature and 500 to the first `failures` good ones."""

    def __init__(self, secret: str | bytes, failures: int = 0) -> None:
        self.hook = Webhook(secret)
        self.failures = failures
        self.requests: list[tuple[dict[str, str], bytes]] = []
        self.verified: list[Any] = []

    async def endpoint(self, request: Request) -> Response:
        body, headers = await request.body(), dict(request.headers)
        self.requests.append((headers, body))
        try:
            self.verified.append(self.hook.verify(body, headers))
        except WebhookVerificationError:
            return Response(status_code=400)
        return Response(status_code=500 if len(self.verified) <= self.failures else 204)


async def _configure(
    engine: AsyncEngine, tenant: TenantRef, url: str, encrypted: str | None
) -> None:
    async with tenant_session(engine, tenant) as db:
        await save_schedule(db, Schedule(webhook_url=url), webhook_secret_encrypted=encrypted)


async def _attempts(engine: AsyncEngine, tenant: TenantRef) -> list[tuple[Any, ...]]:
    d = m.WebhookDelivery
    async with tenant_session(engine, tenant) as db:
        rows = await db.execute(
            select(d.event, d.message_id, d.attempt, d.status_code, d.succeeded).order_by(
                d.attempted_at, d.attempt
            )
        )
        return [tuple(r) for r in rows]


@asynccontextmanager
async def receiving(recv: Receiver) -> AsyncIterator[str]:
    """`recv` served on a real loopback port; yields its hook URL."""
    app = Starlette(routes=[Route("/hook", recv.endpoint, methods=["POST"])])
    async with serving_app(app) as base:
        yield f"{base}/hook"


@pytest.fixture
async def served() -> AsyncIterator[tuple[Receiver, str]]:
    recv = Receiver(SECRET, failures=2)
    async with receiving(recv) as url:
        yield recv, url


async def _deliver_health_report(
    settings: Settings, tenant: TenantRef, client_id: uuid.UUID
) -> None:
    """Last week's health report for the client, by a worker that retries webhooks quickly."""
    period = LAST_WEEK.isoformat()
    await run_job(
        settings, "build_health_report", tenant.slug, str(client_id), period, webhook_backoff_s=0.2
    )


async def test_health_report_created_is_verified_by_the_library_and_retried_with_backoff(
    engine: AsyncEngine,
    settings: Settings,
    make_tenant: TenantFactory,
    served: tuple[Receiver, str],
) -> None:
    recv, url = served
    tenant = await make_tenant()
    seeded = await seed_client(engine, tenant, processes=2)
    await _configure(engine, tenant, url, secret_box_for(settings).encrypt(SECRET))
    await _deliver_health_report(settings, tenant, seeded.client_id)
    assert len(recv.requests) == 3 and len(recv.verified) == 3  # every attempt verifies
    ids = {h["webhook-id"] for h, _ in recv.requests}
    assert len(ids) == 1  # the same message on every retry, so a receiver drops repeats
    event = recv.verified[-1]
    assert event["type"] == "health_report.created"
    assert event["data"]["periodStart"] == LAST_WEEK.isoformat()
    assert event["data"]["status"] == "RED"
    assert {r["code"] for r in event["data"]["reasons"]} >= {"ORPHANED_PROCESSES"}
    assert "x-steward-signature" not in recv.requests[0][0]  # one scheme only
    [msg] = ids
    assert [a[1:] for a in await _attempts(engine, tenant)] == [
        (msg, 1, 500, False),
        (msg, 2, 500, False),
        (msg, 3, 204, True),
    ]


def test_a_wrong_secret_or_a_changed_body_does_not_verify() -> None:
    body, msg, stamp = b'{"type":"health_report.created"}', "msg_1", 1_780_000_000
    headers = {
        "webhook-id": msg,
        "webhook-timestamp": str(stamp),
        "webhook-signature": sign(SECRET, msg, stamp, body),
    }
    hook = Webhook(SECRET)
    # The library refuses old timestamps; check the signature itself at that moment.
    assert hook.sign(msg, _at(stamp), body.decode()) == headers["webhook-signature"]
    other = Webhook("whsec_" + base64.b64encode(b"another-key-of-thirty-two-bytes!").decode())
    assert other.sign(msg, _at(stamp), body.decode()) != headers["webhook-signature"]
    assert hook.sign(msg, _at(stamp), body.decode() + " ") != headers["webhook-signature"]


def _at(stamp: int) -> Any:
    from datetime import UTC, datetime

    return datetime.fromtimestamp(stamp, tz=UTC)


async def test_readiness_report_succeeded_and_failed_are_announced(
    engine: AsyncEngine, settings: Settings, make_tenant: TenantFactory
) -> None:
    recv = Receiver(SECRET)
    tenant = await make_tenant()
    seeded, good = await seed_queued_report(engine, tenant, processes=3)
    async with receiving(recv) as url:
        await _configure(engine, tenant, url, secret_box_for(settings).encrypt(SECRET))
        await run_job(settings, "build_readiness_report", tenant.slug, str(good))
        slow = await queue_report(engine, tenant, seeded.client_id)
        # Bounded a little below its timeout, the job ends the report FAILED.
        await run_job(
            settings,
            "build_readiness_report",
            tenant.slug,
            str(slow),
            job_timeout_s=5,
            test_job_delay_s=10,
        )
    assert [e["type"] for e in recv.verified] == [
        "readiness_report.succeeded",
        "readiness_report.failed",
    ]
    succeeded, failed = recv.verified
    assert succeeded["data"]["status"] == "SUCCEEDED" and succeeded["data"]["score"] is not None
    assert failed["data"]["status"] == "FAILED" and "timed out" in failed["data"]["failureReason"]
    attempts = await _attempts(engine, tenant)
    assert [(a[0], a[1], a[4]) for a in attempts] == [
        ("readiness_report.succeeded", message_id("readiness_report.succeeded", good), True),
        ("readiness_report.failed", message_id("readiness_report.failed", slow), True),
    ]


async def _deliver_one_report(settings: Settings, engine: AsyncEngine, tenant: TenantRef) -> None:
    seeded = await seed_client(engine, tenant, processes=2)
    await _deliver_health_report(settings, tenant, seeded.client_id)


async def test_a_secret_left_in_clear_by_revision_0003_signs_then_is_encrypted(
    engine: AsyncEngine, settings: Settings, make_tenant: TenantFactory
) -> None:
    # Older secrets need not be whsec_ base64: they sign with their bytes, as a receiver
    # passes them to the library.
    secret = "from_revision_0003_clear"
    recv = Receiver(secret.encode())
    tenant = await make_tenant()
    async with tenant_session(engine, tenant) as db:
        db.add(m.ReportSchedule(id=1, webhook_url=None, legacy_webhook_secret=secret))
    async with receiving(recv) as url:
        async with tenant_session(engine, tenant) as db:
            row = await db.get(m.ReportSchedule, 1)
            assert row is not None
            row.webhook_url = url
        await _deliver_one_report(settings, engine, tenant)
    assert len(recv.verified) == 1 and len(recv.requests) == 1
    async with tenant_session(engine, tenant) as db:
        row = await db.get(m.ReportSchedule, 1)
        assert row is not None
        assert row.legacy_webhook_secret is None
        assert row.webhook_secret_encrypted and secret not in row.webhook_secret_encrypted
        assert secret_box_for(settings).decrypt(row.webhook_secret_encrypted) == secret


async def test_a_secret_under_a_replaced_key_is_reported_and_nothing_is_sent(
    engine: AsyncEngine, settings: Settings, make_tenant: TenantFactory
) -> None:
    recv = Receiver(SECRET)
    tenant = await make_tenant()
    other_key = SecretBox([Fernet.generate_key()])  # the key it was saved under is gone
    async with receiving(recv) as url:
        await _configure(engine, tenant, url, other_key.encrypt(SECRET))
        await _deliver_one_report(settings, engine, tenant)
    assert recv.requests == []  # never sent unsigned, nor signed with something else
    d = m.WebhookDelivery
    async with tenant_session(engine, tenant) as db:
        rows = (await db.execute(select(d.attempt, d.succeeded, d.error))).all()
    assert len(rows) == 1  # not retried: only configuring the webhook again mends it
    attempt, succeeded, error = rows[0]
    assert (attempt, succeeded) == (1, False)
    assert "cannot be decrypted" in str(error) and "configure the webhook again" in str(error)


async def test_a_report_the_sweeper_gives_up_on_is_announced_as_failed(
    engine: AsyncEngine, settings: Settings, make_tenant: TenantFactory
) -> None:
    from datetime import UTC, datetime, timedelta

    from jobs.sweeper import sweep_reports

    recv = Receiver(SECRET)
    tenant = await make_tenant()
    _, exhausted = await seed_queued_report(
        engine,
        tenant,
        processes=1,
        status=m.ReportStatus.RUNNING,
        attempts=5,
        started_at=datetime.now(UTC) - timedelta(hours=2),
    )
    async with receiving(recv) as url:
        await _configure(engine, tenant, url, secret_box_for(settings).encrypt(SECRET))
        queue = new_queue()
        async with pool(settings, queue) as redis:
            await sweep_reports({"engine": engine, "redis": redis, "job_timeout_s": 300})
            await run_burst(make_worker(settings, queue))
    [event] = recv.verified
    assert event["type"] == "readiness_report.failed"
    assert event["data"]["failureReason"] == "abandoned after 5 attempts"
    assert [a[1] for a in await _attempts(engine, tenant)] == [
        message_id("readiness_report.failed", exhausted)
    ]
