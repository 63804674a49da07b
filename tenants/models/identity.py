"""Who may log in to a tenant: members, the identity providers they come from, login attempts.

A member is identified by the (issuer, subject) pair its identity provider asserts,
never by e-mail alone: an e-mail address is only used once, to link an invited
member on first login, and only from an allowed domain of the right provider.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    ARRAY,
    Boolean,
    CheckConstraint,
    DateTime,
    Index,
    String,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from tenants.base import TenantBase, Timestamps, UUIDPrimaryKey, Versioned, references
from tenants.models.enums import enum_type
from tenants.principals import Role

# Spelled out for the CHECK constraints below; tenants/principals.py holds the roles.
_CLIENT_ROLES_SQL = "('client_owner', 'client_viewer')"


class MemberStatus(StrEnum):
    INVITED = "invited"
    ACTIVE = "active"
    DEACTIVATED = "deactivated"


class Member(UUIDPrimaryKey, Timestamps, Versioned, TenantBase):
    """A person who logs in. Client roles carry their client organisation; staff roles none."""

    __tablename__ = "members"
    __table_args__ = (
        UniqueConstraint("issuer", "subject", name="uq_members_issuer_subject"),
        CheckConstraint("(issuer IS NULL) = (subject IS NULL)", name="identity_pair"),
        CheckConstraint(
            f"(role IN {_CLIENT_ROLES_SQL}) = (client_organisation_id IS NOT NULL)",
            name="role_matches_organisation",
        ),
        CheckConstraint("status <> 'active' OR issuer IS NOT NULL", name="active_is_linked"),
        # One live member per e-mail address in a tenant: a second identity with
        # the same address is refused rather than silently merged.
        Index(
            "uq_members_email_live",
            text("lower(email)"),
            unique=True,
            postgresql_where=text("status <> 'deactivated'"),
        ),
        Index("ix_members_created_at_id", "created_at", "id"),
        Index("ix_members_client_organisation_id", "client_organisation_id"),
    )

    email: Mapped[str] = mapped_column(String(320), nullable=False)
    display_name: Mapped[str | None] = mapped_column(String(200))
    role: Mapped[Role] = mapped_column(enum_type(Role, "role"), nullable=False)
    client_organisation_id: Mapped[uuid.UUID | None] = references("client_organisations.id")
    issuer: Mapped[str | None] = mapped_column(String(500))
    subject: Mapped[str | None] = mapped_column(String(255))
    status: Mapped[MemberStatus] = mapped_column(
        enum_type(MemberStatus, "status"), nullable=False, default=MemberStatus.INVITED
    )
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class IdentityProvider(UUIDPrimaryKey, Timestamps, Versioned, TenantBase):
    """An OpenID provider: the tenant's staff one (no client organisation) or a client's.

    `client_secret_encrypted` is a Fernet token under STEWARD_SECRET_KEY; the
    plain secret is never stored or shown. `claim_role_mapping` is
    `{"claim": "groups", "values": {"steward-admins": "admin"}}`.
    """

    __tablename__ = "identity_providers"
    __table_args__ = (
        UniqueConstraint("issuer", "client_id", name="uq_identity_providers_issuer_client_id"),
        # At most one staff provider per tenant.
        Index(
            "uq_identity_providers_staff",
            text("(client_organisation_id IS NULL)"),
            unique=True,
            postgresql_where=text("client_organisation_id IS NULL"),
        ),
        Index("ix_identity_providers_client_organisation_id", "client_organisation_id"),
        CheckConstraint(
            "(default_role IN " + _CLIENT_ROLES_SQL + ") = (client_organisation_id IS NOT NULL)",
            name="default_role_matches_organisation",
        ),
    )

    client_organisation_id: Mapped[uuid.UUID | None] = references("client_organisations.id")
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    issuer: Mapped[str] = mapped_column(String(500), nullable=False)
    client_id: Mapped[str] = mapped_column(String(500), nullable=False)
    client_secret_encrypted: Mapped[str] = mapped_column(Text, nullable=False)
    scopes: Mapped[list[str]] = mapped_column(ARRAY(Text), nullable=False)
    allowed_domains: Mapped[list[str]] = mapped_column(ARRAY(Text), nullable=False)
    claim_role_mapping: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    default_role: Mapped[Role] = mapped_column(enum_type(Role, "default_role"), nullable=False)
    # The claim mapping (issue 10): which claim is the e-mail (`email`; Entra ID:
    # `preferred_username` or `upn`), which the display name, and whether `email_verified`
    # must be true (strict by default; Entra ID sends none, so its providers turn it off).
    email_claim: Mapped[str] = mapped_column(
        String(100), nullable=False, default="email", server_default="email"
    )
    name_claim: Mapped[str] = mapped_column(
        String(100), nullable=False, default="name", server_default="name"
    )
    require_email_verified: Mapped[bool] = mapped_column(
        Boolean, nullable=False, default=True, server_default=text("true")
    )


class LoginAttempt(UUIDPrimaryKey, TenantBase):
    """One authorization request, consumed once by its callback.

    Only digests of `state` and of the browser-binding cookie are stored, so a
    read of this table cannot be replayed as a callback. The nonce and PKCE
    verifier must be kept as given: the token exchange and id-token check need them.
    """

    __tablename__ = "login_attempts"
    __table_args__ = (Index("ix_login_attempts_expires_at", "expires_at"),)

    state_hash: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    nonce: Mapped[str] = mapped_column(String(128), nullable=False)
    code_verifier: Mapped[str] = mapped_column(String(128), nullable=False)
    identity_provider_id: Mapped[uuid.UUID] = references(
        "identity_providers.id", ondelete="CASCADE"
    )
    issuer: Mapped[str] = mapped_column(String(500), nullable=False)
    next_path: Mapped[str] = mapped_column(String(2000), nullable=False)
    browser_binding_hash: Mapped[str] = mapped_column(String(64), nullable=False)
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), nullable=False
    )
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
