"""Reports produced by jobs and stored with their rendered documents."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    Date,
    DateTime,
    Index,
    LargeBinary,
    Numeric,
    String,
    Text,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import Mapped, deferred, mapped_column

from tenants.base import TenantBase, Timestamps, UUIDPrimaryKey, Versioned, references
from tenants.models.enums import HealthStatus, enum_type
from tenants.models.queued_work import QueuedWork


class ReadinessReport(QueuedWork, UUIDPrimaryKey, Timestamps, Versioned, TenantBase):
    """Queued by a mutation, built by a job (at least once: `attempts` counts runs).

    `pillar_scores` is `{pillar: score}`; `findings` is `[{rule, pillar, severity,
    object_type, object_id, message, recommendation}]`. The rendered HTML and PDF are
    deferred columns so listing reports does not load documents.
    """

    __tablename__ = "readiness_reports"
    __table_args__ = (
        CheckConstraint("score IS NULL OR (score >= 0 AND score <= 100)", name="score_range"),
        CheckConstraint("attempts >= 0", name="attempts_nonnegative"),
        Index("ix_readiness_reports_client_id_requested_at_id", "client_id", "requested_at", "id"),
        Index("ix_readiness_reports_status", "status"),
    )

    client_id: Mapped[uuid.UUID] = references("client_organisations.id")
    score: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    pillar_scores: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False, default=dict)
    findings: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, nullable=False, default=list)
    html: Mapped[str | None] = deferred(mapped_column(Text))
    pdf: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    # The language asked for with the request; null means the tenant's branding locale.
    locale: Mapped[str | None] = mapped_column(String(10))


class EngagementHealthReport(UUIDPrimaryKey, TenantBase):
    """One per client and scheduled period, written once by the scheduled job; and one
    per `requestEngagementHealthReport` request (`request_id`), written once by its job."""

    __tablename__ = "engagement_health_reports"
    __table_args__ = (
        Index(
            "uq_engagement_health_reports_client_period",
            "client_id",
            "period_start",
            unique=True,
            postgresql_where=text("request_id IS NULL"),
        ),
        CheckConstraint("period_end >= period_start", name="period_ordered"),
    )

    client_id: Mapped[uuid.UUID] = references("client_organisations.id")
    period_start: Mapped[date] = mapped_column(Date, nullable=False)
    period_end: Mapped[date] = mapped_column(Date, nullable=False)
    status: Mapped[HealthStatus] = mapped_column(enum_type(HealthStatus, "status"), nullable=False)
    # [{code, message}] explaining the status.
    reasons: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, nullable=False, default=list)
    html: Mapped[str | None] = deferred(mapped_column(Text))
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), nullable=False, server_default=func.now()
    )
    # Set for a report asked for with requestEngagementHealthReport: the request's id,
    # so a retried or duplicated job writes one report per request.
    request_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True), unique=True)
