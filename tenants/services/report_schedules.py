"""The tenant's engagement health report schedule and webhook."""

from __future__ import annotations

import base64
import binascii
import uuid
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy.ext.asyncio import AsyncSession

from tenants.errors import conflict
from tenants.models import ReportSchedule
from tenants.services.audit import Actor, record_audit, snapshot
from tenants.services.persistence import STALE_MESSAGE, apply, guarded_write
from tenants.services.secret_box import SecretBox, UndecryptableSecretError
from tenants.services.validation import Collector

SCHEDULE_ID = 1  # one row per tenant schema
# Audit events name objects by uuid; the schedule's integer key gets a fixed one.
SCHEDULE_AUDIT_ID = uuid.uuid5(uuid.NAMESPACE_URL, "steward:report-schedule")


def _check_url(c: Collector, url: str | None) -> str | None:
    cleaned = c.optional_text("webhookUrl", url, max_length=2000)
    if cleaned is None:
        return None
    parts = urlsplit(cleaned)
    local = parts.hostname in ("localhost", "127.0.0.1", "::1")
    if parts.scheme != "https" and not (parts.scheme == "http" and local):
        c.add("webhookUrl", "must be an https:// URL")
    elif not parts.hostname:
        c.add("webhookUrl", "must name a host")
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


def _validated(
    weekday: int,
    hour: int,
    minute: int,
    timezone: str,
    webhook_url: str | None,
    webhook_secret: str | None,
) -> tuple[str, str | None, str | None]:
    """The time zone, URL and secret to store; every problem raised at once, by field."""
    c = Collector()
    c.int_range("weekday", weekday, 0, 6)
    c.int_range("hour", hour, 0, 23)
    c.int_range("minute", minute, 0, 59)
    zone = c.time_zone("timezone", timezone)
    url = _check_url(c, webhook_url)
    secret = c.optional_text("webhookSecret", webhook_secret, max_length=200)
    if secret is not None and not _standard_webhooks_secret(secret):
        c.add(
            "webhookSecret",
            "must be a Standard Webhooks secret: whsec_ and the base64 of 24 to 64 random bytes",
        )
    if url is not None and secret is None and not c.has("webhookSecret"):
        c.add("webhookSecret", "is required with a webhook URL (deliveries are signed)")
    c.raise_if_any()
    return zone, url, secret


async def configure_report_schedule(
    session: AsyncSession,
    *,
    actor: Actor,
    expected_version: int | None,
    weekday: int,
    hour: int,
    minute: int,
    timezone: str,
    enabled: bool,
    webhook_url: str | None,
    webhook_secret: str | None,
    box: SecretBox,
) -> ReportSchedule:
    """Create or replace the schedule; `expected_version` is None only for the first one.

    The webhook secret is stored only encrypted with `box`, never in clear.
    """
    zone, url, secret = _validated(weekday, hour, minute, timezone, webhook_url, webhook_secret)
    row = await session.get(ReportSchedule, SCHEDULE_ID)
    before = snapshot(row) if row is not None else None
    current_version = row.version if row is not None else None
    if expected_version != current_version:
        raise conflict("version", STALE_MESSAGE)
    changes = {
        "weekday": weekday,
        "hour": hour,
        "minute": minute,
        "timezone": zone,
        "enabled": enabled,
        "webhook_url": url,
        "webhook_secret_encrypted": _ciphertext(box, row, secret),
        "legacy_webhook_secret": None,  # a clear-text secret of revision 0003 goes too
    }
    # Two first configurations racing (both sent version null): the loser's INSERT of
    # the singleton row collides with the winner's, which is the same stale version.
    async with guarded_write(session, {"pk_report_schedules": conflict("version", STALE_MESSAGE)}):
        if row is None:
            row = ReportSchedule(id=SCHEDULE_ID, **changes)
            session.add(row)
        else:
            apply(row, changes)
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
