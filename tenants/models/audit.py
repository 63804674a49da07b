"""The audit trail: who changed which API fields of what, when, from what to what."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import BigInteger, DateTime, Identity, Index, String, func, text
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from tenants.base import TenantBase, UUIDPrimaryKey


class AuditActorKind(StrEnum):
    """Who acts: stored by value in `audit_events.actor_kind`."""

    MEMBER = "member"  # a signed-in member (browser session)
    API_TOKEN = "api_token"  # noqa: S105  (a kind, not a secret)
    CLI = "cli"  # an operator at the `steward` command line
    SYSTEM = "system"  # Steward itself: defaults, the demo seed, jobs
    SCIM = "scim"  # an identity provider's SCIM client
    IDENTITY = "identity"  # someone the IdP vouched for whose login was refused
    IDENTITY_PROVIDER = "identity_provider"  # a provider itself (back-channel logout)
    ANONYMOUS = "anonymous"  # a refused login with no verified identity


class AuditAction(StrEnum):
    """What an event did: stored by value in `audit_events.action`."""

    CREATE = "create"
    UPDATE = "update"
    ARCHIVE = "archive"
    RESTORE = "restore"
    DELETE = "delete"
    CONFIGURE = "configure"
    RECORD = "record"
    REVIEW = "review"
    REQUEST = "request"
    ASSIGN = "assign"
    END = "end"
    INVITE = "invite"
    UPDATE_ROLE = "update_role"
    DEACTIVATE = "deactivate"
    REACTIVATE = "reactivate"
    END_SESSIONS = "end_sessions"
    END_SESSION = "end_session"
    BACKCHANNEL_LOGOUT = "backchannel_logout"
    REVOKE = "revoke"
    LOGIN = "login"
    LOGIN_FAILED = "login_failed"
    LOGOUT = "logout"
    ISSUE_SCIM_TOKEN = "issue_scim_token"  # noqa: S105  (an action, not a secret)
    REVOKE_SCIM_TOKENS = "revoke_scim_tokens"
    SCIM_CREATE = "scim_create"
    SCIM_REPLACE = "scim_replace"
    SCIM_UPDATE = "scim_update"
    SCIM_DELETE = "scim_delete"


class AuditEvent(UUIDPrimaryKey, TenantBase):
    """Append-only: written in the transaction of the change it records, never updated.

    `seq` orders events written in the same transaction, which share `at` (now()).
    `changes` is `[{field, before, after}]` by API field name with global ids, only the
    fields that changed (a create: those it set; a delete: those the object had).
    `actor` is the actor's label as it was when they acted (kept, not resolved later).
    """

    __tablename__ = "audit_events"
    __table_args__ = (
        Index("ix_audit_events_object", "object_type", "object_id", "at", "seq"),
        Index("ix_audit_events_at_seq", "at", "seq"),
        Index("ix_audit_events_client_id_at", "client_id", "at"),
        # The activity feed: newest first (a backward scan), tenant-wide or by one filter.
        Index("ix_audit_events_seq", "seq"),
        Index("ix_audit_events_client_seq", "client_id", "seq"),
        Index("ix_audit_events_type_seq", "object_type", "seq"),
        Index("ix_audit_events_actor_seq", "actor_id", "seq"),
        Index("ix_audit_events_actor_kind_seq", "actor_kind", "seq"),
    )

    seq: Mapped[int] = mapped_column(BigInteger, Identity(always=True), nullable=False)
    actor: Mapped[str] = mapped_column(String(200), nullable=False)
    actor_kind: Mapped[str] = mapped_column(String(32), nullable=False)
    # The member, token or identity provider that acted (None for the CLI, the system).
    actor_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    action: Mapped[str] = mapped_column(String(64), nullable=False)
    object_type: Mapped[str] = mapped_column(String(64), nullable=False)
    object_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), nullable=False)
    # The client organisation the object belongs to (None for tenant-wide data such
    # as capability dimensions), so a client principal's audit view is one filter.
    # No foreign key: the trail outlives nothing, but must never block an archive.
    client_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    changes: Mapped[list[dict[str, Any]]] = mapped_column(
        JSONB, nullable=False, server_default=text("'[]'::jsonb")
    )
    at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), nullable=False, server_default=func.now()
    )

    def before(self, field: str) -> Any:
        """The value `field` had before this event (None when it did not change)."""
        return next((c["before"] for c in self.changes if c["field"] == field), None)

    def after(self, field: str) -> Any:
        """The value `field` has after this event (None when it did not change)."""
        return next((c["after"] for c in self.changes if c["field"] == field), None)

    @property
    def changed_fields(self) -> list[str]:
        return [c["field"] for c in self.changes]
