"""Rendered report documents: `/reports/readiness/{id}.html|.pdf`, `/reports/health/{id}.html`.

Same authorization as the GraphQL objects: an authenticated principal (401 otherwise),
a session bound to the principal's tenant, and `schema.scoping.visible`, so another
tenant's report, or another client's for a client principal, is a 404 exactly like
one that does not exist. `{id}` is the report's UUID (the `htmlUrl` / `pdfUrl` fields).
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy import select
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Mount, Route

from schema.scoping import visible
from server.responses import json_error, unauthenticated
from tenants import models as m
from tenants.session import tenant_session

_DOCUMENT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
_HTML = "text/html; charset=utf-8"
_PDF = "application/pdf"

Endpoint = Callable[[Request], Awaitable[Response]]


def _not_found() -> Response:
    return json_error(404, "NOT_FOUND", "report not found")


async def _document(request: Request, model: type[Any], column: Any) -> Any:
    principal = request.state.principal
    rid: uuid.UUID = request.path_params["report_id"]
    where = [model.id == rid, visible(model, principal)]
    if model is m.ReadinessReport:
        where.append(model.status == m.ReportStatus.SUCCEEDED)
    async with tenant_session(request.state.engine, principal.tenant) as db:
        return await db.scalar(select(column).where(*where))


def _headers(filename: str, disposition: str = "inline") -> dict[str, str]:
    return {
        "Cache-Control": "private, no-store",
        "Content-Security-Policy": _DOCUMENT_CSP,
        "X-Content-Type-Options": "nosniff",
        "Content-Disposition": f'{disposition}; filename="{filename}"',
    }


def _serving(model: type[Any], column: Any, name: str, media_type: str) -> Endpoint:
    """The endpoint for one stored document of `model` (its `column`), downloaded as
    `{name}-{id}.{extension}` with the document headers."""
    extension = "pdf" if media_type == _PDF else "html"

    async def endpoint(request: Request) -> Response:
        if request.state.principal is None:
            return unauthenticated()
        body = await _document(request, model, column)
        if body is None:
            return _not_found()
        filename = f"{name}-{request.path_params['report_id']}.{extension}"
        # A PDF column may come back as a memoryview; Response wants bytes (or HTML's str).
        content = body if isinstance(body, str) else bytes(body)
        return Response(content, media_type=media_type, headers=_headers(filename))

    return endpoint


readiness_html = _serving(m.ReadinessReport, m.ReadinessReport.html, "readiness", _HTML)
readiness_pdf = _serving(m.ReadinessReport, m.ReadinessReport.pdf, "readiness", _PDF)
health_html = _serving(m.EngagementHealthReport, m.EngagementHealthReport.html, "health", _HTML)


ROUTES: list[BaseRoute] = [
    Route("/readiness/{report_id:uuid}.html", readiness_html, methods=["GET"]),
    Route("/readiness/{report_id:uuid}.pdf", readiness_pdf, methods=["GET"]),
    Route("/health/{report_id:uuid}.html", health_html, methods=["GET"]),
]
reports_mount = Mount("/reports", routes=ROUTES)
