"""Checking that a login was refused properly: reason, no session, one audit entry."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from tenants.models import AuditEvent
from tenants.registry import BrowserSession, TenantRef
from tenants.session import tenant_session
from tests.auth.support import Browser, World, person, refusal_reason


async def session_count(engine: AsyncEngine, tenant: TenantRef) -> int:
    async with engine.connect() as conn:
        count = await conn.scalar(
            select(func.count())
            .select_from(BrowserSession)
            .where(BrowserSession.tenant_id == tenant.id)
        )
    return int(count or 0)


async def last_failure(engine: AsyncEngine, tenant: TenantRef) -> dict[str, Any] | None:
    async with tenant_session(engine, tenant) as session:
        event = await session.scalar(
            select(AuditEvent)
            .where(AuditEvent.action == "login_failed")
            .order_by(AuditEvent.seq.desc())
            .limit(1)
        )
    return (
        None
        if event is None
        else {c["field"]: c["after"] for c in event.changes} | {"id": event.id}
    )


@dataclass
class RefusalCheck:
    """Snapshot before a login; `assert_refused` after it."""

    engine: AsyncEngine
    tenant: TenantRef
    sessions_before: int
    failure_before: object

    @classmethod
    async def start(cls, engine: AsyncEngine, tenant: TenantRef) -> RefusalCheck:
        failure = await last_failure(engine, tenant)
        return cls(engine, tenant, await session_count(engine, tenant), failure and failure["id"])

    async def assert_refused(
        self, response: httpx.Response, reason: str, *, status: int | None = None
    ) -> None:
        assert 400 <= response.status_code < 600, response.text
        if status is not None:
            assert response.status_code == status, response.text
        assert refusal_reason(response) == reason
        cookies = " ".join(response.headers.get_list("set-cookie"))
        assert "steward_session=" not in cookies, cookies
        assert await session_count(self.engine, self.tenant) == self.sessions_before
        failure = await last_failure(self.engine, self.tenant)
        assert failure is not None and failure["id"] != self.failure_before, "not audited"
        assert failure["reason"] == reason


async def assert_login_refused(
    browser: Browser,
    world: World,
    engine: AsyncEngine,
    reason: str,
    *,
    idp_id: uuid.UUID | None = None,
    status: int | None = None,
) -> None:
    """Log in to tenant A (through `idp_id`, else its staff provider) and check the refusal.

    The snapshot is taken just before the login, after whatever the test set up."""
    check = await RefusalCheck.start(engine, world.a.tenant)
    response = await browser.login(world.a.tenant.slug, idp_id)
    await check.assert_refused(response, reason, status=status)


async def assert_callback_refused(
    browser: Browser,
    world: World,
    engine: AsyncEngine,
    query: str,
    reason: str,
    *,
    status: int | None = None,
) -> None:
    """Arrive at tenant A's callback with `query` and check the refusal (snapshot first)."""
    check = await RefusalCheck.start(engine, world.a.tenant)
    response = await browser.go(f"/auth/{world.a.tenant.slug}/callback?{query}")
    await check.assert_refused(response, reason, status=status)


async def assert_tampered_login_refused(
    browser: Browser,
    world: World,
    engine: AsyncEngine,
    reason: str,
    *,
    status: int | None = None,
    **knobs: Any,
) -> None:
    """A new person logs in to tenant A while its staff provider answers as `knobs` say
    (tests/oidc_provider/tampering.py); the login is refused for `reason`."""
    staff = world.providers["staff"]
    await staff.next_user(**person())
    await staff.knobs(**knobs)
    await assert_login_refused(browser, world, engine, reason, status=status)
