"""Export requests (`requestExport`): the row a worker fills in (jobs/exports/job.py).

One request makes exactly one export: a new row with its own id, whose job id is derived
from it, so a job run twice or enqueued twice still writes one file. Requests are
rate-limited per subject (one client, or the whole tenant) to `RATE_LIMIT` in
`RATE_WINDOW_S`, counted on the exports themselves with PostgreSQL's clock, so the limit
holds across server processes; requests for one subject take turns on a transaction-level
advisory lock, so two at once cannot both pass the count.
"""

from __future__ import annotations

import uuid

from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from tenants.errors import DomainError, ErrorCode, validation
from tenants.models import ClientOrganisation, Export, ExportFormat, ExportKind, ReportStatus
from tenants.services.audit import Actor, add_audited
from tenants.services.validation import Collector

RATE_LIMIT = 5
RATE_WINDOW_S = 60
TABLE_KINDS = frozenset({ExportKind.PROCESSES, ExportKind.OWNERS})
FORMATS: dict[ExportKind, frozenset[ExportFormat]] = {
    ExportKind.PROCESSES: frozenset({ExportFormat.CSV, ExportFormat.XLSX}),
    ExportKind.OWNERS: frozenset({ExportFormat.CSV, ExportFormat.XLSX}),
    ExportKind.ENGAGEMENT: frozenset({ExportFormat.JSONL}),
    ExportKind.TENANT: frozenset({ExportFormat.JSONL}),
}
CLIENT_FIELD = "clientOrganisationId"


def _check_shape(kind: ExportKind, fmt: ExportFormat, client_id: uuid.UUID | None) -> None:
    if fmt not in FORMATS[kind]:
        allowed = " or ".join(sorted(f.name for f in FORMATS[kind]))
        raise validation("format", f"a {kind.name} export is written as {allowed}")
    if kind is ExportKind.TENANT and client_id is not None:
        raise validation(CLIENT_FIELD, "a TENANT export covers every client: leave this out")
    if kind is not ExportKind.TENANT and client_id is None:
        raise validation(CLIENT_FIELD, f"a {kind.name} export is of one client: give its id")


async def _rate_limit(session: AsyncSession, tenant: str, client_id: uuid.UUID | None) -> None:
    # hashtext of tenant and subject: a collision only makes two subjects take turns.
    key = f"steward.export:{tenant}:{client_id or 'tenant'}"
    await session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:k))"), {"k": key})
    e = Export
    same = e.client_id == client_id if client_id is not None else e.client_id.is_(None)
    recent = await session.scalar(
        select(func.count()).where(
            same, e.requested_at > func.now() - func.make_interval(0, 0, 0, 0, 0, 0, RATE_WINDOW_S)
        )
    )
    if int(recent or 0) >= RATE_LIMIT:
        raise DomainError.one(
            CLIENT_FIELD if client_id is not None else None,
            ErrorCode.UNAVAILABLE,
            f"at most {RATE_LIMIT} exports a minute of one client (or of the tenant); "
            "try again in a minute",
        )


async def request_export(
    session: AsyncSession,
    *,
    actor: Actor,
    tenant: str,
    kind: ExportKind,
    fmt: ExportFormat,
    client_id: uuid.UUID | None,
) -> Export:
    """Record one export request in state QUEUED; the caller enqueues its job after commit.

    `tenant` is the tenant's slug, which keeps the rate limit's lock to its own tenant."""
    _check_shape(kind, fmt, client_id)
    if client_id is not None:
        c = Collector()
        await c.load(session, ClientOrganisation, client_id, CLIENT_FIELD)
        c.raise_if_any()
    await _rate_limit(session, tenant, client_id)
    export = Export(
        client_id=client_id,
        kind=kind,
        format=fmt,
        status=ReportStatus.QUEUED,
        requested_by=actor.label,
    )
    await add_audited(session, export, actor=actor, action="request")
    return export
