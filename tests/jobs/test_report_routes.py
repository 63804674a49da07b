"""Rendered reports served over real HTTP under the GraphQL objects' authorization."""

from __future__ import annotations

import uuid
from datetime import date

import httpx
from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncEngine

from tenants import models as m
from tenants.session import tenant_session
from tests.conftest import TenantFactory, TokenFactory
from tests.jobs.runs import run_readiness
from tests.jobs.seed import queue_report, seed_client, seed_queued_report


def auth(token: str) -> dict[str, str]:
    return {"authorization": f"Bearer {token}"}


async def test_readiness_documents_need_a_principal_of_the_tenant_and_client(
    client: httpx.AsyncClient,
    engine: AsyncEngine,
    make_tenant: TenantFactory,
    make_token: TokenFactory,
) -> None:
    tenant = await make_tenant()
    other = await make_tenant()
    seeded = await seed_client(engine, tenant, processes=4, name="Harbor Logistics")
    neighbour = await seed_client(engine, tenant, processes=1, name="Meridian")
    report_id = await queue_report(engine, tenant, seeded.client_id)
    await run_readiness(engine, tenant, report_id)
    html_path, pdf_path = (
        f"/reports/readiness/{report_id}.html",
        f"/reports/readiness/{report_id}.pdf",
    )

    anonymous = await client.get(html_path)
    assert anonymous.status_code == 401
    assert anonymous.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert (await client.get(pdf_path, headers=auth("stw_not_a_token"))).status_code == 401

    viewer = await make_token(tenant, "viewer")
    html = await client.get(html_path, headers=auth(viewer))
    assert html.status_code == 200, html.text
    assert html.headers["content-type"].startswith("text/html")
    assert "Harbor Logistics" in html.text and "<svg" in html.text
    assert html.headers["cache-control"] == "private, no-store"
    pdf = await client.get(pdf_path, headers=auth(viewer))
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")

    own_client = await make_token(tenant, "client_viewer", client_organisation_id=seeded.client_id)
    assert (await client.get(pdf_path, headers=auth(own_client))).status_code == 200
    other_client = await make_token(
        tenant, "client_viewer", client_organisation_id=neighbour.client_id
    )
    assert (await client.get(html_path, headers=auth(other_client))).status_code == 404
    stranger = await make_token(other, "admin")
    for path in (html_path, pdf_path):
        response = await client.get(path, headers=auth(stranger))
        assert response.status_code == 404
        assert response.json()["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    unknown = await client.get(f"/reports/readiness/{uuid.uuid4()}.pdf", headers=auth(viewer))
    assert unknown.status_code == 404
    assert (
        await client.get("/reports/readiness/nope.pdf", headers=auth(viewer))
    ).status_code == 404


async def test_unfinished_report_has_no_document(
    client: httpx.AsyncClient,
    engine: AsyncEngine,
    make_tenant: TenantFactory,
    make_token: TokenFactory,
) -> None:
    tenant = await make_tenant()
    _, report_id = await seed_queued_report(engine, tenant, processes=1)
    token = await make_token(tenant, "admin")
    response = await client.get(f"/reports/readiness/{report_id}.html", headers=auth(token))
    assert response.status_code == 404


async def test_health_document_is_served_to_its_tenant_only(
    client: httpx.AsyncClient,
    engine: AsyncEngine,
    make_tenant: TenantFactory,
    make_token: TokenFactory,
) -> None:
    tenant = await make_tenant()
    other = await make_tenant()
    seeded = await seed_client(engine, tenant, processes=1)
    report_id = uuid.uuid4()
    async with tenant_session(engine, tenant) as db:
        await db.execute(
            insert(m.EngagementHealthReport).values(
                id=report_id,
                client_id=seeded.client_id,
                period_start=date(2026, 6, 1),
                period_end=date(2026, 6, 7),
                status=m.HealthStatus.GREEN,
                reasons=[],
                html="<!DOCTYPE html><p>healthy</p>",
            )
        )
    path = f"/reports/health/{report_id}.html"
    assert (await client.get(path)).status_code == 401
    ok = await client.get(path, headers=auth(await make_token(tenant, "consultant")))
    assert ok.status_code == 200 and "healthy" in ok.text
    assert (await client.get(path, headers=auth(await make_token(other)))).status_code == 404
