"""The readiness job against real PostgreSQL: snapshot loading, state machine, results."""

from __future__ import annotations

import uuid

import pytest
from arq import Retry
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine
from strawberry.relay.utils import from_base64

from jobs.readiness import job as readiness_job
from jobs.readiness.job import build_readiness_report
from jobs.readiness.loader import STATEMENTS, load_snapshot
from tenants import models as m
from tenants.session import tenant_session
from tests.conftest import TenantFactory
from tests.jobs.runs import job_ctx, run_readiness
from tests.jobs.seed import (
    TODAY,
    queue_report,
    report_row,
    seed_client,
    seed_queued_report,
    set_accountable,
)
from tests.support import count_statements


async def test_snapshot_statement_count_does_not_depend_on_client_size(
    engine: AsyncEngine, make_tenant: TenantFactory
) -> None:
    tenant = await make_tenant()
    small = await seed_client(engine, tenant, processes=3)
    large = await seed_client(engine, tenant, processes=60)
    counts = []
    for seeded in (small, large):
        async with tenant_session(engine, tenant) as db:
            with count_statements(engine) as counter:
                snap = await load_snapshot(db, client_id=seeded.client_id, as_of=TODAY)
            counts.append(counter.count)
        assert snap is not None and len(snap.processes) == len(seeded.process_ids)
    assert counts[0] == counts[1] == STATEMENTS


async def test_snapshot_translates_database_conventions(
    engine: AsyncEngine, make_tenant: TenantFactory
) -> None:
    tenant = await make_tenant()
    seeded = await seed_client(engine, tenant, processes=8)
    async with tenant_session(engine, tenant) as db:
        snap = await load_snapshot(db, client_id=seeded.client_id, as_of=TODAY)
        assert await load_snapshot(db, client_id=uuid.uuid4(), as_of=TODAY) is None
    assert snap is not None
    p = snap.processes_by_id[seeded.process_ids[1]]
    assert (p.step_count, p.data_input_count, p.output_count, p.escalation_level_count) == (
        1,
        1,
        1,
        1,
    )
    assert p.tools[0].vendor == "Acme AI"
    assert {o for o in seeded.orphaned_ids} == {
        q.id for q in snap.live_processes if not snap.accountable(q.id)
    }
    assert snap.change_plans[0].milestones[0].is_open
    assert all(i.severity == "high" for i in snap.incidents)


async def test_job_moves_queued_report_to_succeeded_with_results(
    engine: AsyncEngine, make_tenant: TenantFactory
) -> None:
    tenant = await make_tenant()
    seeded, report_id = await seed_queued_report(engine, tenant, processes=15)
    assert await run_readiness(engine, tenant, report_id) == "succeeded"
    row = await report_row(engine, tenant, report_id)
    assert row.status is m.ReportStatus.SUCCEEDED and row.attempts == 1
    assert row.started_at <= row.finished_at and row.failure_reason is None
    assert row.score is not None and 0 <= row.score <= 100
    assert set(row.pillar_scores) >= {"ownership_coverage", "feedback_loops"}
    orphan_findings = [f for f in row.findings if f["rule_id"] == "OWN-001"]
    assert {uuid.UUID(f["object_id"]) for f in orphan_findings} == set(seeded.orphaned_ids)
    type_name, raw = from_base64(orphan_findings[0]["object_global_id"])
    assert type_name == "AIProcess" and uuid.UUID(raw) in seeded.orphaned_ids
    assert row.html.startswith("<!DOCTYPE html>") and "Northwind Retail" in row.html
    assert row.pdf.startswith(b"%PDF")


async def test_running_the_job_twice_leaves_one_result(
    engine: AsyncEngine, make_tenant: TenantFactory
) -> None:
    tenant = await make_tenant()
    _, report_id = await seed_queued_report(engine, tenant, processes=5)
    await run_readiness(engine, tenant, report_id)
    first = await report_row(engine, tenant, report_id)
    again = await run_readiness(engine, tenant, report_id)
    second = await report_row(engine, tenant, report_id)
    assert again == "already succeeded"
    assert (second.attempts, second.finished_at, second.version) == (
        first.attempts,
        first.finished_at,
        first.version,
    )
    async with tenant_session(engine, tenant) as db:
        assert await db.scalar(select(func.count()).select_from(m.ReadinessReport)) == 1


async def test_a_report_left_running_by_a_dead_worker_is_taken_over(
    engine: AsyncEngine, make_tenant: TenantFactory
) -> None:
    tenant = await make_tenant()
    _, report_id = await seed_queued_report(
        engine, tenant, processes=5, status=m.ReportStatus.RUNNING, attempts=1
    )
    assert await run_readiness(engine, tenant, report_id) == "succeeded"
    row = await report_row(engine, tenant, report_id)
    assert row.status is m.ReportStatus.SUCCEEDED and row.attempts == 2


