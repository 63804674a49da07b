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
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    func,
)
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Mapped, mapped_column

from tenants.base import TenantBase, Timestamps, UUIDPrimaryKey, Versioned
from tenants.models.enums import ReportStatus, enum_type


class ExportKind(StrEnum):
    PROCESSES = "processes"  # a client's process register (CSV or XLSX)
    OWNERS = "owners"  # a client's owners with hours and latest assessment (CSV or XLSX)
    ENGAGEMENT = "engagement"  # one client engagement as JSON lines
    TENANT = "tenant"  # the whole tenant as JSON lines, for offboarding


class ExportFormat(StrEnum):
    CSV = "csv"
    XLSX = "xlsx"
    JSONL = "jsonl"


class Export(UUIDPrimaryKey, Timestamps, Versioned, TenantBase):
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

    client_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("client_organisations.id")
    )
    kind: Mapped[ExportKind] = mapped_column(enum_type(ExportKind, "kind"), nullable=False)
    format: Mapped[ExportFormat] = mapped_column(enum_type(ExportFormat, "format"), nullable=False)
    status: Mapped[ReportStatus] = mapped_column(
        enum_type(ReportStatus, "status"), nullable=False, default=ReportStatus.QUEUED
    )
    requested_by: Mapped[str] = mapped_column(String(200), nullable=False)
    requested_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), nullable=False, server_default=func.now()
    )
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    rows_written: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    rows_total: Mapped[int | None] = mapped_column(Integer)
    byte_size: Mapped[int | None] = mapped_column(BigInteger)
    attempts: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    failure_reason: Mapped[str | None] = mapped_column(Text)


class ExportChunk(TenantBase):
    """One piece of an export's file, in order of `seq`."""

    __tablename__ = "export_chunks"

    export_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("exports.id", ondelete="CASCADE"), primary_key=True
    )
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)
