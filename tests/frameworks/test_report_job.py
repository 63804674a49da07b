"""The readiness job renders a section for each framework chosen for the client, and
only those, from the same snapshot and findings as the rest of the report."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncEngine

from jobs.readiness.frameworks import frameworks
from tenants.services.audit import SYSTEM
from tenants.services.frameworks import choose_client_frameworks
from tenants.session import tenant_session
from tests.conftest import TenantFactory
from tests.jobs.runs import run_readiness
from tests.jobs.seed import queue_report, report_row, seed_client, seed_queued_report


async def test_chosen_frameworks_become_report_sections(
    engine: AsyncEngine, make_tenant: TenantFactory
) -> None:
    tenant = await make_tenant()
    seeded = await seed_client(engine, tenant, processes=6)
    async with tenant_session(engine, tenant) as db:
        await choose_client_frameworks(
            db,
            actor=SYSTEM,
            client_id=seeded.client_id,
            framework_ids=["eu-ai-act"],
            known=frozenset(frameworks()),
        )
    report_id = await queue_report(engine, tenant, seeded.client_id)
    assert await run_readiness(engine, tenant, report_id) == "succeeded"
    html = (await report_row(engine, tenant, report_id)).html
    assert ">Regulatory frameworks<" in html and "EU AI Act (deployer obligations)" in html
    assert "ISO/IEC 42001 AI management system" not in html
    # Orphaned processes in the seed: oversight by named people is not fully met.
    assert "Art. 26(2)" in html and ("partly met" in html or "not met" in html)


async def test_no_chosen_framework_no_section(
    engine: AsyncEngine, make_tenant: TenantFactory
) -> None:
    tenant = await make_tenant()
    _, report_id = await seed_queued_report(engine, tenant, processes=2)
    assert await run_readiness(engine, tenant, report_id) == "succeeded"
    assert "Regulatory frameworks" not in (await report_row(engine, tenant, report_id)).html
