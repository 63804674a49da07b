"""`GET /exports/files/{export_id}`: the file of a finished export (`requestExport`).

Same authorization as every export route: an authenticated principal (401 otherwise),
its tenant's session, and `schema.scoping.visible` on the export, so another tenant's
export, another organisation's for a client principal, or a TENANT export for anyone but
an admin is a 404 exactly like one that does not exist. An export still running, failed,
or past `expires_at` is a 404 too (its Export node says which). The file is read back one
stored chunk at a time (jobs/exports/job.py), never whole.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

from sqlalchemy import func, select
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from schema.scoping import visible
from server.responses import json_error, unauthenticated
from tenants import models as m
from tenants.registry import TenantRef
from tenants.session import tenant_connection

_TYPES = {
    m.ExportFormat.CSV: "text/csv; charset=utf-8",
    m.ExportFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    m.ExportFormat.JSONL: "application/x-ndjson",
}


def _filename(export: m.Export) -> str:
    subject = export.client_id or "tenant"
    return f"{export.kind.value}-{subject}-{export.id}.{export.format.value}"


async def _chunks(
    request: Request, tenant: TenantRef, export_id: uuid.UUID
) -> AsyncIterator[bytes]:
    c = m.ExportChunk
    query = select(c.data).where(c.export_id == export_id).order_by(c.seq)
    async with tenant_connection(request.state.engine, tenant) as conn:
        result = await conn.stream(query, execution_options={"yield_per": 1})
        async for (data,) in result:
            yield bytes(data)


async def download_file(request: Request) -> Response:
    principal = request.state.principal
    if principal is None:
        return unauthenticated()
    export_id: uuid.UUID = request.path_params["export_id"]
    e = m.Export
    async with tenant_connection(request.state.engine, principal.tenant) as conn:
        row = (
            await conn.execute(
                select(e.id, e.kind, e.format, e.client_id, e.byte_size).where(
                    e.id == export_id,
                    e.status == m.ReportStatus.SUCCEEDED,
                    e.expires_at > func.now(),
                    visible(m.Export, principal),
                )
            )
        ).first()
    if row is None:
        return json_error(404, "NOT_FOUND", "export not found, not finished or expired")
    export = m.Export(id=row.id, kind=row.kind, format=row.format, client_id=row.client_id)
    headers = {
        "Cache-Control": "private, no-store",
        "X-Content-Type-Options": "nosniff",
        "Content-Disposition": f'attachment; filename="{_filename(export)}"',
        "Content-Length": str(row.byte_size),
    }
    return StreamingResponse(
        _chunks(request, principal.tenant, export_id),
        media_type=_TYPES[row.format],
        headers=headers,
    )
