"""Feedback loops of a process: periodic performance reviews and incidents."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import CheckConstraint, Date, DateTime, Index, SmallInteger, String
from sqlalchemy import Text as TextType
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from tenants.base import TenantBase, Timestamps, UUIDPrimaryKey, Versioned, references
from tenants.models.enums import IncidentSeverity, IncidentStatus, ReviewOutcome, enum_type


class ProcessReview(UUIDPrimaryKey, Timestamps, Versioned, TenantBase):
    """`kpi_snapshot`: the process's KPIs when reviewed, `[{name, unit, target,
    direction, latest_value, measured_at}]`, so later KPI edits do not rewrite history."""

    __tablename__ = "process_reviews"
    __table_args__ = (
        Index("ix_process_reviews_process_id_reviewed_on_id", "process_id", "reviewed_on", "id"),
    )

    process_id: Mapped[uuid.UUID] = references("ai_processes.id")
    reviewed_on: Mapped[date] = mapped_column(Date, nullable=False)
    reviewer: Mapped[str] = mapped_column(String(200), nullable=False)
    summary: Mapped[str] = mapped_column(TextType, nullable=False)
    outcome: Mapped[ReviewOutcome] = mapped_column(
        enum_type(ReviewOutcome, "outcome"), nullable=False
    )
    kpi_snapshot: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, nullable=False, default=list)


class Incident(UUIDPrimaryKey, Timestamps, Versioned, TenantBase):
    """`escalation_level` 0 means not escalated; n refers to the process's path level n."""

    __tablename__ = "incidents"
    __table_args__ = (
        CheckConstraint("escalation_level >= 0", name="escalation_level_nonnegative"),
        CheckConstraint(
            "resolved_at IS NULL OR resolved_at >= occurred_at", name="resolved_after_occurred"
        ),
        Index("ix_incidents_process_id_occurred_at_id", "process_id", "occurred_at", "id"),
        Index("ix_incidents_status", "status"),
    )

    process_id: Mapped[uuid.UUID] = references("ai_processes.id")
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    description: Mapped[str | None] = mapped_column(TextType)
    severity: Mapped[IncidentSeverity] = mapped_column(
        enum_type(IncidentSeverity, "severity"), nullable=False
    )
    status: Mapped[IncidentStatus] = mapped_column(
        enum_type(IncidentStatus, "status"), nullable=False, default=IncidentStatus.OPEN
    )
    escalation_level: Mapped[int] = mapped_column(SmallInteger, nullable=False, default=0)
    occurred_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
