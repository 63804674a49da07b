"""The Export node: one requested export, its progress and, once done, its file."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from enum import Enum
from typing import TYPE_CHECKING, Any

import strawberry
from sqlalchemy import Float, Text, case, func, literal
from sqlalchemy import cast as sql_cast

from schema.compiled.sql import Expr, Row, context, sql
from schema.context import Info
from schema.enums import ReportStatus
from schema.links import link
from schema.node import Node, node_type, register_node
from tenants import models as m

if TYPE_CHECKING:
    pass


@strawberry.enum(name="ExportKind", description="What an export holds.")
class ExportKind(Enum):
    PROCESSES = strawberry.enum_value(
        m.ExportKind.PROCESSES.value,
        description="One client's process register (CSV or XLSX): process, business unit, "
        "stage, risk tier, accountable owner and hours, last review.",
    )
    OWNERS = strawberry.enum_value(
        m.ExportKind.OWNERS.value,
        description="One client's owners (CSV or XLSX) with current hours a week and "
        "latest capability assessment.",
    )
    ENGAGEMENT = strawberry.enum_value(
        m.ExportKind.ENGAGEMENT.value,
        description="One client engagement as JSON lines, every object, relation and audit "
        "event (the `steward tenants export --client` format). Staff only.",
    )
    TENANT = strawberry.enum_value(
        m.ExportKind.TENANT.value,
        description="The whole tenant as JSON lines, for offboarding; `steward tenants "
        "import` reads it back. Admins only, and only admins see these exports.",
    )


@strawberry.enum(name="ExportFormat", description="The file format of an export.")
class ExportFormat(Enum):
    CSV = strawberry.enum_value(
        m.ExportFormat.CSV.value, description="UTF-8 CSV (RFC 4180); PROCESSES and OWNERS."
    )
    XLSX = strawberry.enum_value(
        m.ExportFormat.XLSX.value, description="An Excel workbook; PROCESSES and OWNERS."
    )
    JSONL = strawberry.enum_value(
        m.ExportFormat.JSONL.value,
        description="JSON lines, one object a line; ENGAGEMENT and TENANT.",
    )


def _download_url(row: Row) -> Any:
    """`ExportNode.download_url` in SQL: the file's address while it is there."""
    url = literal(f"{context().base_url}/exports/files/", Text) + sql_cast(row.col("id"), Text)
    ready = (row.col("status") == m.ReportStatus.SUCCEEDED) & (row.col("expires_at") > func.now())
    return case((ready, url), else_=None)


@node_type(
    "Export",
    description="An export requested with requestExport: QUEUED, then RUNNING (rowsWritten "
    "of rowsTotal), then SUCCEEDED with a file at downloadUrl until expiresAt, or FAILED. "
    "Poll it with node(id:). Client principals see their own organisation's PROCESSES and "
    "OWNERS exports; only admins see TENANT exports.",
)
class ExportNode(Node):
    client_id: strawberry.Private[uuid.UUID | None]
    version: int = strawberry.field(description="Changes with every progress update.")
    kind: ExportKind = strawberry.field(description="What the export holds.")
    format: ExportFormat = strawberry.field(description="The file's format.")
    status: ReportStatus = strawberry.field(  # type: ignore[valid-type]
        description="QUEUED, RUNNING, SUCCEEDED or FAILED."
    )
    rows_written: int = strawberry.field(
        description="Rows (table rows, or JSON lines after the header) written so far; "
        "saved about twice a second while RUNNING."
    )
    rows_total: int | None = strawberry.field(
        description="Rows the export will write in all; null until the job has counted them."
    )
    byte_size: float | None = strawberry.field(
        description="The file's size in bytes once SUCCEEDED (a Float: files may pass "
        "GraphQL Int's 2^31); null before.",
        metadata=sql(Expr(lambda row, _: sql_cast(row.col("byte_size"), Float))),
    )
    requested_by: str = strawberry.field(description="Who asked (member or token label).")
    requested_at: datetime = strawberry.field(description="When it was asked for.")
    started_at: datetime | None = strawberry.field(description="When a worker last began it.")
    finished_at: datetime | None = strawberry.field(description="When it SUCCEEDED or FAILED.")
    expires_at: datetime | None = strawberry.field(
        description="Until when the file can be downloaded (STEWARD_EXPORT_TTL_HOURS after "
        "it SUCCEEDED); null before. After it the file is deleted."
    )
    failure_reason: str | None = strawberry.field(description="Why it FAILED; null otherwise.")
    attempts: int = strawberry.field(description="How many times a worker started it.")

    FROM_MODEL = {
        "kind": lambda o: ExportKind(o.kind.value),
        "format": lambda o: ExportFormat(o.format.value),
        "byte_size": lambda o: None if o.byte_size is None else float(o.byte_size),
    }

    @strawberry.field(
        description="Where to GET the file (with the same credentials) while it is "
        "SUCCEEDED and not expired; null otherwise.",
        metadata=sql(Expr(lambda row, _: _download_url(row))),
    )
    def download_url(self, info: Info) -> str | None:
        ready = self.status is m.ReportStatus.SUCCEEDED
        if not ready or self.expires_at is None or self.expires_at <= datetime.now(UTC):
            return None
        base = str(info.context.request.base_url).rstrip("/")
        return f"{base}/exports/files/{self.db_id}"

    client_organisation = link(
        m.ClientOrganisation,
        "client_id",
        "schema.clients.types:ClientOrganisationNode",
        "The client organisation exported; null for a TENANT export.",
        attr="client_id",
    )


register_node(ExportNode, m.Export)
