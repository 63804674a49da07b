"""requestExport over real HTTP, a real arq worker writing the file with progress, and the
download route: exactly one export per request, rate-limited, scoped like every export
route (another tenant's or organisation's export is a 404 like a missing one), expired
files gone, and the JSON file `steward tenants import` reads back."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from arq.jobs import JobStatus
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from jobs.enqueue import export_job_id, job_status
from jobs.exports import job as export_job
from jobs.exports.sweeper import sweep_exports
from server.app import create_app
from server.settings import Settings
from tenants import models as m
from tenants.global_ids import global_id
from tenants.registry import TenantRef
from tenants.session import tenant_session
from tests.conftest import TenantFactory, TokenFactory
from tests.jobs.seed import seed_client
from tests.jobs.workers import make_worker, new_queue, pool, run_burst
from tests.support import data, gql, serving_app

REQUEST = """mutation($input: RequestExportInput!) { requestExport(input: $input) {
  export { id kind format status rowsWritten rowsTotal downloadUrl clientOrganisation { id } }
  errors { field code message } } }"""
READ = """query($id: ID!) { node(id: $id) { ... on Export {
  id status rowsWritten rowsTotal byteSize downloadUrl expiresAt failureReason attempts } } }"""
LIST = "{ exports(first: 50) { totalCount edges { node { id kind } } } }"


def auth(token: str) -> dict[str, str]:
    return {"authorization": f"Bearer {token}"}


@pytest.fixture
async def served(settings: Settings) -> AsyncIterator[tuple[httpx.AsyncClient, Settings]]:
    """The app on its own queue, so a burst worker here runs only this test's jobs."""
    own = settings.model_copy(update={"queue_name": new_queue()})
    async with serving_app(create_app(own)) as url, httpx.AsyncClient(base_url=url) as c:
        yield c, own


async def _request(
    client: httpx.AsyncClient, token: str, kind: str, fmt: str, client_id: uuid.UUID | None
) -> dict[str, Any]:
    given: dict[str, Any] = {"kind": kind, "format": fmt}
    if client_id is not None:
        given["clientOrganisationId"] = global_id("ClientOrganisation", client_id)
    body = await gql(client, REQUEST, {"input": given}, token=token)
    result: dict[str, Any] = data(body)["requestExport"]
    return result


async def _read(client: httpx.AsyncClient, token: str, export_id: str) -> Any:
    return data(await gql(client, READ, {"id": export_id}, token=token))["node"]


async def _work(settings: Settings) -> None:
    async with pool(settings, settings.queue_name):
        await run_burst(make_worker(settings, settings.queue_name))


async def test_a_queued_csv_export_runs_once_with_progress_and_downloads_for_its_client_only(
    served: tuple[httpx.AsyncClient, Settings],
    engine: AsyncEngine,
    make_tenant: TenantFactory,
    make_token: TokenFactory,
) -> None:
    client, settings = served
    tenant, other = await make_tenant(), await make_tenant()
    mine = await seed_client(engine, tenant, processes=120, name="Harbor Logistics")
    theirs = await seed_client(engine, tenant, processes=2, name="Meridian")
    owner = await make_token(tenant, "client_owner", mine.client_id)
    asked = await _request(client, owner, "PROCESSES", "CSV", mine.client_id)
    assert asked["errors"] == []
    export = asked["export"]
    assert export["status"] == "QUEUED" and export["rowsWritten"] == 0
    assert export["rowsTotal"] is None and export["downloadUrl"] is None
    await _work(settings)
    done = await _read(client, owner, export["id"])
    assert done["status"] == "SUCCEEDED" and done["attempts"] == 1
    assert done["rowsWritten"] == done["rowsTotal"] == 120
    assert datetime.fromisoformat(done["expiresAt"]) > datetime.now(UTC) + timedelta(hours=23)
    url = done["downloadUrl"]
    assert url.endswith(f"/exports/files/{_uuid(export['id'])}")
    got = await client.get(url, headers=auth(owner))
    assert got.status_code == 200, got.text
    assert got.headers["content-type"].startswith("text/csv")
    assert got.headers["cache-control"] == "private, no-store"
    rows = list(csv.reader(io.StringIO(got.text)))
    assert rows[0][0] == "process" and len(rows) == 121
    assert int(got.headers["content-length"]) == done["byteSize"] == len(got.content)
    # Another organisation's principal, another tenant, nobody: exactly like a missing file.
    missing = f"/exports/files/{uuid.uuid4()}"
    for token in (
        await make_token(tenant, "client_viewer", theirs.client_id),
        await make_token(other, "admin"),
    ):
        refused, absent = (
            await client.get(url, headers=auth(token)),
            await client.get(missing, headers=auth(token)),
        )
        assert refused.status_code == absent.status_code == 404
        assert refused.json() == absent.json()
        assert await _read(client, token, export["id"]) is None
    assert (await client.get(url)).status_code == 401
    # Exactly one export and one job run for the one request.
    async with tenant_session(engine, tenant) as s:
        assert await s.scalar(select(func.count()).select_from(m.Export)) == 1


