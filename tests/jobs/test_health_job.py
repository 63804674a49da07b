"""Engagement health: status rules, schedule periods, cron fan-out, catch-up, webhooks."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from jobs.health import assess_health
from jobs.health_schedule import Schedule, due_period, save_schedule
from jobs.webhooks import SIGNATURE_HEADER, TIMESTAMP_HEADER, verify
from server.auth.secret_key import secret_box_for
from server.settings import Settings
from tenants import models as m
from tenants.registry import TenantRef
from tenants.services.secret_box import SecretBox
from tenants.session import tenant_session
from tests.conftest import TenantFactory
from tests.jobs.factories import SnapshotBuilder
from tests.jobs.seed import seed_client
from tests.jobs.workers import make_worker, new_queue, pool, run_burst
from tests.support import serving_app

# A Tuesday: the Monday 06:00 run of this week is already due.
TUESDAY = datetime(2026, 6, 9, 12, 0, tzinfo=UTC)
LAST_WEEK = date(2026, 6, 1)


# -- the schedule ---------------------------------------------------------------


def test_default_schedule_reports_the_week_before_monday_0600_utc() -> None:
    monday = datetime(2026, 6, 8, 6, 0, tzinfo=UTC)
    period = due_period(Schedule(), monday)
    assert (period.start, period.end) == (date(2026, 6, 1), date(2026, 6, 7))
    just_before = due_period(Schedule(), monday - timedelta(seconds=1))
    assert just_before.start == date(2026, 5, 25)
    assert due_period(Schedule(), TUESDAY).start == LAST_WEEK


def test_schedule_in_the_tenants_time_zone() -> None:
    # Friday 17:00 in Auckland is Friday 05:00 UTC (NZST, +12).
    friday = Schedule(weekday=4, hour=17, timezone="Pacific/Auckland")
    at = datetime(2026, 6, 12, 5, 0, tzinfo=UTC)
    assert due_period(friday, at).due_at == datetime(2026, 6, 12, 17, 0, tzinfo=friday.zone)
    assert due_period(friday, at - timedelta(minutes=1)).start == date(2026, 5, 29)
    assert due_period(Schedule(timezone="Not/AZone"), TUESDAY).start == LAST_WEEK


# -- the status rules -------------------------------------------------------------


def _healthy() -> SnapshotBuilder:
    b = SnapshotBuilder()
    p = b.process("Invoice processing")
    o = b.owner()
    b.assign(o, p, hours=10)
    b.review(p, days_ago=10)
    return b


def test_healthy_engagement_is_green() -> None:
    health = assess_health(_healthy().build(), [82.0, 80.0])
    assert health.status == "GREEN" and health.reasons == ()


def test_orphaned_process_or_open_high_incident_is_red() -> None:
    b = _healthy()
    b.process("Customer chatbot")
    health = assess_health(b.build(), [82.0])
    assert health.status == "RED"
    assert [r.code for r in health.reasons] == ["ORPHANED_PROCESSES", "STALE_REVIEWS"]
    assert "Customer chatbot" in health.reasons[0].message


def test_amber_signals() -> None:
    health = assess_health(_healthy().build(), [60.0, 70.0])
    assert health.status == "AMBER"
    assert [r.code for r in health.reasons] == ["READINESS_DECLINING"]
    assert health.reasons[0].message == "Readiness fell from 70 to 60."
    low = assess_health(_healthy().build(), [40.0])
    assert [r.code for r in low.reasons] == ["READINESS_LOW"]


def test_no_readiness_report_is_information_only() -> None:
    health = assess_health(_healthy().build(), [])
    assert health.status == "GREEN"
    assert [(r.code, r.level) for r in health.reasons] == [("NO_READINESS_REPORT", "info")]


async def test_seeded_client_health_names_every_concern(
    engine: AsyncEngine, make_tenant: TenantFactory
) -> None:
    from jobs.snapshot_loader import load_snapshot

    tenant = await make_tenant()
    seeded = await seed_client(engine, tenant, processes=21)
    async with tenant_session(engine, tenant) as db:
        snap = await load_snapshot(db, client_id=seeded.client_id, as_of=datetime.now(UTC).date())
    assert snap is not None
    codes = {r.code for r in assess_health(snap, [50.0, 58.0]).reasons}
    assert codes == {
        "ORPHANED_PROCESSES",
        "OPEN_HIGH_SEVERITY_INCIDENTS",
        "READINESS_DECLINING",
        "OVERDUE_MILESTONES",
        "STALE_REVIEWS",
        "AGREEMENTS_EXPIRING",
        "AGREEMENTS_MISSING_CLAUSES",
    }


# -- the cron fan-out -------------------------------------------------------------


async def _reports(engine: AsyncEngine, tenant: TenantRef) -> list[tuple[Any, date, str]]:
    h = m.EngagementHealthReport
    async with tenant_session(engine, tenant) as db:
        rows = await db.execute(select(h.client_id, h.period_start, h.status))
        return [(r[0], r[1], r[2].value) for r in rows]


async def test_two_workers_produce_exactly_one_report_per_active_client(
    engine: AsyncEngine, settings: Settings, make_tenant: TenantFactory
) -> None:
    tenant = await make_tenant()
    active = [await seed_client(engine, tenant, processes=3, name=f"C{i}") for i in range(4)]
    await seed_client(engine, tenant, processes=1, status=m.EngagementStatus.PROSPECT)
    queue = new_queue()
    async with pool(settings, queue) as redis:
        # Two workers' cron ticks for the same minute, and one more for good measure.
        for tick in ("a", "b", "c"):
            await redis.enqueue_job(
                "schedule_health_reports", TUESDAY.isoformat(), _job_id=f"{queue}:tick:{tick}"
            )
        await run_burst(make_worker(settings, queue), make_worker(settings, queue))
    rows = await _reports(engine, tenant)
    assert sorted(r[0] for r in rows) == sorted(c.client_id for c in active)
    assert {r[1] for r in rows} == {LAST_WEEK}
    assert {r[2] for r in rows} == {"red"}


async def test_a_worker_started_after_the_due_time_catches_up_once(
    engine: AsyncEngine, settings: Settings, make_tenant: TenantFactory
) -> None:
    from jobs.health_job import schedule_health_reports

    tenant = await make_tenant()
    seeded = await seed_client(engine, tenant, processes=2)
    queue = new_queue()
    async with pool(settings, queue) as redis:
        ctx = {"engine": engine, "redis": redis}
        # Nothing ran on Monday at 06:00; on Tuesday the missed period is produced.
        assert await schedule_health_reports(ctx, TUESDAY.isoformat()) >= 1
        await run_burst(make_worker(settings, queue))
        assert [r[:2] for r in await _reports(engine, tenant)] == [(seeded.client_id, LAST_WEEK)]
        # Later ticks of the same week find nothing missing for this tenant.
        later = (TUESDAY + timedelta(days=2)).isoformat()
        await schedule_health_reports(ctx, later)
        await run_burst(make_worker(settings, queue))
        assert len(await _reports(engine, tenant)) == 1


async def test_disabled_schedule_produces_nothing(
    engine: AsyncEngine, settings: Settings, make_tenant: TenantFactory
) -> None:
    from jobs.health_job import _due_clients

    tenant = await make_tenant()
    await seed_client(engine, tenant, processes=1)
    async with tenant_session(engine, tenant) as db:
        await save_schedule(db, Schedule(enabled=False))
    assert (await _due_clients(engine, tenant, TUESDAY))[1] == []


# -- webhooks -------------------------------------------------------------------


class Receiver:
    """A real HTTP endpoint that fails the first `failures` requests with 500."""

    def __init__(self, failures: int) -> None:
        self.failures = failures
        self.requests: list[tuple[dict[str, str], bytes]] = []

    async def hook(self, request: Request) -> Response:
        self.requests.append((dict(request.headers), await request.body()))
        return Response(status_code=500 if len(self.requests) <= self.failures else 204)


@pytest.fixture
async def receiver() -> AsyncIterator[tuple[Receiver, str]]:
    recv = Receiver(failures=2)
    app = Starlette(routes=[Route("/hook", recv.hook, methods=["POST"])])
    async with serving_app(app) as base:
        yield recv, f"{base}/hook"


async def test_new_report_is_delivered_signed_and_retried_with_backoff(
    engine: AsyncEngine,
    settings: Settings,
    make_tenant: TenantFactory,
    receiver: tuple[Receiver, str],
) -> None:
    recv, url = receiver
    tenant = await make_tenant()
    seeded = await seed_client(engine, tenant, processes=2)
    secret = "whsec_test_1234"
    async with tenant_session(engine, tenant) as db:
        await save_schedule(
            db,
            Schedule(webhook_url=url),
            webhook_secret_encrypted=secret_box_for(settings).encrypt(secret),
        )
    queue = new_queue()
    async with pool(settings, queue) as redis:
        await redis.enqueue_job(
            "build_health_report", tenant.slug, str(seeded.client_id), LAST_WEEK.isoformat()
        )
        await run_burst(make_worker(settings, queue, webhook_backoff_s=0.2))
    assert len(recv.requests) == 3
    for headers, body in recv.requests:
        assert verify(
            secret, headers[TIMESTAMP_HEADER.lower()], body, headers[SIGNATURE_HEADER.lower()]
        )
        assert not verify(
            "wrong", headers[TIMESTAMP_HEADER.lower()], body, headers[SIGNATURE_HEADER.lower()]
        )
    payload = json.loads(recv.requests[-1][1])
    assert payload["event"] == "engagement_health_report.created"
    assert payload["report"]["periodStart"] == LAST_WEEK.isoformat()
    assert payload["report"]["status"] == "RED"
    d = m.WebhookDelivery
    async with tenant_session(engine, tenant) as db:
        attempts = (
            await db.execute(select(d.attempt, d.status_code, d.succeeded).order_by(d.attempt))
        ).all()
        assert await db.scalar(select(func.count()).select_from(m.EngagementHealthReport)) == 1
    assert [tuple(a) for a in attempts] == [(1, 500, False), (2, 500, False), (3, 204, True)]


async def _deliver_one_report(settings: Settings, engine: AsyncEngine, tenant: TenantRef) -> None:
    seeded = await seed_client(engine, tenant, processes=2)
    queue = new_queue()
    async with pool(settings, queue) as redis:
        await redis.enqueue_job(
            "build_health_report", tenant.slug, str(seeded.client_id), LAST_WEEK.isoformat()
        )
        await run_burst(make_worker(settings, queue, webhook_backoff_s=0.2))


async def test_a_secret_left_in_clear_by_revision_0003_signs_then_is_encrypted(
    engine: AsyncEngine, settings: Settings, make_tenant: TenantFactory
) -> None:
    recv = Receiver(failures=0)
    app = Starlette(routes=[Route("/hook", recv.hook, methods=["POST"])])
    tenant = await make_tenant()
    secret = "whsec_from_revision_0003"
    async with tenant_session(engine, tenant) as db:
        # As a schema migrated from 0003 holds it: the secret in the old clear-text column.
        db.add(m.ReportSchedule(id=1, webhook_url=None, legacy_webhook_secret=secret))
    async with serving_app(app) as base:
        async with tenant_session(engine, tenant) as db:
            row = await db.get(m.ReportSchedule, 1)
            assert row is not None
            row.webhook_url = f"{base}/hook"
        await _deliver_one_report(settings, engine, tenant)
    [(headers, body)] = recv.requests
    assert verify(
        secret, headers[TIMESTAMP_HEADER.lower()], body, headers[SIGNATURE_HEADER.lower()]
    )
    async with tenant_session(engine, tenant) as db:
        row = await db.get(m.ReportSchedule, 1)
        assert row is not None
        assert row.legacy_webhook_secret is None
        assert row.webhook_secret_encrypted and secret not in row.webhook_secret_encrypted
        assert secret_box_for(settings).decrypt(row.webhook_secret_encrypted) == secret


async def test_a_secret_under_a_replaced_key_is_reported_and_nothing_is_sent(
    engine: AsyncEngine, settings: Settings, make_tenant: TenantFactory
) -> None:
    recv = Receiver(failures=0)
    app = Starlette(routes=[Route("/hook", recv.hook, methods=["POST"])])
    tenant = await make_tenant()
    other_key = SecretBox([Fernet.generate_key()])  # the key it was saved under is gone
    async with serving_app(app) as base:
        async with tenant_session(engine, tenant) as db:
            await save_schedule(
                db,
                Schedule(webhook_url=f"{base}/hook"),
                webhook_secret_encrypted=other_key.encrypt("whsec_lost_key_123"),
            )
        await _deliver_one_report(settings, engine, tenant)
    assert recv.requests == []  # never sent unsigned, nor signed with something else
    d = m.WebhookDelivery
    async with tenant_session(engine, tenant) as db:
        rows = (await db.execute(select(d.attempt, d.succeeded, d.error))).all()
    assert len(rows) == 1  # not retried: only configuring the webhook again mends it
    attempt, succeeded, error = rows[0]
    assert (attempt, succeeded) == (1, False)
    assert "cannot be decrypted" in str(error) and "configure the webhook again" in str(error)


# -- no report before the engagement starts ---------------------------------------


async def test_no_report_for_a_period_before_the_engagement_start(
    engine: AsyncEngine, make_tenant: TenantFactory
) -> None:
    from jobs.health_job import _due_clients, build_health_report

    tenant = await make_tenant()
    later = await seed_client(engine, tenant, processes=2, name="Starts next month")
    running = await seed_client(engine, tenant, processes=2, name="Started that week")
    async with tenant_session(engine, tenant) as db:
        for client_id, start in (
            (later.client_id, date(2026, 7, 1)),
            (running.client_id, LAST_WEEK + timedelta(days=6)),
        ):
            client = await db.get(m.ClientOrganisation, client_id)
            assert client is not None
            client.engagement_start = start
    assert (await _due_clients(engine, tenant, TUESDAY))[1] == [running.client_id]
    # Enqueued by hand all the same, the job refuses the period too.
    outcome = await build_health_report(
        {"engine": engine}, tenant.slug, str(later.client_id), LAST_WEEK.isoformat()
    )
    assert outcome == "before engagement start"
    assert [r[0] for r in await _reports(engine, tenant)] == []
