"""A person at the client who can own processes."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import DateTime, Index, String, text
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Mapped, mapped_column

from tenants.base import TenantBase, Timestamps, UUIDPrimaryKey, Versioned, references
from tenants.models.enums import DecisionAuthority, enum_type


class Owner(UUIDPrimaryKey, Timestamps, Versioned, TenantBase):
    """`member_id` links the person to a login; it is a plain id, not a foreign key."""

    __tablename__ = "owners"
    __table_args__ = (
        Index("ix_owners_client_id_created_at_id", "client_id", "created_at", "id"),
        Index("ix_owners_client_id_name_id", "client_id", "name", "id"),
        # One live owner per email address within a client.
        Index(
            "uq_owners_client_id_email_live",
            "client_id",
            text("lower(email)"),
            unique=True,
            postgresql_where=text("archived_at IS NULL AND email IS NOT NULL"),
        ),
        Index("ix_owners_member_id", "member_id"),
    )

    client_id: Mapped[uuid.UUID] = references("client_organisations.id")
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    email: Mapped[str | None] = mapped_column(String(320))
    title: Mapped[str | None] = mapped_column(String(200))
    business_unit: Mapped[str | None] = mapped_column(String(200))
    decision_authority: Mapped[DecisionAuthority] = mapped_column(
        enum_type(DecisionAuthority, "decision_authority"),
        nullable=False,
        default=DecisionAuthority.NONE,
    )
    member_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    archived_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