def _uuid(gid: str) -> str:
    from strawberry.relay.utils import from_base64

    return str(from_base64(gid)[1])


async def test_a_tenant_export_is_admins_only_and_imports_back(
    served: tuple[httpx.AsyncClient, Settings],
    engine: AsyncEngine,
    make_tenant: TenantFactory,
    make_token: TokenFactory,
) -> None:
    from jobs.exports.tenant_json import import_tenant

    client, settings = served
    tenant = await make_tenant()
    seeded = await seed_client(engine, tenant, processes=30)
    admin, consultant = await make_token(tenant, "admin"), await make_token(tenant, "consultant")
    refused = await _request(client, consultant, "TENANT", "JSONL", None)
    assert [e["code"] for e in refused["errors"]] == ["FORBIDDEN"]
    wrong = await _request(client, admin, "TENANT", "CSV", None)
    assert [(e["field"], e["code"]) for e in wrong["errors"]] == [("format", "VALIDATION")]
    needs_client = await _request(client, admin, "ENGAGEMENT", "JSONL", None)
    assert [e["field"] for e in needs_client["errors"]] == ["clientOrganisationId"]
    asked = await _request(client, admin, "TENANT", "JSONL", None)
    assert asked["errors"] == [] and asked["export"]["clientOrganisation"] is None
    await _work(settings)
    done = await _read(client, admin, asked["export"]["id"])
    assert done["status"] == "SUCCEEDED"
    # Only admins see a whole-tenant export, in node(id:) and in the list.
    assert await _read(client, consultant, asked["export"]["id"]) is None
    listed = data(await gql(client, LIST, token=consultant))["exports"]
    assert listed["totalCount"] == 0
    body = (await client.get(done["downloadUrl"], headers=auth(admin))).text
    lines = body.splitlines()
    header = json.loads(lines[0])
    assert header["format"] == "steward.tenant-export"
    assert "exports" not in header["tables"]  # its own row is not part of the tenant's data
    assert done["rowsWritten"] == done["rowsTotal"] == len(lines) - 1
    target = await make_tenant()
    assert await import_tenant(engine, target, lines) == len(lines) - 1
    async with tenant_session(engine, target) as s:
        names = await s.scalars(select(m.ClientOrganisation.id))
        assert list(names) == [seeded.client_id]


