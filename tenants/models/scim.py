"""SCIM 2.0 provisioning state: per-provider bearer tokens and the SCIM side of a member.

A provider's SCIM token is stored as a SHA-256 digest (256 random bits, like API tokens,
so a fast digest suffices). `ScimUser` links a member to the provider that provisioned
it and keeps the SCIM attributes Steward has no column for, so a GET returns what the
provider last wrote; the member row stays the source of e-mail, name, role and status.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, Index, String, func
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from tenants.base import TenantBase, Timestamps, UUIDPrimaryKey, Versioned, references


class ScimToken(UUIDPrimaryKey, TenantBase):
    """A bearer token one identity provider's SCIM client presents; revoked, never deleted."""

    __tablename__ = "scim_tokens"
    __table_args__ = (Index("ix_scim_tokens_identity_provider_id", "identity_provider_id"),)

    identity_provider_id: Mapped[uuid.UUID] = references(
        "identity_providers.id", ondelete="CASCADE"
    )
    token_digest: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    prefix: Mapped[str] = mapped_column(String(16), nullable=False)
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), nullable=False
    )
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ScimUser(Timestamps, Versioned, TenantBase):
    """The SCIM resource of a member provisioned by `identity_provider_id`."""

    __tablename__ = "scim_users"
    __table_args__ = (Index("ix_scim_users_identity_provider_id", "identity_provider_id"),)

    member_id: Mapped[uuid.UUID] = references("members.id", ondelete="CASCADE", primary_key=True)
    identity_provider_id: Mapped[uuid.UUID] = references(
        "identity_providers.id", ondelete="CASCADE"
    )
    external_id: Mapped[str | None] = mapped_column(String(500))
    attributes: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False)
    # Set by a SCIM DELETE: the member is deactivated and no provider sees it again.
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
