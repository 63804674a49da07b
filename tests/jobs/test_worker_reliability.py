"""Reliability: a worker killed mid-job, Redis down at request time, the sweeper."""

from __future__ import annotations

import signal
import subprocess
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from arq.jobs import JobStatus
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncEngine

from jobs.enqueue import enqueue_readiness, job_status, readiness_job_id
from jobs.sweeper import sweep_reports
from schema.ids import global_id
from server.settings import Settings
from tenants import models as m
from tenants.registry import TenantRef
from tenants.session import tenant_session
from tests.conftest import TenantFactory, TokenFactory
from tests.jobs.seed import queue_report, report_row, seed_client, seed_queued_report
from tests.jobs.workers import make_worker, new_queue, pool, run_burst, wait_for_report
from tests.processes import steward_worker
from tests.support import data, free_port, gql, serving


def _worker(settings: Settings, queue: str, *, delay_s: float) -> subprocess.Popen[bytes]:
    """`steward worker` in its own process, as in production, with a short job timeout."""
    return steward_worker(
        settings,
        STEWARD_QUEUE_NAME=queue,
        STEWARD_JOB_TIMEOUT_S="6",
        # The documented test hook: the job sleeps this long once its report is RUNNING.
        STEWARD_TEST_JOB_DELAY_S=str(delay_s),
    )


async def test_a_worker_killed_mid_job_leaves_the_report_to_another_worker(
    engine: AsyncEngine, settings: Settings, make_tenant: TenantFactory
) -> None:
    tenant = await make_tenant()
    _, report_id = await seed_queued_report(engine, tenant, processes=6)
    queue = new_queue()
    async with pool(settings, queue) as redis:
        assert await enqueue_readiness(redis, tenant=tenant.slug, report_id=report_id)
        first = _worker(settings, queue, delay_s=120)
        try:
            await wait_for_report(engine, tenant, report_id, m.ReportStatus.RUNNING)
        finally:
            first.send_signal(signal.SIGKILL)
            first.wait(10)
        assert first.returncode == -signal.SIGKILL
        second = _worker(settings, queue, delay_s=0)
        try:
            # arq hands the job on once the dead worker's in-progress key expires
            # (job timeout 6 s + 10 s).
            await wait_for_report(engine, tenant, report_id, m.ReportStatus.SUCCEEDED, within_s=60)
        finally:
            second.send_signal(signal.SIGTERM)
            second.wait(20)
        row = await report_row(engine, tenant, report_id)
        assert row.attempts == 2 and row.pdf.startswith(b"%PDF")
        assert await job_status(redis, readiness_job_id(tenant.slug, report_id)) is (
            JobStatus.complete
        )


@pytest.fixture
async def redisless_url(settings: Settings) -> AsyncIterator[str]:
    """The app served with a REDIS_URL where nothing listens: Redis is down."""
    down = settings.model_copy(update={"redis_url": f"redis://127.0.0.1:{free_port()}/0"})
    async with serving(down) as url:
        yield url


async def test_request_while_redis_is_down_stays_queued_and_the_sweeper_runs_it(
    engine: AsyncEngine,
    settings: Settings,
    make_tenant: TenantFactory,
    make_token: TokenFactory,
    redisless_url: str,
) -> None:
    tenant = await make_tenant()
    token = await make_token(tenant, "consultant")
    seeded = await seed_client(engine, tenant, processes=3)
    mutation = """mutation($input: RequestReadinessReportInput!) {
      requestReadinessReport(input: $input) { readinessReport { id status } errors { code } }
    }"""
    async with httpx.AsyncClient(base_url=redisless_url, timeout=30) as http:
        body = data(
            await gql(
                http,
                mutation,
                {
                    "input": {
                        "clientOrganisationId": global_id("ClientOrganisation", seeded.client_id)
                    }
                },
                token=token,
            )
        )
    report = body["requestReadinessReport"]["readinessReport"]
    assert report["status"] == "QUEUED"
    report_id = uuid.UUID(_raw(report["id"]))
    queue = new_queue()
    async with pool(settings, queue) as redis:
        job_id = readiness_job_id(tenant.slug, report_id)
        assert await job_status(redis, job_id) is JobStatus.not_found
        # Redis is back: the sweeper (a cron in every worker) enqueues the request.
        assert await sweep_reports({"engine": engine, "redis": redis}) >= 1
        assert await job_status(redis, job_id) is JobStatus.queued
        assert await sweep_reports({"engine": engine, "redis": redis}) == 0
        await run_burst(make_worker(settings, queue))
    assert (await report_row(engine, tenant, report_id)).status is m.ReportStatus.SUCCEEDED


def _raw(gid: str) -> str:
    from strawberry.relay.utils import from_base64

    return from_base64(gid)[1]


async def _set(
    engine: AsyncEngine, tenant: TenantRef, report_id: uuid.UUID, **values: object
) -> None:
    async with tenant_session(engine, tenant) as db:
        await db.execute(
            update(m.ReadinessReport).where(m.ReadinessReport.id == report_id).values(**values)
        )


async def test_sweeper_settles_reports_whose_worker_vanished(
    engine: AsyncEngine, settings: Settings, make_tenant: TenantFactory
) -> None:
    tenant = await make_tenant()
    seeded = await seed_client(engine, tenant, processes=2)
    long_ago = datetime.now(UTC) - timedelta(hours=1)
    # RUNNING reports: abandoned with tries left, abandoned with none left, and one whose
    # worker may still be at it.
    stale, exhausted, fresh = [
        await queue_report(
            engine,
            tenant,
            seeded.client_id,
            status=m.ReportStatus.RUNNING,
            attempts=attempts,
            started_at=started_at,
        )
        for attempts, started_at in ((1, long_ago), (5, long_ago), (1, datetime.now(UTC)))
    ]
    queue = new_queue()
    async with pool(settings, queue) as redis:
        ctx = {"engine": engine, "redis": redis, "job_timeout_s": 300}
        await sweep_reports(ctx)
        assert await job_status(redis, readiness_job_id(tenant.slug, stale)) is JobStatus.queued
        assert await job_status(redis, readiness_job_id(tenant.slug, fresh)) is (
            JobStatus.not_found
        )
        await run_burst(make_worker(settings, queue))
    assert (await report_row(engine, tenant, stale)).status is m.ReportStatus.SUCCEEDED
    gave_up = await report_row(engine, tenant, exhausted)
    assert gave_up.status is m.ReportStatus.FAILED
    assert gave_up.failure_reason == "abandoned after 5 attempts"
    assert (await report_row(engine, tenant, fresh)).status is m.ReportStatus.RUNNING
    await _set(engine, tenant, fresh, status=m.ReportStatus.FAILED)


async def test_sweeper_reenqueues_a_queued_report_whose_job_ended_without_it(
    engine: AsyncEngine, settings: Settings, make_tenant: TenantFactory
) -> None:
    tenant = await make_tenant()
    _, report_id = await seed_queued_report(engine, tenant, processes=2)
    queue = new_queue()
    async with pool(settings, queue) as redis:
        job_id = readiness_job_id(tenant.slug, report_id)
        # A finished job's kept result, while its report is still QUEUED.
        await redis.enqueue_job("sweep_reports", _job_id=job_id)
        await run_burst(make_worker(settings, queue))
        assert await job_status(redis, job_id) is JobStatus.complete
        await sweep_reports({"engine": engine, "redis": redis})
        await run_burst(make_worker(settings, queue))
    assert (await report_row(engine, tenant, report_id)).status is m.ReportStatus.SUCCEEDED
