"""A client's process register and owners as CSV and XLSX over real HTTP: the report
downloads' authorization (401, 404 across tenants and client organisations), a client
principal gets only its own organisation, formula-looking text is neutralised."""

from __future__ import annotations

import csv
import io
import re
import uuid
import zipfile

import httpx
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncEngine

from tenants import models as m
from tenants.session import tenant_session
from tests.conftest import TenantFactory, TokenFactory
from tests.jobs.runs import run_readiness
from tests.jobs.seed import queue_report, seed_client


def auth(token: str) -> dict[str, str]:
    return {"authorization": f"Bearer {token}"}


def _csv(body: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(body)))


def _xlsx_strings(content: bytes) -> list[str]:
    """Every inline string of the first sheet (constant_memory writes strings inline)."""
    with zipfile.ZipFile(io.BytesIO(content)) as book:
        sheet = book.read("xl/worksheets/sheet1.xml").decode()
    return re.findall(r"<t(?: [^>]*)?>([^<]*)</t>", sheet)


async def test_register_and_owners_for_staff_and_for_the_clients_own_principal_only(
    client: httpx.AsyncClient,
    engine: AsyncEngine,
    make_tenant: TenantFactory,
    make_token: TokenFactory,
) -> None:
    tenant, other = await make_tenant(), await make_tenant()
    mine = await seed_client(engine, tenant, processes=5, name="Harbor Logistics")
    theirs = await seed_client(engine, tenant, processes=3, name="Meridian")
    async with tenant_session(engine, tenant) as s:
        await s.execute(
            update(m.AIProcess)
            .where(m.AIProcess.id == mine.process_ids[0])
            .values(name="=HYPERLINK(1)")
        )
    path = f"/exports/clients/{mine.client_id}"
    viewer = await make_token(tenant, "viewer")

    register = await client.get(f"{path}/processes.csv", headers=auth(viewer))
    assert register.status_code == 200, register.text
    assert register.headers["content-type"].startswith("text/csv")
    assert register.headers["cache-control"] == "private, no-store"
    rows = _csv(register.text)
    assert rows[0][:5] == [
        "process", "business unit", "lifecycle stage", "risk tier", "accountable owner",
    ]  # fmt: skip
    assert len(rows) == 1 + 5
    assert "'=HYPERLINK(1)" in [r[0] for r in rows]
    owners = _csv((await client.get(f"{path}/owners.csv", headers=auth(viewer))).text)
    assert len(owners) == 1 + len(mine.owner_ids) and owners[0][4] == "current hours/week"

    xlsx = await client.get(f"{path}/processes.xlsx", headers=auth(viewer))
    assert xlsx.status_code == 200 and xlsx.content.startswith(b"PK")
    strings = _xlsx_strings(xlsx.content)
    assert "process" in strings and "'=HYPERLINK(1)" in strings

    own = await make_token(tenant, "client_viewer", client_organisation_id=mine.client_id)
    assert _csv((await client.get(f"{path}/processes.csv", headers=auth(own))).text) == rows
    neighbour = await make_token(tenant, "client_viewer", client_organisation_id=theirs.client_id)
    stranger = await make_token(other, "admin")
    for token in (neighbour, stranger):
        for name in ("processes.csv", "owners.xlsx"):
            denied = await client.get(f"{path}/{name}", headers=auth(token))
            assert denied.status_code == 404, name
            assert denied.json()["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    assert (await client.get(f"{path}/processes.csv")).status_code == 401
    for bad in (f"{path}/processes.pdf", f"{path}/secrets.csv"):
        assert (await client.get(bad, headers=auth(viewer))).status_code == 404
    unknown = f"/exports/clients/{uuid.uuid4()}/owners.csv"
    assert (await client.get(unknown, headers=auth(viewer))).status_code == 404


async def test_a_reports_findings_for_its_client_only(
    client: httpx.AsyncClient,
    engine: AsyncEngine,
    make_tenant: TenantFactory,
    make_token: TokenFactory,
) -> None:
    tenant, other = await make_tenant(), await make_tenant()
    mine = await seed_client(engine, tenant, processes=8, name="Harbor Logistics")
    theirs = await seed_client(engine, tenant, processes=1, name="Meridian")
    report_id = await queue_report(engine, tenant, mine.client_id)
    path = f"/exports/readiness/{report_id}/findings"
    viewer = await make_token(tenant, "viewer")
    # Not finished: no findings file, as no document.
    assert (await client.get(f"{path}.csv", headers=auth(viewer))).status_code == 404
    await run_readiness(engine, tenant, report_id)
    async with tenant_session(engine, tenant) as s:
        stored = (await s.get(m.ReadinessReport, report_id)).findings  # type: ignore[union-attr]
    assert stored, "the seeded client has gaps"

    rows = _csv((await client.get(f"{path}.csv", headers=auth(viewer))).text)
    assert rows[0] == [
        "pillar", "severity", "rule", "about", "object type", "finding", "recommendation",
    ]  # fmt: skip
    assert [r[2] for r in rows[1:]] == [f["rule_id"] for f in stored]
    assert [r[5] for r in rows[1:]] == [f["message"] for f in stored]
    xlsx = await client.get(f"{path}.xlsx", headers=auth(viewer))
    assert xlsx.status_code == 200 and stored[0]["rule_id"] in _xlsx_strings(xlsx.content)

    own = await make_token(tenant, "client_viewer", client_organisation_id=mine.client_id)
    assert _csv((await client.get(f"{path}.csv", headers=auth(own))).text) == rows
    neighbour = await make_token(tenant, "client_viewer", client_organisation_id=theirs.client_id)
    for token in (neighbour, await make_token(other, "admin")):
        assert (await client.get(f"{path}.csv", headers=auth(token))).status_code == 404
    assert (await client.get(f"{path}.csv")).status_code == 401
