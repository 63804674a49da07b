"""Operations over every tenant: migrate them all, in parallel, failures isolated."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncEngine

from tenants.migrate import upgrade_shared, upgrade_tenant
from tenants.registry import TenantRef, list_tenants


@dataclass(frozen=True, slots=True)
class MigrationOutcome:
    tenant: str
    ok: bool
    error: str | None = None


async def migrate_shared(engine: AsyncEngine) -> None:
    """Bring the public schema to head (idempotent)."""
    async with engine.connect() as conn, conn.begin():
        await upgrade_shared(conn)


async def migrate_all(
    engine: AsyncEngine,
    *,
    concurrency: int = 4,
    on_done: Callable[[MigrationOutcome], None] | None = None,
) -> list[MigrationOutcome]:
    """Bring every tenant schema to head, `concurrency` at a time.

    Each tenant migrates in its own transaction, so one failure rolls back only
    that tenant and the rest carry on; re-running retries the failed ones and
    is a no-op for those already at head.
    """
    await migrate_shared(engine)
    async with engine.connect() as conn:
        tenants = await list_tenants(conn)
    gate = asyncio.Semaphore(concurrency)

    async def one(tenant: TenantRef) -> MigrationOutcome:
        async with gate:
            try:
                async with engine.connect() as conn, conn.begin():
                    await upgrade_tenant(conn, tenant)
                outcome = MigrationOutcome(tenant.slug, True)
            except Exception as exc:  # reported per tenant, never stops the others
                outcome = MigrationOutcome(tenant.slug, False, f"{type(exc).__name__}: {exc}")
        if on_done is not None:
            on_done(outcome)
        return outcome

    return list(await asyncio.gather(*(one(t) for t in tenants)))


async def tenant_count(engine: AsyncEngine) -> int:
    async with engine.connect() as conn:
        return len(await list_tenants(conn))
