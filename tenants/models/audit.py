"""The audit trail: who changed what, when, with before and after values."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, DateTime, Identity, Index, String, func
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from tenants.base import TenantBase, UUIDPrimaryKey


class AuditEvent(UUIDPrimaryKey, TenantBase):
    """Append-only: written in the transaction of the change it records, never updated.

    `seq` orders events written in the same transaction, which share `at` (now()).
    """

    __tablename__ = "audit_events"
    __table_args__ = (
        Index("ix_audit_events_object", "object_type", "object_id", "at", "seq"),
        Index("ix_audit_events_at_seq", "at", "seq"),
        Index("ix_audit_events_client_id_at", "client_id", "at"),
    )

    seq: Mapped[int] = mapped_column(BigInteger, Identity(always=True), nullable=False)
    actor: Mapped[str] = mapped_column(String(200), nullable=False)
    actor_kind: Mapped[str] = mapped_column(String(32), nullable=False)
    action: Mapped[str] = mapped_column(String(64), nullable=False)
    object_type: Mapped[str] = mapped_column(String(64), nullable=False)
    object_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), nullable=False)
    # The client organisation the object belongs to (None for tenant-wide data such
    # as capability dimensions), so a client principal's audit view is one filter.
    # No foreign key: the trail outlives nothing, but must never block an archive.
    client_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    before: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), nullable=False, server_default=func.now()
    )
