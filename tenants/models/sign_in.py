"""The sign-in record administrators read: one row per login attempt that reached the tenant.

Kept for STEWARD_SIGNIN_ATTEMPT_RETENTION_DAYS (the worker's sweeper prunes older rows).
It names the member (id and e-mail) only when the attempt got far enough to know who it
was; otherwise at most the e-mail domain the provider asserted. Never a token, code,
state or provider error text.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import DateTime, Index, String, func
from sqlalchemy.orm import Mapped, mapped_column

from tenants.base import TenantBase, UUIDPrimaryKey, references
from tenants.models.enums import enum_type


class SignInOutcome(StrEnum):
    SUCCEEDED = "succeeded"
    REFUSED = "refused"


class SignInAttempt(UUIDPrimaryKey, TenantBase):
    """One login attempt's outcome (success, or the refusal's reason code)."""

    __tablename__ = "sign_in_attempts"
    __table_args__ = (Index("ix_sign_in_attempts_occurred_at_id", "occurred_at", "id"),)

    occurred_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), nullable=False
    )
    outcome: Mapped[SignInOutcome] = mapped_column(
        enum_type(SignInOutcome, "sign_in_outcome"), nullable=False
    )
    # A tenants.services.login_refusals.Refusal value; null for a success. Not a CHECK:
    # a new refusal code must not need a migration.
    reason: Mapped[str | None] = mapped_column(String(64))
    identity_provider_id: Mapped[uuid.UUID | None] = references(
        "identity_providers.id", ondelete="SET NULL"
    )
    # The provider's name at the time, so the record still reads after it is removed.
    identity_provider_name: Mapped[str | None] = mapped_column(String(200))
    member_id: Mapped[uuid.UUID | None] = references("members.id", ondelete="SET NULL")
    email: Mapped[str | None] = mapped_column(String(320))
    email_domain: Mapped[str | None] = mapped_column(String(255))