async def test_failed_report_is_left_alone(engine: AsyncEngine, make_tenant: TenantFactory) -> None:
    tenant = await make_tenant()
    _, report_id = await seed_queued_report(
        engine, tenant, processes=2, status=m.ReportStatus.FAILED, failure_reason="x"
    )
    assert await run_readiness(engine, tenant, report_id) == "already failed"


async def test_unknown_tenant_and_report_are_no_ops(
    engine: AsyncEngine, make_tenant: TenantFactory
) -> None:
    tenant = await make_tenant()
    assert await build_readiness_report(job_ctx(engine), "nosuchtenant", str(uuid.uuid4())) == (
        "unknown tenant"
    )
    assert await run_readiness(engine, tenant, uuid.uuid4()) == "missing"
    assert await build_readiness_report(job_ctx(engine), tenant.slug, "not-a-uuid") == (
        "invalid report id"
    )


async def test_job_past_its_timeout_ends_failed_with_the_reason(
    engine: AsyncEngine, make_tenant: TenantFactory
) -> None:
    tenant = await make_tenant()
    _, report_id = await seed_queued_report(engine, tenant, processes=2)
    outcome = await run_readiness(engine, tenant, report_id, job_timeout_s=5, test_job_delay_s=10)
    row = await report_row(engine, tenant, report_id)
    assert outcome == "timed out"
    assert row.status is m.ReportStatus.FAILED
    assert row.failure_reason == "timed out after 2 seconds"
    assert row.finished_at is not None


async def test_transient_errors_are_retried_with_backoff_then_fail(
    engine: AsyncEngine, make_tenant: TenantFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    tenant = await make_tenant()
    _, report_id = await seed_queued_report(engine, tenant, processes=2)

    async def broken(*args: object, **kwargs: object) -> None:
        raise ConnectionResetError("connection reset by peer")

    monkeypatch.setattr(readiness_job, "load_snapshot", broken)
    with pytest.raises(Retry) as retry:
        await run_readiness(engine, tenant, report_id, job_try=2)
    assert retry.value.defer_score == 4000  # 2 s, doubled for the second try
    assert (await report_row(engine, tenant, report_id)).status is m.ReportStatus.RUNNING
    outcome = await run_readiness(engine, tenant, report_id, job_try=5)
    row = await report_row(engine, tenant, report_id)
    assert outcome == "failed" and row.status is m.ReportStatus.FAILED
    assert row.failure_reason.startswith("gave up after 5 tries: ConnectionResetError")


async def test_other_errors_fail_the_report_at_once(
    engine: AsyncEngine, make_tenant: TenantFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    tenant = await make_tenant()
    _, report_id = await seed_queued_report(engine, tenant, processes=2)

    def broken(snapshot: object) -> None:
        raise ValueError("a rule bug")

    monkeypatch.setattr(readiness_job, "build_readiness", broken)
    assert await run_readiness(engine, tenant, report_id) == "failed"
    row = await report_row(engine, tenant, report_id)
    assert row.status is m.ReportStatus.FAILED and row.failure_reason == "ValueError: a rule bug"


async def test_history_of_earlier_scores_reaches_the_document(
    engine: AsyncEngine, make_tenant: TenantFactory
) -> None:
    tenant = await make_tenant()
    seeded, first = await seed_queued_report(engine, tenant, processes=14)
    await run_readiness(engine, tenant, first)
    await set_accountable(
        engine, tenant, owner_id=seeded.owner_ids[0], process_ids=seeded.orphaned_ids
    )
    second = await queue_report(engine, tenant, seeded.client_id)
    await run_readiness(engine, tenant, second)
    a, b = await report_row(engine, tenant, first), await report_row(engine, tenant, second)
    assert b.score > a.score
    assert "Resolved:" in b.html and "Live process without an accountable owner" in b.html
    assert "This is the first report for this client." in a.html
    assert b.pdf.startswith(b"%PDF-")


async def test_every_demo_client_gets_a_report(engine: AsyncEngine) -> None:
    from tenants.demo_seed import seed_demo
    from tenants.provisioning import create_tenant
    from tests.support import unique_slug

    tenant = await create_tenant(
        engine, slug=unique_slug("demo"), name="Demo", after_migrate=seed_demo
    )
    async with tenant_session(engine, tenant) as db:
        clients = list(await db.scalars(select(m.ClientOrganisation.id)))
    assert clients
    for client_id in clients:
        report_id = await queue_report(engine, tenant, client_id)
        outcome = await run_readiness(engine, tenant, report_id)
        row = await report_row(engine, tenant, report_id)
        assert outcome == "succeeded", row.failure_reason
        assert row.pdf.startswith(b"%PDF") and row.findings
