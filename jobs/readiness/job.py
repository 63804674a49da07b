"""The readiness report job: QUEUED -> RUNNING -> SUCCEEDED or FAILED.

arq runs a job at least once, so every step is safe to repeat:

* a report already SUCCEEDED or FAILED is left alone (running the job twice leaves one
  report, with one result);
* a report found RUNNING is taken over: its worker died (SIGKILL, lost node) and arq
  handed the job to another worker once the in-progress key expired;
* the result is written under `SELECT ... FOR UPDATE` and only onto a RUNNING row, so
  two overlapping runs cannot both write.

Transient database or Redis errors raise `arq.Retry` with backoff; after the last try,
or for any other error, the report ends FAILED with the reason. The job bounds itself
a little below arq's timeout so that a job past its time ends FAILED ("timed out")
rather than being cancelled with the report left RUNNING.
"""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import structlog
from arq import Retry
from sqlalchemy.ext.asyncio import AsyncEngine

from jobs.config import DEFAULT_JOB_TIMEOUT_S
from jobs.enqueue import READINESS_FAILED, READINESS_SUCCEEDED, enqueue_webhook, id_argument
from jobs.readiness import ReadinessResult, build_readiness, compare
from jobs.readiness.comparison import Comparison
from jobs.readiness.frameworks import framework_sections
from jobs.readiness.loader import load_snapshot
from jobs.readiness.snapshot import ClientSnapshot
from jobs.readiness.store import Earlier, earlier_reports, stored_finding
from jobs.rendering import Branding, ReportDocument, render_html, render_pdf
from jobs.report_branding import lead_consultant, load_branding
from jobs.retry import MAX_TRIES, backoff_s, is_transient
from tenants.models import ReadinessReport, ReportStatus
from tenants.registry import TenantRef, lookup_tenant
from tenants.services.frameworks import client_framework_ids
from tenants.session import tenant_session

log = structlog.get_logger("steward.jobs.readiness")
TERMINAL = (ReportStatus.SUCCEEDED, ReportStatus.FAILED)
# Time kept back from arq's job timeout to record the failure itself.
_TIMEOUT_MARGIN_S = 3.0


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class Built:
    result: ReadinessResult
    comparison: Comparison | None
    html: str
    pdf: bytes


@dataclass(frozen=True, slots=True)
class Dressing:
    """Who presents the report, to whom, in which language."""

    branding: Branding
    lead_consultant: str | None
    locale: str | None = None
    #: Catalogue ids of the frameworks chosen for the client: one report section each.
    frameworks: tuple[str, ...] = ()


def _render(
    snapshot: ClientSnapshot,
    generated_at: datetime,
    result: ReadinessResult,
    earlier: Earlier,
    dressing: Dressing,
) -> Built:
    comparison = compare(earlier.previous, result) if earlier.previous is not None else None
    history = list(earlier.history)
    if result.score is not None:
        history.append((generated_at, result.score))
    doc = ReportDocument.from_snapshot(
        snapshot,
        generated_at,
        result,
        history=history,
        comparison=comparison,
        branding=dressing.branding,
        lead_consultant=dressing.lead_consultant,
        frameworks=framework_sections(snapshot, result.findings, dressing.frameworks),
    )
    # The stored findings carry their subjects, so the report can be rendered again in
    # another language from the row alone.
    result = replace(result, findings=list(doc.findings))
    locale = dressing.locale
    return Built(result, comparison, render_html(doc, locale), render_pdf(doc, locale))


async def _claim(engine: AsyncEngine, tenant: TenantRef, report_id: uuid.UUID) -> str | None:
    """Mark the report RUNNING; returns why not when there is nothing to do."""
    async with tenant_session(engine, tenant) as db:
        report = await db.get(ReadinessReport, report_id, with_for_update=True)
        if report is None:
            return "missing"
        if report.status in TERMINAL:
            return f"already {report.status.value}"
        if report.status is ReportStatus.RUNNING:
            log.warning("readiness.taken_over", report_id=str(report_id), attempts=report.attempts)
        report.status = ReportStatus.RUNNING
        report.started_at = _now()
        report.attempts += 1
        report.failure_reason = None
    return None


