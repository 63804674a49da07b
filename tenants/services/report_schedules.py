"""The tenant's engagement health report schedule and webhook."""

from __future__ import annotations

import base64
import binascii
import uuid
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy.ext.asyncio import AsyncSession

from tenants.models import ReportSchedule
from tenants.services.audit import Actor, record_audit, snapshot
from tenants.services.changes import Changes, Rule, between
from tenants.services.persistence import check_whole_version, write_whole
from tenants.services.secret_box import SecretBox, UndecryptableSecretError
from tenants.services.validation import Collector

SCHEDULE_ID = 1  # one row per tenant schema
# Audit events name objects by uuid; the schedule's integer key gets a fixed one.
SCHEDULE_AUDIT_ID = uuid.uuid5(uuid.NAMESPACE_URL, "steward:report-schedule")


def _webhook_url(c: Collector, field: str, url: str) -> str | None:
    cleaned = c.optional_text(field, url, max_length=2000)
    if cleaned is None:
        return None
    parts = urlsplit(cleaned)
    local = parts.hostname in ("localhost", "127.0.0.1", "::1")
    if parts.scheme != "https" and not (parts.scheme == "http" and local):
        c.add(field, "must be an https:// URL")
    elif not parts.hostname:
        c.add(field, "must name a host")
    return cleaned


def _redacted(values: dict[str, Any]) -> dict[str, Any]:
    encrypted = values.pop("webhook_secret_encrypted", None)
    legacy = values.pop("legacy_webhook_secret", None)
    return values | {"webhook_secret": "<set>" if encrypted or legacy else None}


def _ciphertext(box: SecretBox, row: ReportSchedule | None, secret: str | None) -> str | None:
    """The secret encrypted; the stored ciphertext when it is the same secret, so sending
    an unchanged configuration back changes nothing (no new version, no audit event)."""
    if secret is None:
        return None
    stored = row.webhook_secret_encrypted if row is not None else None
    if stored is not None:
        try:
            if box.decrypt(stored) == secret:
                return stored
        except UndecryptableSecretError:
            pass  # under a replaced key: encrypt it anew
    return box.encrypt(secret)


def _standard_webhooks_secret(secret: str) -> bool:
    """`whsec_<base64>` with a key of 24 to 64 bytes, as Standard Webhooks libraries take."""
    if not secret.startswith("whsec_"):
        return False
    try:
        key = base64.b64decode(secret[len("whsec_") :], validate=True)
    except (binascii.Error, ValueError):
        return False
    return 24 <= len(key) <= 64


def _webhook_secret(c: Collector, field: str, value: str) -> str | None:
    secret = c.optional_text(field, value, max_length=200)
    if secret is not None and not _standard_webhooks_secret(secret):
        c.add(
            field,
            "must be a Standard Webhooks secret: whsec_ and the base64 of 24 to 64 random bytes",
        )
    return secret


def _signed(c: Collector, row: Mapping[str, Any]) -> None:
    """A webhook needs a secret: deliveries are signed."""
    unsigned = row["webhook_url"] is not None and row["webhook_secret"] is None
    if unsigned and not c.has("webhook_secret"):
        c.add("webhook_secret", "is required with a webhook URL (deliveries are signed)")


def _time_zone(c: Collector, field: str, value: str) -> str:
    return c.time_zone(field, value)


# The schedule's fields, checked only: it is one row written whole (created, or replaced as
# `configure`), with its secret encrypted and kept out of the audit trail, so the write is
# its own. `webhook_secret` is the clear secret given, stored only encrypted.
SCHEDULE_CHANGES = Changes(
    ReportSchedule,
    Rule("weekday", between(0, 6), nullable=False),
    Rule("hour", between(0, 23), nullable=False),
    Rule("minute", between(0, 59), nullable=False),
    Rule("timezone", _time_zone, nullable=False),
    Rule("enabled", nullable=False),
    Rule("webhook_url", _webhook_url),
    Rule("webhook_secret", _webhook_secret),
    cross=[_signed],
)


async def configure_report_schedule(
    session: AsyncSession,
    *,
    actor: Actor,
    expected_version: int | None,
    box: SecretBox,
    **values: Any,
) -> ReportSchedule:
    """Create or replace the schedule from every field of `SCHEDULE_CHANGES`;
    `expected_version` is None only for the first one.

    The webhook secret is stored only encrypted with `box`, never in clear.
    """
    changes = SCHEDULE_CHANGES.checked_or_raise(values)
    row = await session.get(ReportSchedule, SCHEDULE_ID)
    before = snapshot(row) if row is not None else None
    check_whole_version(row, expected_version)
    changes["webhook_secret_encrypted"] = _ciphertext(box, row, changes.pop("webhook_secret"))
    changes["legacy_webhook_secret"] = None  # a clear-text secret of revision 0003 goes too
    row = await write_whole(
        session, ReportSchedule, row, changes, key={"id": SCHEDULE_ID}, unique="pk_report_schedules"
    )
    await _audit(session, actor, before, row)
    await session.flush()
    return row


async def _audit(
    session: AsyncSession, actor: Actor, before: dict[str, Any] | None, row: ReportSchedule
) -> None:
    # The secret signs deliveries; neither it nor its ciphertext goes into the audit trail.
    after = _redacted(snapshot(row))
    if before is not None:
        rotated = before.get("webhook_secret_encrypted") != row.webhook_secret_encrypted
        before = _redacted(before)
        # Both sides read "<set>": say so when the secret itself was replaced.
        if rotated and row.webhook_secret_encrypted is not None:
            after["webhook_secret_changed"] = True
    await record_audit(
        session,
        actor=actor,
        action="configure" if before else "create",
        obj=row,
        before=before,
        after=after,
        object_id=SCHEDULE_AUDIT_ID,
    )
