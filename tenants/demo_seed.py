"""Seed a tenant with a believable consultancy engagement (the `steward demo` data).

`seed_demo` is an `after_migrate` hook of `tenants.provisioning.create_tenant`: it runs
inside the provisioning transaction, as the login role, right after the tenant schema
was migrated. It binds that connection to the tenant as every request does (SET LOCAL
ROLE plus schema_translate_map), writes everything through the domain services, so the
data obeys every rule and leaves an audit trail, flushes without committing (the
caller's transaction commits) and finally resets the role so the caller continues as
the login role.

Content (see `tenants/demo_data/`): three clients - Northwind Insurance, Harbor Retail
and Meridian Logistics - with 35 AI processes across every lifecycle stage and risk
tier, and deliberate gaps for the readiness rules to find: orphaned live processes, an
overstretched owner, advisory-only and never-assessed owners, capability gaps, high-risk
processes without checkpoints, stale reviews, open incidents, overdue milestones and
vendor agreements with missing clauses or expiring soon.

Deterministic: no randomness, and every date is a fixed offset from `today`. `today`
must not be after the real date: the services refuse assessments, reviews, incidents
and KPI measurements in the future.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from tenants.demo_data import CLIENTS
from tenants.demo_data.loader import SeedContext, dimensions_by_key, load_client
from tenants.registry import TenantRef
from tenants.services.audit import Actor, AuditActorKind
from tenants.session import bind_connection

DEMO_ACTOR = Actor("demo seed", AuditActorKind.SYSTEM)


async def seed_session(session: AsyncSession, *, today: date, actor: Actor = DEMO_ACTOR) -> None:
    """Write the demo engagement into a tenant-bound session (flushed, not committed)."""
    ctx = SeedContext(session=session, actor=actor, today=today)
    dimensions = await dimensions_by_key(ctx)
    for client in CLIENTS:
        await load_client(ctx, client, dimensions)
    await session.flush()


async def seed_demo(conn: AsyncConnection, tenant: TenantRef, *, today: date | None = None) -> None:
    """Seed `tenant` on `conn`'s open transaction; see the module docstring."""
    bound = await bind_connection(conn, tenant)
    session = AsyncSession(bind=bound, expire_on_commit=False, autoflush=True)
    try:
        await seed_session(session, today=today or date.today())
    finally:
        await session.close()
    await conn.execute(text("SET LOCAL ROLE NONE"))
