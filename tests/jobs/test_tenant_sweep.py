"""The sweepers' shared loop: every tenant is swept, and one that fails is logged and
skipped, never stopping the tenants after it."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import AsyncIterator
from datetime import datetime
from typing import Any

import pytest
import structlog
from structlog.testing import capture_logs

from jobs import tenant_sweep
from tenants.registry import TenantRef


def _ref(slug: str) -> TenantRef:
    return TenantRef(
        id=uuid.uuid4(), slug=slug, name=slug, schema_name=f"tenant_{slug}", role_name=slug
    )


class _Engine:
    @contextlib.asynccontextmanager
    async def connect(self) -> AsyncIterator[None]:
        yield None


async def test_a_failing_tenant_is_logged_and_the_others_are_still_swept(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    refs = [_ref("alpha"), _ref("broken"), _ref("gamma")]

    async def listed(conn: Any) -> list[TenantRef]:
        return refs

    monkeypatch.setattr(tenant_sweep, "list_tenants", listed)
    seen: list[tuple[str, float]] = []

    async def sweep(engine: Any, redis: Any, ref: TenantRef, now: datetime, timeout: float) -> int:
        if ref.slug == "broken":
            raise RuntimeError("schema mid-migration")
        seen.append((ref.slug, timeout))
        return 2

    ctx = {"engine": _Engine(), "redis": object(), "job_timeout_s": 42}
    with capture_logs() as logs:
        total = await tenant_sweep.sweep_every_tenant(
            ctx, sweep, log=structlog.get_logger("test"), failed_event="test.sweep_failed"
        )
    assert total == 4
    assert seen == [("alpha", 42.0), ("gamma", 42.0)]
    assert [(e["event"], e["tenant"]) for e in logs] == [("test.sweep_failed", "broken")]
