"""`steward demo`: embedded servers, a seeded `demo` tenant, the API and the worker."""

from __future__ import annotations

import asyncio
import time

from sqlalchemy import func, update
from sqlalchemy.ext.asyncio import AsyncEngine

from server.runtime import resolved_settings
from server.serving import serve_forever
from server.settings import Settings
from tenants.demo_seed import seed_demo
from tenants.engine import make_engine
from tenants.fleet import migrate_all
from tenants.provisioning import create_tenant
from tenants.registry import ApiToken, TenantRef, get_tenant
from tenants.tokens import issue_token

DEMO_SLUG = "demo"
DEMO_TOKEN_NAME = "demo admin"  # noqa: S105  (a label, not a secret)


async def prepare_demo(engine: AsyncEngine) -> tuple[TenantRef, str, bool]:
    """Migrate, create and seed the demo tenant if missing, and issue a fresh admin token.

    Earlier demo tokens are revoked, so only the token printed by this run works.
    Returns the tenant, the token and whether the tenant was created now.
    """
    await migrate_all(engine)
    async with engine.connect() as conn:
        tenant = await get_tenant(conn, DEMO_SLUG)
    created = tenant is None
    if tenant is None:
        tenant = await create_tenant(
            engine, slug=DEMO_SLUG, name="Demo Consultancy", after_migrate=seed_demo
        )
    async with engine.connect() as conn, conn.begin():
        await conn.execute(
            update(ApiToken)
            .where(
                ApiToken.tenant_id == tenant.id,
                ApiToken.name == DEMO_TOKEN_NAME,
                ApiToken.revoked_at.is_(None),
            )
            .values(revoked_at=func.now())
        )
        issued = await issue_token(conn, tenant=tenant, role="admin", name=DEMO_TOKEN_NAME)
    return tenant, issued.secret, created


async def _run(settings: Settings, started: float) -> None:
    assert settings.database_url
    engine = make_engine(settings.database_url)
    try:
        _, token, created = await prepare_demo(engine)
    finally:
        await engine.dispose()
    base = f"http://{settings.host}:{settings.port}"

    def announce() -> None:
        elapsed = time.perf_counter() - started
        print(f"Steward demo ready in {elapsed:.1f}s ({'seeded' if created else 'existing data'})")
        print(f"GraphQL: {base}/graphql")
        print(f"API token: {token}", flush=True)
        print("Press Ctrl-C to stop.", flush=True)

    await serve_forever(settings, with_worker=True, on_started=announce)


def run_demo(settings: Settings) -> None:
    """Run until Ctrl-C; the data folder (STEWARD_DATA_DIR) is kept for the next run."""
    started = time.perf_counter()
    with resolved_settings(settings) as resolved:
        asyncio.run(_run(resolved, started))
