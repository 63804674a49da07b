"""Per-tenant settings of the scheduled engagement health reports, and webhook attempts."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    DateTime,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column

from tenants.base import TenantBase, Timestamps, UUIDPrimaryKey, Versioned, references


class ReportSchedule(Timestamps, Versioned, TenantBase):
    """The one row of a tenant's schedule (`id` is always 1); no row means the defaults.

    Health reports are weekly: they are due at `weekday` (0 = Monday) `hour`:`minute`
    in `timezone` (an IANA name), default Mondays 06:00 UTC. `webhook_url`, when set,
    receives webhook events signed by the Standard Webhooks scheme with the webhook secret.
    """

    __tablename__ = "report_schedules"
    __table_args__ = (
        CheckConstraint("id = 1", name="singleton"),
        CheckConstraint("weekday >= 0 AND weekday <= 6", name="weekday_range"),
        CheckConstraint("hour >= 0 AND hour <= 23", name="hour_range"),
        CheckConstraint("minute >= 0 AND minute <= 59", name="minute_range"),
    )

    id: Mapped[int] = mapped_column(SmallInteger, primary_key=True, default=1)
    enabled: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    weekday: Mapped[int] = mapped_column(SmallInteger, nullable=False, default=0)
    hour: Mapped[int] = mapped_column(SmallInteger, nullable=False, default=6)
    minute: Mapped[int] = mapped_column(SmallInteger, nullable=False, default=0)
    timezone: Mapped[str] = mapped_column(String(64), nullable=False, default="UTC")
    webhook_url: Mapped[str | None] = mapped_column(String(2000))
    # The secret is needed in clear to sign deliveries, so it is encrypted, not hashed:
    # a Fernet token under STEWARD_SECRET_KEY (tenants/services/secret_box.py), which
    # only the worker decrypts.
    webhook_secret_encrypted: Mapped[str | None] = mapped_column(Text)
    # Revision 0003 kept the secret in clear here. The worker encrypts such a value
    # the next time it delivers (jobs/webhooks.py) and clears this column.
    legacy_webhook_secret: Mapped[str | None] = mapped_column("webhook_secret", String(200))


class WebhookDelivery(UUIDPrimaryKey, TenantBase):
    """One attempt to deliver one webhook event (jobs/webhooks.py).

    The event is about one report: a health report (`report_id`) or a readiness report
    (`readiness_report_id`), exactly one of the two. `message_id` is the Standard Webhooks
    `webhook-id`, the same for every attempt at one event, so a receiver drops repeats.
    """

    __tablename__ = "webhook_deliveries"
    __table_args__ = (
        Index("ix_webhook_deliveries_report_id_attempt", "report_id", "attempt"),
        Index("ix_webhook_deliveries_message_id_attempt", "message_id", "attempt"),
        Index("ix_webhook_deliveries_attempted_at_id", "attempted_at", "id"),
        CheckConstraint("attempt >= 1", name="attempt_positive"),
        CheckConstraint("num_nonnulls(report_id, readiness_report_id) = 1", name="one_subject"),
    )

    event: Mapped[str] = mapped_column(
        String(64), nullable=False, server_default="health_report.created"
    )
    message_id: Mapped[str] = mapped_column(String(100), nullable=False)
    report_id: Mapped[uuid.UUID | None] = references("engagement_health_reports.id")
    readiness_report_id: Mapped[uuid.UUID | None] = references("readiness_reports.id")
    attempt: Mapped[int] = mapped_column(Integer, nullable=False)
    url: Mapped[str] = mapped_column(String(2000), nullable=False)
    status_code: Mapped[int | None] = mapped_column(Integer)
    error: Mapped[str | None] = mapped_column(Text)
    succeeded: Mapped[bool] = mapped_column(Boolean, nullable=False)
    attempted_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), nullable=False, server_default=func.now()
    )
