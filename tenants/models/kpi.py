"""A KPI of a process: a target and the latest measured value."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal

from sqlalchemy import DateTime, Index, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from tenants.base import TenantBase, Timestamps, UUIDPrimaryKey, Versioned, references
from tenants.models.enums import KpiDirection, enum_type


class ProcessKpi(UUIDPrimaryKey, Timestamps, Versioned, TenantBase):
    """A table, not JSON on the process: client owners update values one KPI at a time."""

    __tablename__ = "process_kpis"
    __table_args__ = (
        UniqueConstraint("process_id", "name", name="uq_process_kpis_process_id_name"),
        Index("ix_process_kpis_process_id_created_at_id", "process_id", "created_at", "id"),
    )

    process_id: Mapped[uuid.UUID] = references("ai_processes.id")
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    unit: Mapped[str | None] = mapped_column(String(50))
    target: Mapped[Decimal | None] = mapped_column(Numeric(18, 4))
    direction: Mapped[KpiDirection] = mapped_column(
        enum_type(KpiDirection, "direction"), nullable=False, default=KpiDirection.HIGHER
    )
    latest_value: Mapped[Decimal | None] = mapped_column(Numeric(18, 4))
    measured_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    @property
    def on_target(self) -> bool | None:
        """Whether the latest value meets the target; None when either is missing."""
        if self.target is None or self.latest_value is None:
            return None
        if self.direction is KpiDirection.HIGHER:
            return self.latest_value >= self.target
        return self.latest_value <= self.target
