"""Export jobs and the files they make, stored in the tenant's own schema.

A file is kept as numbered chunks (`export_chunks`), written by the job in one transaction
with the export's SUCCEEDED status, and read back one chunk at a time by the download
route, so neither side holds a whole file in memory. Both tables are derived data: they
expire and are left out of a tenant's JSON export (jobs/exports/tenant_json.py).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    DateTime,
    Index,
    Integer,
    LargeBinary,
)
from sqlalchemy.orm import Mapped, mapped_column

from tenants.base import TenantBase, Timestamps, UUIDPrimaryKey, Versioned, references
from tenants.models.enums import enum_type
from tenants.models.queued_work import QueuedWork


class ExportKind(StrEnum):
    PROCESSES = "processes"  # a client's process register (CSV or XLSX)
    OWNERS = "owners"  # a client's owners with hours and latest assessment (CSV or XLSX)
    ENGAGEMENT = "engagement"  # one client engagement as JSON lines
    TENANT = "tenant"  # the whole tenant as JSON lines, for offboarding


class ExportFormat(StrEnum):
    CSV = "csv"
    XLSX = "xlsx"
    JSONL = "jsonl"


class Export(QueuedWork, UUIDPrimaryKey, Timestamps, Versioned, TenantBase):
    """One requested export: QUEUED, RUNNING (with rows written of rows in total), then
    SUCCEEDED with a file until `expires_at`, or FAILED with the reason."""

    __tablename__ = "exports"
    __table_args__ = (
        Index("ix_exports_requested_at_id", "requested_at", "id"),
        Index("ix_exports_client_id_requested_at", "client_id", "requested_at"),
        CheckConstraint("rows_written >= 0", name="rows_written_nonnegative"),
        CheckConstraint("attempts >= 0", name="attempts_nonnegative"),
        CheckConstraint("(kind = 'tenant') = (client_id IS NULL)", name="client_unless_tenant"),
    )

    client_id: Mapped[uuid.UUID | None] = references("client_organisations.id")
    kind: Mapped[ExportKind] = mapped_column(enum_type(ExportKind, "kind"), nullable=False)
    format: Mapped[ExportFormat] = mapped_column(enum_type(ExportFormat, "format"), nullable=False)
    expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    rows_written: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    rows_total: Mapped[int | None] = mapped_column(Integer)
    byte_size: Mapped[int | None] = mapped_column(BigInteger)


class ExportChunk(TenantBase):
    """One piece of an export's file, in order of `seq`."""

    __tablename__ = "export_chunks"

    export_id: Mapped[uuid.UUID] = references("exports.id", ondelete="CASCADE", primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)
