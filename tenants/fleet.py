"""Operations over every tenant: migrate them all, in parallel, failures isolated."""

from __future__ import annotations

import asyncio
import multiprocessing
from collections.abc import Callable, Collection
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from tenants.engine import CONNECTION_SETTINGS
from tenants.migrate import upgrade_shared, upgrade_tenant
from tenants.registry import TenantRef, list_tenants
from tenants.roles import TenantRoleLogin, align_tenant_role, citus_present


@dataclass(frozen=True, slots=True)
class MigrationOutcome:
    tenant: str
    ok: bool
    error: str | None = None


async def migrate_shared(engine: AsyncEngine) -> None:
    """Bring the public schema to head (idempotent)."""
    async with engine.connect() as conn, conn.begin():
        await upgrade_shared(conn)


async def _migrate_one(
    engine: AsyncEngine, tenant: TenantRef, login: bool | None = None
) -> MigrationOutcome:
    try:
        async with engine.connect() as conn, conn.begin():
            if login is not None:  # e.g. LOGIN for every old role once the database runs Citus
                await align_tenant_role(conn, tenant.role_name, login=login)
            await upgrade_tenant(conn, tenant)
        return MigrationOutcome(tenant.slug, True)
    except Exception as exc:  # reported per tenant, never stops the others
        return MigrationOutcome(tenant.slug, False, f"{type(exc).__name__}: {exc}")


# One event loop and one engine per child process, made once by the pool's
# initializer: a fresh loop and engine per tenant cost more than the migration.
_CHILD: dict[str, Any] = {}


def _init_child(database_url: str) -> None:
    _CHILD["loop"] = asyncio.new_event_loop()
    _CHILD["engine"] = create_async_engine(
        database_url,
        pool_size=1,
        max_overflow=0,
        connect_args={"server_settings": dict(CONNECTION_SETTINGS)},
    )


def _migrate_in_child(tenant: TenantRef, login: bool | None) -> MigrationOutcome:
    loop: asyncio.AbstractEventLoop = _CHILD["loop"]
    outcome: MigrationOutcome = loop.run_until_complete(
        _migrate_one(_CHILD["engine"], tenant, login)
    )
    return outcome


async def migrate_all(
    engine: AsyncEngine,
    *,
    concurrency: int = 4,
    on_done: Callable[[MigrationOutcome], None] | None = None,
    on_start: Callable[[int], None] | None = None,
    slugs: Collection[str] | None = None,
    role_login: TenantRoleLogin | None = None,
) -> list[MigrationOutcome]:
    """Bring every tenant schema to head, `concurrency` at a time.

    Each tenant migrates in its own transaction, so one failure rolls back only
    that tenant and the rest carry on; re-running retries the failed ones and
    is a no-op for those already at head.

    Parallelism uses processes, not tasks: Alembic's `context` and `op` are
    module-level proxies, so two migrations interleaving in one process would
    run one tenant's DDL through the other's connection.

    With `role_login`, each tenant role is first aligned with what provisioning gives
    a new one today (LOGIN as that setting says, group membership), in the tenant's
    migration transaction.
    """
    await migrate_shared(engine)
    async with engine.connect() as conn:
        tenants = await list_tenants(conn)
        login = None if role_login is None else role_login.resolve(await citus_present(conn))
    if slugs is not None:  # a subset, e.g. the tenants a canary deploy moves first
        tenants = [t for t in tenants if t.slug in slugs]
    if on_start is not None:  # how many will be migrated, e.g. to size a progress bar
        on_start(len(tenants))
    outcomes: list[MigrationOutcome] = []

    def record(outcome: MigrationOutcome) -> None:
        outcomes.append(outcome)
        if on_done is not None:
            on_done(outcome)

    if concurrency <= 1 or len(tenants) <= 1:
        for tenant in tenants:
            record(await _migrate_one(engine, tenant, login))
        return outcomes
    url = engine.url.render_as_string(hide_password=False)
    loop = asyncio.get_running_loop()
    with ProcessPoolExecutor(
        max_workers=min(concurrency, len(tenants)),
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_init_child,
        initargs=(url,),
    ) as pool:
        futures = [loop.run_in_executor(pool, _migrate_in_child, t, login) for t in tenants]
        for future in asyncio.as_completed(futures):
            record(await future)
    return outcomes
