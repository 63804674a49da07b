"""An AI-enabled process of a client: the thing that must be owned."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, Index, String, Text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from tenants.base import TenantBase, Timestamps, UUIDPrimaryKey, Versioned, references
from tenants.models.enums import LIVE_STAGES, LifecycleStage, RiskTier, enum_type
from tenants.models.process_shapes import Boundaries, Checkpoint, EscalationLevel, Tool


class AIProcess(UUIDPrimaryKey, Timestamps, Versioned, TenantBase):
    """Boundaries, checkpoints, escalation path and tools are JSONB documents.

    Shapes (see `process_shapes`): boundaries `{steps: [{name, ai_role, description}],
    upstream, downstream, data_inputs, outputs}`; checkpoints `[{name, stage,
    reviewer_role, criteria}]`; escalation_path `[{level, trigger, contact,
    response_hours}]` ordered by level; tools `[{name, vendor, purpose}]`.
    """

    __tablename__ = "ai_processes"
    __table_args__ = (
        Index("ix_ai_processes_client_id_created_at_id", "client_id", "created_at", "id"),
        Index("ix_ai_processes_client_id_name_id", "client_id", "name", "id"),
    )

    client_id: Mapped[uuid.UUID] = references("client_organisations.id")
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    purpose: Mapped[str | None] = mapped_column(Text)
    business_unit: Mapped[str | None] = mapped_column(String(200))
    lifecycle_stage: Mapped[LifecycleStage] = mapped_column(
        enum_type(LifecycleStage, "lifecycle_stage"), nullable=False, default=LifecycleStage.IDEA
    )
    risk_tier: Mapped[RiskTier] = mapped_column(
        enum_type(RiskTier, "risk_tier"), nullable=False, default=RiskTier.MEDIUM
    )
    boundaries: Mapped[dict[str, Any]] = mapped_column(
        JSONB, nullable=False, default=lambda: Boundaries().to_json()
    )
    checkpoints: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, nullable=False, default=list)
    escalation_path: Mapped[list[dict[str, Any]]] = mapped_column(
        JSONB, nullable=False, default=list
    )
    tools: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, nullable=False, default=list)
    last_reviewed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    archived_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    @property
    def is_live(self) -> bool:
        """In pilot or production and not archived: it must have an accountable owner."""
        return self.archived_at is None and self.lifecycle_stage in LIVE_STAGES

    def parsed_boundaries(self) -> Boundaries:
        return Boundaries.from_json(self.boundaries)

    def parsed_checkpoints(self) -> list[Checkpoint]:
        return [Checkpoint.from_json(d) for d in self.checkpoints]

    def parsed_escalation_path(self) -> list[EscalationLevel]:
        return [EscalationLevel.from_json(d) for d in self.escalation_path]

    def parsed_tools(self) -> list[Tool]:
        return [Tool.from_json(d) for d in self.tools]
