"""The columns every row a job builds carries (readiness reports, exports): its status from
QUEUED to SUCCEEDED or FAILED, who asked and when, when a run started and ended, how many
runs it took (arq runs a job at least once) and why it failed."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Integer, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column

from tenants.models.enums import ReportStatus, enum_type


class QueuedWork:
    status: Mapped[ReportStatus] = mapped_column(
        enum_type(ReportStatus, "status"), nullable=False, default=ReportStatus.QUEUED
    )
    requested_by: Mapped[str] = mapped_column(String(200), nullable=False)
    requested_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), nullable=False, server_default=func.now()
    )
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    attempts: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    failure_reason: Mapped[str | None] = mapped_column(Text)
