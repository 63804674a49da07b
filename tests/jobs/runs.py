"""Job functions called directly, as the worker would call them, without arq in between."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine

from jobs.readiness.job import build_readiness_report
from tenants.registry import TenantRef


def job_ctx(engine: AsyncEngine, **extra: Any) -> dict[str, Any]:
    """The arq context of a job's first try, with `extra` (job_try, timeouts) over it."""
    return {"engine": engine, "job_try": 1, "job_timeout_s": 300} | extra


async def run_readiness(
    engine: AsyncEngine, tenant: TenantRef, report_id: uuid.UUID, **ctx: Any
) -> str:
    """Run the readiness job for a queued report; its outcome ("succeeded", "failed", ...)."""
    outcome: str = await build_readiness_report(job_ctx(engine, **ctx), tenant.slug, str(report_id))
    return outcome
