"""Engagement health: status rules, schedule periods, cron fan-out, catch-up, engagement start.

Webhook delivery is in tests/jobs/test_webhooks.py."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from jobs.health import assess_health
from jobs.health.schedule import Schedule, due_period, save_schedule
from server.settings import Settings
from tenants import models as m
from tenants.registry import TenantRef
from tenants.session import tenant_session
from tests.conftest import TenantFactory
from tests.jobs.factories import SnapshotBuilder
from tests.jobs.seed import seed_client
from tests.jobs.workers import make_worker, new_queue, pool, run_burst

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
    from jobs.readiness.loader import load_snapshot

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
    from jobs.health.job import schedule_health_reports

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
    from jobs.health.job import _due_clients

    tenant = await make_tenant()
    await seed_client(engine, tenant, processes=1)
    async with tenant_session(engine, tenant) as db:
        await save_schedule(db, Schedule(enabled=False))
    assert (await _due_clients(engine, tenant, TUESDAY))[1] == []


# -- no report before the engagement starts ---------------------------------------


async def test_no_report_for_a_period_before_the_engagement_start(
    engine: AsyncEngine, make_tenant: TenantFactory
) -> None:
    from jobs.health.job import _due_clients, build_health_report

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


async def test_a_requested_report_does_not_stand_in_for_the_scheduled_one(
    engine: AsyncEngine, make_tenant: TenantFactory
) -> None:
    import uuid

    from jobs.health.job import _due_clients, build_health_report

    tenant = await make_tenant()
    seeded = await seed_client(engine, tenant, processes=1)
    async with tenant_session(engine, tenant) as db:
        db.add(
            m.EngagementHealthReport(
                client_id=seeded.client_id,
                period_start=LAST_WEEK,
                period_end=LAST_WEEK + timedelta(days=6),
                status=m.HealthStatus.AMBER,
                reasons=[],
                request_id=uuid.uuid4(),
            )
        )
    assert (await _due_clients(engine, tenant, TUESDAY))[1] == [seeded.client_id]
    ctx = {"engine": engine}
    assert await build_health_report(ctx, tenant.slug, str(seeded.client_id), "2026-06-01") == (
        "created"
    )
    assert len(await _reports(engine, tenant)) == 2
