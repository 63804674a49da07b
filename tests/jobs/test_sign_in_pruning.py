"""The sweeper cron prunes sign-in attempts older than the retention, in every tenant."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from jobs.sweeper import sweep_reports
from server.settings import Settings
from tenants.models import SignInAttempt, SignInOutcome
from tenants.session import tenant_session
from tests.conftest import TenantFactory
from tests.jobs.workers import new_queue, pool


async def test_the_sweeper_deletes_attempts_past_the_retention_and_keeps_the_rest(
    settings: Settings, engine: AsyncEngine, make_tenant: TenantFactory
) -> None:
    tenant = await make_tenant()
    now = datetime.now(UTC)
    async with tenant_session(engine, tenant) as db:
        rows = [
            SignInAttempt(outcome=SignInOutcome.REFUSED, reason="state_expired", occurred_at=at)
            for at in (now - timedelta(days=31), now - timedelta(days=29), now)
        ]
        db.add_all(rows)
        await db.flush()
        ids = [r.id for r in rows]
    async with pool(settings, new_queue()) as redis:
        ctx = {"engine": engine, "redis": redis, "signin_attempt_retention_days": 30}
        await sweep_reports(ctx)
    async with tenant_session(engine, tenant) as db:
        left = set(await db.scalars(select(SignInAttempt.id).where(SignInAttempt.id.in_(ids))))
    assert left == set(ids[1:])