async def test_progress_is_visible_while_the_job_writes(
    engine: AsyncEngine, make_tenant: TenantFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The job saves rows written while it is RUNNING: seen from another session mid-file."""
    tenant = await make_tenant()
    seeded = await seed_client(engine, tenant, processes=40)
    export_id = await _queued(engine, tenant, m.ExportKind.OWNERS, seeded.client_id)
    seen: list[tuple[m.ReportStatus, int, int | None]] = []
    real_rows = export_job._table_rows

    async def slow_rows(*args: Any) -> AsyncIterator[Any]:
        done = 0
        async for row in real_rows(*args):
            yield row
            done += 1
            # The writer waits here until another session sees this row counted.
            seen.append(await _until_saved(engine, tenant, export_id, done))

    monkeypatch.setattr(export_job, "_table_rows", slow_rows)
    outcome = await export_job.build_export({"engine": engine}, tenant.slug, str(export_id))
    assert outcome == "succeeded"
    # Four owners (one per ten processes): each look saw RUNNING, the rows so far, the total.
    assert seen == [(m.ReportStatus.RUNNING, n, 4) for n in (1, 2, 3, 4)]
    assert await _progress(engine, tenant, export_id) == (m.ReportStatus.SUCCEEDED, 4, 4)
    # arq runs a job at least once: a second run leaves the finished export as it is.
    assert await export_job.build_export({"engine": engine}, tenant.slug, str(export_id)) == (
        "nothing to do"
    )


async def _until_saved(
    engine: AsyncEngine, tenant: TenantRef, export_id: uuid.UUID, done: int
) -> tuple[m.ReportStatus, int, int | None]:
    async with asyncio.timeout(60):
        while (seen := await _progress(engine, tenant, export_id))[1] < done:
            await asyncio.sleep(0.05)
    return seen


async def _queued(
    engine: AsyncEngine, tenant: TenantRef, kind: m.ExportKind, client_id: uuid.UUID | None
) -> uuid.UUID:
    async with tenant_session(engine, tenant) as s:
        fmt = m.ExportFormat.CSV if client_id and kind != m.ExportKind.ENGAGEMENT else None
        export = m.Export(
            client_id=client_id,
            kind=kind,
            format=fmt or m.ExportFormat.JSONL,
            status=m.ReportStatus.QUEUED,
            requested_by="test",
        )
        s.add(export)
        await s.flush()
        return export.id


async def _progress(
    engine: AsyncEngine, tenant: TenantRef, export_id: uuid.UUID
) -> tuple[m.ReportStatus, int, int | None]:
    async with tenant_session(engine, tenant) as s:
        row = (
            await s.execute(
                select(m.Export.status, m.Export.rows_written, m.Export.rows_total).where(
                    m.Export.id == export_id
                )
            )
        ).one()
    return row.status, row.rows_written, row.rows_total


async def test_requests_are_rate_limited_per_client(
    client: httpx.AsyncClient,
    engine: AsyncEngine,
    make_tenant: TenantFactory,
    make_token: TokenFactory,
) -> None:
    tenant = await make_tenant()
    one, two = (
        await seed_client(engine, tenant, processes=1),
        await seed_client(engine, tenant, processes=1, name="Other"),
    )
    token = await make_token(tenant, "consultant")
    for _ in range(5):
        assert (await _request(client, token, "OWNERS", "XLSX", one.client_id))["errors"] == []
    limited = await _request(client, token, "OWNERS", "XLSX", one.client_id)
    assert [(e["field"], e["code"]) for e in limited["errors"]] == [
        ("clientOrganisationId", "UNAVAILABLE")
    ]
    assert (await _request(client, token, "OWNERS", "CSV", two.client_id))["errors"] == []
    async with tenant_session(engine, tenant) as s:
        assert await s.scalar(select(func.count()).select_from(m.Export)) == 6


async def test_the_sweeper_deletes_expired_files_and_the_route_refuses_them(
    served: tuple[httpx.AsyncClient, Settings],
    engine: AsyncEngine,
    make_tenant: TenantFactory,
    make_token: TokenFactory,
) -> None:
    client, settings = served
    tenant = await make_tenant()
    seeded = await seed_client(engine, tenant, processes=3)
    admin = await make_token(tenant, "admin")
    asked = await _request(client, admin, "ENGAGEMENT", "JSONL", seeded.client_id)
    await _work(settings)
    done = await _read(client, admin, asked["export"]["id"])
    url, export_id = done["downloadUrl"], uuid.UUID(_uuid(asked["export"]["id"]))
    assert (await client.get(url, headers=auth(admin))).status_code == 200
    async with tenant_session(engine, tenant) as s:
        await s.execute(
            update(m.Export)
            .where(m.Export.id == export_id)
            .values(expires_at=func.now() - timedelta(seconds=1))
        )
    assert (await client.get(url, headers=auth(admin))).status_code == 404
    assert (await _read(client, admin, asked["export"]["id"]))["downloadUrl"] is None
    async with pool(settings, settings.queue_name) as redis:
        await sweep_exports({"engine": engine, "redis": redis})
    async with tenant_session(engine, tenant) as s:
        chunks = select(func.count()).where(m.ExportChunk.export_id == export_id)
        assert await s.scalar(chunks) == 0
        assert await s.scalar(select(m.Export.status).where(m.Export.id == export_id)) == (
            m.ReportStatus.SUCCEEDED
        )


async def test_an_export_queued_while_redis_was_down_is_enqueued_by_the_sweeper_and_runs(
    settings: Settings, engine: AsyncEngine, make_tenant: TenantFactory
) -> None:
    tenant = await make_tenant()
    seeded = await seed_client(engine, tenant, processes=3)
    # The row the mutation commits when its after-commit enqueue finds no Redis.
    export_id = await _queued(engine, tenant, m.ExportKind.ENGAGEMENT, seeded.client_id)
    own = settings.model_copy(update={"queue_name": new_queue()})
    async with pool(own, own.queue_name) as redis:
        assert await sweep_exports({"engine": engine, "redis": redis}) >= 1
        job_id = export_job_id(tenant.slug, export_id)
        assert await job_status(redis, job_id) is JobStatus.queued
        await run_burst(make_worker(own, own.queue_name))
    status, written, total = await _progress(engine, tenant, export_id)
    assert status is m.ReportStatus.SUCCEEDED and written == total and written > 0
