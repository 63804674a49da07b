"""A client organisation of the consultancy: the unit an engagement is run for."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, DateTime, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from tenants.base import TenantBase, Timestamps, UUIDPrimaryKey, Versioned
from tenants.models.enums import ClientSize, EngagementStatus, enum_type


class ClientOrganisation(UUIDPrimaryKey, Timestamps, Versioned, TenantBase):
    """Archived, never deleted: its processes, owners and reports keep their history."""

    __tablename__ = "client_organisations"
    __table_args__ = (
        CheckConstraint(
            "engagement_end IS NULL OR engagement_start IS NULL "
            "OR engagement_end >= engagement_start",
            name="engagement_dates_ordered",
        ),
        Index("ix_client_organisations_created_at_id", "created_at", "id"),
        Index("ix_client_organisations_name_id", "name", "id"),
    )

    name: Mapped[str] = mapped_column(String(200), nullable=False)
    industry: Mapped[str | None] = mapped_column(String(200))
    size: Mapped[ClientSize | None] = mapped_column(enum_type(ClientSize, "size"))
    region: Mapped[str | None] = mapped_column(String(200))
    engagement_status: Mapped[EngagementStatus] = mapped_column(
        enum_type(EngagementStatus, "engagement_status"),
        nullable=False,
        default=EngagementStatus.PROSPECT,
    )
    engagement_start: Mapped[date | None] = mapped_column(Date)
    engagement_end: Mapped[date | None] = mapped_column(Date)
    lead_consultant: Mapped[str | None] = mapped_column(String(200))
    archived_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
