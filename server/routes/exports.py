"""Tables as files: `/exports/clients/{id}/processes|owners.csv|.xlsx` (a client's process
register; its owners with current hours and latest assessment) and
`/exports/readiness/{id}/findings.csv|.xlsx` (a finished readiness report's findings).

Same authorization as the report documents (server/routes/reports.py): an authenticated
principal (401 otherwise), a session bound to its tenant, and `schema.scoping.visible` on
the client and on every row, so another tenant's client, or another organisation for a
client principal, is a 404 exactly like one that does not exist. Nothing is stored: each
download is made from the live data, with `Cache-Control: private, no-store`.

Rows come from a server-side cursor (`yield_per`) and are written as they arrive; CSV goes
straight to the response, XLSX through a spooled temporary file (in memory up to 1 MiB,
on disk beyond) because a workbook is a zip whose directory is written last.
"""

from __future__ import annotations

import tempfile
import uuid
from collections.abc import AsyncIterator, Sequence
from typing import IO, Any

from sqlalchemy import select
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import BaseRoute, Mount, Route

from jobs.exports.tables import EXPORTS, TableExport, report_findings
from jobs.exports.writers import Cell, csv_chunks, write_xlsx
from schema.scoping import visible
from server.responses import json_error, unauthenticated
from server.routes.export_files import download_file
from tenants import models as m
from tenants.session import tenant_connection

FETCH_SIZE = 500
_FORMATS = ("csv", "xlsx")
_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_MODELS: dict[str, Any] = {"processes": m.AIProcess, "owners": m.Owner}


def _headers(filename: str) -> dict[str, str]:
    return {
        "Cache-Control": "private, no-store",
        "X-Content-Type-Options": "nosniff",
        "Content-Disposition": f'attachment; filename="{filename}"',
    }


async def _export_for(request: Request) -> TableExport | None:
    """The export asked for, or None when the client is not visible to the principal."""
    principal = request.state.principal
    client_id: uuid.UUID = request.path_params["client_id"]
    kind: str = request.path_params["kind"]
    async with tenant_connection(request.state.engine, principal.tenant) as conn:
        found = await conn.scalar(
            select(m.ClientOrganisation.id).where(
                m.ClientOrganisation.id == client_id,
                visible(m.ClientOrganisation, principal),
            )
        )
    if found is None:
        return None
    return EXPORTS[kind](client_id, visible(_MODELS[kind], principal))


async def _rows(request: Request, export: TableExport) -> AsyncIterator[Sequence[Cell]]:
    principal = request.state.principal
    async with tenant_connection(request.state.engine, principal.tenant) as conn:
        result = await conn.stream(export.query, execution_options={"yield_per": FETCH_SIZE})
        async for row in result:
            yield tuple(row)


async def download(request: Request) -> Response:
    """`/exports/clients/{client_id}/{kind}.{fmt}`."""
    if request.state.principal is None:
        return unauthenticated()
    if request.path_params["kind"] not in EXPORTS or request.path_params["fmt"] not in _FORMATS:
        return json_error(404, "NOT_FOUND", "no such export")
    export = await _export_for(request)
    if export is None:
        return json_error(404, "NOT_FOUND", "client organisation not found")
    return await _respond(request, export, request.path_params["client_id"])


async def findings(request: Request) -> Response:
    """`/exports/readiness/{report_id}/findings.{fmt}`: the report must be visible and done."""
    principal = request.state.principal
    if principal is None:
        return unauthenticated()
    if request.path_params["fmt"] not in _FORMATS:
        return json_error(404, "NOT_FOUND", "no such export")
    report_id: uuid.UUID = request.path_params["report_id"]
    where = [
        m.ReadinessReport.id == report_id,
        m.ReadinessReport.status == m.ReportStatus.SUCCEEDED,
        visible(m.ReadinessReport, principal),
    ]
    async with tenant_connection(request.state.engine, principal.tenant) as conn:
        found = await conn.scalar(select(m.ReadinessReport.id).where(*where))
    if found is None:
        return json_error(404, "NOT_FOUND", "report not found")
    export = report_findings(report_id, visible(m.ReadinessReport, principal))
    return await _respond(request, export, report_id)


async def _respond(request: Request, export: TableExport, subject: uuid.UUID) -> Response:
    name = f"{export.name}-{subject}.{request.path_params['fmt']}"
    if request.path_params["fmt"] == "csv":
        chunks = csv_chunks(export.header, _rows(request, export))
        return StreamingResponse(
            chunks, media_type="text/csv; charset=utf-8", headers=_headers(name)
        )
    spool = tempfile.SpooledTemporaryFile(max_size=1 << 20)  # noqa: SIM115 (closed by _chunks)
    try:
        await write_xlsx(spool, export.name, export.header, _rows(request, export))
    except BaseException:
        spool.close()
        raise
    return StreamingResponse(_chunks(spool), media_type=_XLSX, headers=_headers(name))


async def _chunks(spool: IO[bytes]) -> AsyncIterator[bytes]:
    try:
        spool.seek(0)
        while chunk := spool.read(1 << 16):
            yield chunk
    finally:
        spool.close()


ROUTES: list[BaseRoute] = [
    Route(
        "/clients/{client_id:uuid}/{kind:str}.{fmt:str}",
        download,
        methods=["GET"],
    ),
    Route("/readiness/{report_id:uuid}/findings.{fmt:str}", findings, methods=["GET"]),
    # The file of a finished export job (requestExport), server/routes/export_files.py.
    Route("/files/{export_id:uuid}", download_file, methods=["GET"]),
]
exports_mount = Mount("/exports", routes=ROUTES)
