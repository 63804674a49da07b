"""Change management: a plan for a client (optionally one process) and its milestones."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from sqlalchemy import CheckConstraint, Date, Index, Integer, SmallInteger, String
from sqlalchemy import Text as TextType
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tenants.base import TenantBase, Timestamps, UUIDPrimaryKey, Versioned, references
from tenants.models.enums import ChangePlanStatus, MilestoneStatus, enum_type


class Milestone(UUIDPrimaryKey, Timestamps, Versioned, TenantBase):
    """Overdue when `due_on` has passed and it is neither completed nor cancelled."""

    __tablename__ = "milestones"
    __table_args__ = (
        CheckConstraint("position >= 0", name="position_nonnegative"),
        CheckConstraint(
            "(status = 'completed') = (completed_on IS NOT NULL)", name="completed_on_iff_done"
        ),
        Index("ix_milestones_plan_id_position_id", "plan_id", "position", "id"),
    )

    plan_id: Mapped[uuid.UUID] = references("change_plans.id")
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    due_on: Mapped[date | None] = mapped_column(Date)
    completed_on: Mapped[date | None] = mapped_column(Date)
    status: Mapped[MilestoneStatus] = mapped_column(
        enum_type(MilestoneStatus, "status"), nullable=False, default=MilestoneStatus.PLANNED
    )
    position: Mapped[int] = mapped_column(Integer, nullable=False, default=0)

    def overdue_on(self, day: date) -> bool:
        return (
            self.due_on is not None
            and self.due_on < day
            and self.status not in (MilestoneStatus.COMPLETED, MilestoneStatus.CANCELLED)
        )


class ChangePlan(UUIDPrimaryKey, Timestamps, Versioned, TenantBase):
    """`stakeholders` is a JSONB list of `{name, role, impact}`; readiness is 0-100."""

    __tablename__ = "change_plans"
    __table_args__ = (
        CheckConstraint("readiness >= 0 AND readiness <= 100", name="readiness_range"),
        Index("ix_change_plans_client_id_created_at_id", "client_id", "created_at", "id"),
        Index("ix_change_plans_process_id", "process_id"),
    )

    client_id: Mapped[uuid.UUID] = references("client_organisations.id")
    process_id: Mapped[uuid.UUID | None] = references("ai_processes.id")
    objective: Mapped[str] = mapped_column(TextType, nullable=False)
    stakeholders: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, nullable=False, default=list)
    communication_plan: Mapped[str | None] = mapped_column(TextType)
    readiness: Mapped[int] = mapped_column(SmallInteger, nullable=False, default=0)
    status: Mapped[ChangePlanStatus] = mapped_column(
        enum_type(ChangePlanStatus, "status"), nullable=False, default=ChangePlanStatus.DRAFT
    )
    due_on: Mapped[date | None] = mapped_column(Date)

    milestones: Mapped[list[Milestone]] = relationship(
        lazy="raise", order_by=lambda: (Milestone.position, Milestone.id)
    )
