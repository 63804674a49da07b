"""The worker's metrics port: Prometheus text over real HTTP while a real worker runs jobs."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from arq import Retry
from prometheus_client import REGISTRY
from sqlalchemy.ext.asyncio import AsyncEngine

from jobs.enqueue import enqueue_readiness
from jobs.metrics import webhook_outcome
from jobs.observed import observed
from server.settings import Settings
from tenants import models as m
from tests.conftest import TenantFactory
from tests.jobs.seed import report_row, seed_client, seed_queued_report
from tests.jobs.workers import close, make_worker, new_queue, pool
from tests.prometheus import Scrape, scrape
from tests.support import free_port

TASK = "build_readiness_report"


async def _until(check: Callable[[], object], seconds: float = 20) -> None:
    deadline = asyncio.get_running_loop().time() + seconds
    while not check():
        assert asyncio.get_running_loop().time() < deadline, "timed out waiting"
        await asyncio.sleep(0.05)


@pytest.mark.timeout(60)
async def test_a_job_moves_the_worker_figures(
    settings: Settings, engine: AsyncEngine, make_tenant: TenantFactory
) -> None:
    tenant = await make_tenant()
    _, report_id = await seed_queued_report(engine, tenant, processes=3)
    queue, port = new_queue(), free_port()
    metrics = f"http://127.0.0.1:{port}/metrics"
    worker = make_worker(settings, queue, burst=False, metrics_port=port, metrics_every_s=0.05)
    running = asyncio.create_task(worker.main())
    try:
        await _until(lambda: worker.ctx.get("engine") is not None)
        await asyncio.sleep(0.2)
        before = await scrape(metrics)
        async with pool(settings, queue) as redis:
            assert await enqueue_readiness(redis, tenant=tenant.slug, report_id=report_id)
            # Enqueued again while it exists: not a new report job.
            assert not await enqueue_readiness(redis, tenant=tenant.slug, report_id=report_id)
            # One that fails: its report does not exist, so it ends at once.
            missing = uuid.uuid4()
            assert await enqueue_readiness(redis, tenant=tenant.slug, report_id=missing)
        done: list[Scrape] = []

        async def finished() -> bool:
            done.append(await scrape(metrics))
            return (
                done[-1].total("steward_jobs_finished_total", task=TASK)
                - before.total("steward_jobs_finished_total", task=TASK)
                >= 2
            )

        deadline = asyncio.get_running_loop().time() + 30
        while not await finished():
            assert asyncio.get_running_loop().time() < deadline
            await asyncio.sleep(0.1)
        await asyncio.sleep(0.2)  # one more sample of the gauges
        after = await scrape(metrics)
    finally:
        running.cancel()
        await asyncio.gather(running, return_exceptions=True)
        await close(worker)

    assert (await report_row(engine, tenant, report_id)).status is m.ReportStatus.SUCCEEDED
    ok = {"task": TASK, "outcome": "succeeded"}
    # "missing" is a normal ending too: the job did what it could (nothing to build).
    assert after["steward_jobs_finished_total", ok] - before["steward_jobs_finished_total", ok] == 2
    durations = "steward_job_duration_seconds_count"
    assert after[durations, ok] - before[durations, ok] == 2
    enqueued = ("steward_reports_enqueued_total", {"kind": "readiness"})
    assert after[enqueued] - before[enqueued] == 2
    assert after["steward_jobs_running", {"task": TASK}] == 0
    assert after["steward_jobs_queued", {}] == 0
    assert after["steward_tenants_behind_head", {}] == 0
    assert after["steward_worker_db_pool_open", {}] >= 1
    assert not [k for _n, labels in after.samples for k, _v in labels if "tenant" in k]
    assert tenant.slug not in after.text


@pytest.mark.timeout(60)
async def test_queued_jobs_are_counted_while_they_wait(settings: Settings) -> None:
    queue, port = new_queue(), free_port()
    async with pool(settings, queue) as redis:
        for _ in range(3):
            await redis.enqueue_job("sweep_reports", _job_id=f"m:{uuid.uuid4()}", _defer_by=600)
        worker = make_worker(settings, queue, burst=False, metrics_port=port, metrics_every_s=0.05)
        running = asyncio.create_task(worker.main())
        try:
            await asyncio.sleep(0.5)
            queued = (await scrape(f"http://127.0.0.1:{port}/metrics"))["steward_jobs_queued", {}]
        finally:
            running.cancel()
            await asyncio.gather(running, return_exceptions=True)
            await close(worker)
            await redis.delete(queue)
    assert queued == 3


async def test_each_run_is_counted_by_its_outcome() -> None:
    async def sometimes(ctx: dict[str, Any], how: str) -> str:
        if how == "retry":
            raise Retry(defer=1)
        if how == "raise":
            raise ValueError("bug")
        return how

    task = observed(sometimes)

    def finished(outcome: str) -> float:
        labels = {"task": sometimes.__qualname__, "outcome": outcome}
        return REGISTRY.get_sample_value("steward_jobs_finished_total", labels) or 0.0

    before = {o: finished(o) for o in ("succeeded", "failed", "retried")}
    assert await task({}, "fine", trace_context={"traceparent": "not-a-traceparent"}) == "fine"
    assert await task({}, "failed") == "failed"
    with pytest.raises(Retry):
        await task({}, "retry")
    with pytest.raises(ValueError):
        await task({}, "raise")
    moved = {o: finished(o) - before[o] for o in before}
    assert moved == {"succeeded": 1, "failed": 2, "retried": 1}
    assert task.__qualname__ == sometimes.__qualname__  # arq names functions by it


def test_webhook_results_become_bounded_labels() -> None:
    assert [webhook_outcome(r) for r in ("delivered", "gave up", "no webhook", None)] == [
        "delivered",
        "gave_up",
        "skipped",
        "skipped",
    ]


async def test_a_health_report_written_is_counted_by_its_status(
    engine: AsyncEngine, make_tenant: TenantFactory
) -> None:
    from jobs.health.job import build_health_report

    tenant = await make_tenant()
    seeded = await seed_client(engine, tenant, processes=2)

    def produced() -> float:
        return sum(
            REGISTRY.get_sample_value("steward_health_reports_produced_total", {"status": s}) or 0.0
            for s in ("red", "amber", "green")
        )

    before = produced()
    ctx = {"engine": engine, "job_try": 1}
    args = (tenant.slug, str(seeded.client_id), "2026-06-01")
    assert await build_health_report(ctx, *args) == "created"
    assert await build_health_report(ctx, *args) == "exists"  # a re-run writes nothing
    assert produced() - before == 1