async def _build(engine: AsyncEngine, tenant: TenantRef, report_id: uuid.UUID) -> str:
    async with tenant_session(engine, tenant) as db:
        report = await db.get(ReadinessReport, report_id)
        if report is None:
            return "missing"
        client_id = report.client_id
        started = _now()
        snapshot = await load_snapshot(db, client_id=client_id, as_of=started.date())
        earlier = await earlier_reports(db, client_id=client_id, exclude=report_id)
        dressing = Dressing(
            await load_branding(db, tenant_name=tenant.name),
            await lead_consultant(db, client_id=client_id),
            report.locale,
            tuple(await client_framework_ids(db, client_id)),
        )
    if snapshot is None:
        await fail_report(engine, tenant, report_id, "the client organisation no longer exists")
        return "failed"
    # Pure CPU work (rules, charts, PDF) off the event loop, so other jobs keep running.
    result = await asyncio.to_thread(build_readiness, snapshot)
    built = await asyncio.to_thread(_render, snapshot, started, result, earlier, dressing)
    async with tenant_session(engine, tenant) as db:
        report = await db.get(
            ReadinessReport, report_id, with_for_update=True, populate_existing=True
        )
        if report is None or report.status is not ReportStatus.RUNNING:
            return "superseded"
        report.status = ReportStatus.SUCCEEDED
        report.finished_at = _now()
        report.score = None if result.score is None else Decimal(str(result.score))
        report.pillar_scores = dict(result.pillar_scores)
        report.findings = [stored_finding(f) for f in built.result.findings]
        report.html = built.html
        report.pdf = built.pdf
        report.failure_reason = None
    log.info("readiness.succeeded", report_id=str(report_id), score=result.score)
    return "succeeded"


async def fail_report(
    engine: AsyncEngine, tenant: TenantRef, report_id: uuid.UUID, reason: str
) -> bool:
    """Mark a QUEUED or RUNNING report FAILED with `reason`; False if it was not pending."""
    async with tenant_session(engine, tenant) as db:
        report = await db.get(
            ReadinessReport, report_id, with_for_update=True, populate_existing=True
        )
        if report is None or report.status in TERMINAL:
            return False
        report.status = ReportStatus.FAILED
        report.finished_at = _now()
        report.failure_reason = reason[:1000]
    log.warning("readiness.failed", report_id=str(report_id), reason=reason)
    return True


async def _fail_quietly(
    engine: AsyncEngine, tenant: TenantRef, report_id: uuid.UUID, reason: str
) -> None:
    try:
        await fail_report(engine, tenant, report_id, reason)
    except Exception:
        # The database is gone too: the sweeper finds the report RUNNING past its
        # time and settles it (jobs/sweeper.py).
        log.exception("readiness.fail_not_recorded", report_id=str(report_id))


async def build_readiness_report(ctx: dict[str, Any], tenant: str, report_id: str) -> str:
    """Build, score, render and store one readiness report; returns what happened.

    A report that ends SUCCEEDED or FAILED is announced to the tenant's webhook; a re-run
    that finds it already ended announces it again, which the event's job id and the
    delivery's own check make a no-op once sent (so a lost enqueue is mended).
    """
    outcome = await _run(ctx, tenant, report_id)
    succeeded = outcome in ("succeeded", "already succeeded")
    event = READINESS_SUCCEEDED if succeeded else READINESS_FAILED
    ended = succeeded or outcome in ("failed", "timed out", "already failed")
    if ended and "redis" in ctx:
        await enqueue_webhook(
            ctx["redis"], tenant=tenant, event=event, subject_id=uuid.UUID(report_id)
        )
    return outcome


async def _run(ctx: dict[str, Any], tenant: str, report_id: str) -> str:
    engine: AsyncEngine = ctx["engine"]
    rid = id_argument(report_id)
    if rid is None:
        return "invalid report id"
    job_try = int(ctx.get("job_try", 1))
    budget = max(1.0, float(ctx.get("job_timeout_s", DEFAULT_JOB_TIMEOUT_S)) - _TIMEOUT_MARGIN_S)
    ref: TenantRef | None = None
    deadline: asyncio.Timeout | None = None
    try:
        ref = await lookup_tenant(engine, tenant)
        if ref is None:
            log.warning("readiness.unknown_tenant", tenant=tenant)
            return "unknown tenant"
        deadline = asyncio.timeout(budget)
        async with deadline:
            skipped = await _claim(engine, ref, rid)
            if skipped is not None:
                return skipped
            delay = float(ctx.get("test_job_delay_s", 0.0))
            if delay:
                await asyncio.sleep(delay)
            return await _build(engine, ref, rid)
    except TimeoutError:
        if ref is None or deadline is None or not deadline.expired():
            raise
        await _fail_quietly(engine, ref, rid, f"timed out after {budget:.0f} seconds")
        return "timed out"
    except Exception as exc:
        if is_transient(exc) and job_try < MAX_TRIES:
            log.warning("readiness.retry", report_id=report_id, job_try=job_try, error=repr(exc))
            raise Retry(defer=backoff_s(job_try)) from exc
        if ref is None:
            raise
        prefix = f"gave up after {job_try} tries: " if is_transient(exc) else ""
        log.exception("readiness.error", report_id=report_id)
        await _fail_quietly(engine, ref, rid, f"{prefix}{type(exc).__name__}: {exc}")
        return "failed"
