"""The readiness job dresses its report in the tenant's branding and the requested language."""

from __future__ import annotations

import io

import pypdf
from sqlalchemy.ext.asyncio import AsyncEngine

from jobs.i18n import SUPPORTED_LOCALES
from jobs.readiness.store import finding_of
from jobs.rendering import Branding, ReportDocument, render_html
from tenants.services.audit import SYSTEM
from tenants.services.branding import REPORT_LOCALES, configure_report_branding
from tenants.session import tenant_session
from tests.conftest import TenantFactory
from tests.jobs.runs import run_readiness
from tests.jobs.seed import queue_report, report_row, seed_client


def test_every_locale_a_tenant_can_choose_has_a_catalogue() -> None:
    assert set(REPORT_LOCALES) == set(SUPPORTED_LOCALES)


async def test_report_uses_branding_and_the_requested_language(
    engine: AsyncEngine, make_tenant: TenantFactory
) -> None:
    tenant = await make_tenant()
    seeded = await seed_client(engine, tenant, processes=4)
    async with tenant_session(engine, tenant) as db:
        await configure_report_branding(
            db,
            actor=SYSTEM,
            expected_version=None,
            name="Łukasz & Zoë Ñúñez Consulting",
            confidentiality_text="Streng vertraulich",
            timezone="Europe/Berlin",
            locale="en",
        )
    german = await queue_report(engine, tenant, seeded.client_id, locale="de")
    await run_readiness(engine, tenant, german)
    row = await report_row(engine, tenant, german)
    assert row.status.value == "succeeded"
    assert "Zusammenfassung" in row.html and "Łukasz &amp; Zoë Ñúñez Consulting" in row.html
    text = "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(row.pdf)).pages)
    assert "Zoë Ñúñez" in text and "Łukasz" in text and "Seite 1 von" in text
    # The stored findings keep codes and parameters: the same report, again, in English.
    findings = [f for doc in row.findings if (f := finding_of(doc))]
    assert findings and all(f.param("subject") for f in findings)
    again = ReportDocument(
        "x", row.finished_at, float(row.score), row.pillar_scores, findings, branding=Branding()
    )
    assert "Executive summary" in render_html(again, "en")
