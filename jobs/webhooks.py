"""Webhook events to a tenant's endpoint, signed by the Standard Webhooks scheme.

Events: `health_report.created`, `readiness_report.succeeded`, `readiness_report.failed`.
The body is `{"type", "timestamp", "data"}`; the headers are Standard Webhooks'
(https://www.standardwebhooks.com): `webhook-id` (one per event, the same on every
retry, so a receiver drops repeats), `webhook-timestamp` (Unix seconds, signed, so a
captured request cannot be replayed later) and `webhook-signature: v1,<base64
HMAC-SHA256 of "<id>.<timestamp>.<body>">`. The key is the tenant's `whsec_<base64>`
secret, decoded (stored encrypted, decrypted only here), so a receiver verifies with
any Standard Webhooks library. The older `X-Steward-Signature` header is gone: one
scheme, the one receivers' libraries know.

Any answer but 2xx, a timeout or a refused connection is retried with exponential
backoff up to `WEBHOOK_MAX_TRIES` attempts; every attempt is a row of
`webhook_deliveries` (admins read them as `webhookDeliveries`). Redirects are not
followed.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import time
import uuid
from datetime import UTC, datetime
from typing import Any

import httpx
import structlog
from arq import Retry
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from jobs.enqueue import HEALTH_CREATED, READINESS_FAILED, READINESS_SUCCEEDED
from jobs.health.schedule import load_schedule
from jobs.retry import backoff_s
from tenants import models as m
from tenants.global_ids import global_id
from tenants.registry import TenantRef, lookup_tenant
from tenants.services.secret_box import SecretBox, UndecryptableSecretError
from tenants.session import tenant_session

log = structlog.get_logger("steward.jobs.webhooks")
WEBHOOK_MAX_TRIES = 5
REQUEST_TIMEOUT_S = 10.0
EVENTS = (HEALTH_CREATED, READINESS_SUCCEEDED, READINESS_FAILED)
SECRET_PREFIX = "whsec_"  # noqa: S105 (the scheme's prefix, not a secret)


def signing_key(secret: str) -> bytes:
    """The HMAC key of a `whsec_<base64>` secret; any other secret (saved before the
    Standard Webhooks scheme) signs with its UTF-8 bytes, which receivers pass as bytes."""
    if secret.startswith(SECRET_PREFIX):
        try:
            return base64.b64decode(secret[len(SECRET_PREFIX) :], validate=True)
        except (binascii.Error, ValueError):
            pass
    return secret.encode()


def sign(secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    signed = f"{message_id}.{timestamp}.".encode() + body
    mac = hmac.new(signing_key(secret), signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(mac).decode()


def message_id(event: str, subject_id: uuid.UUID) -> str:
    """The event's `webhook-id`: derived from what it is about, so retries repeat it."""
    return "msg_" + uuid.uuid5(subject_id, event).hex


async def _health_data(db: AsyncSession, rid: uuid.UUID) -> dict[str, Any] | None:
    report = await db.get(m.EngagementHealthReport, rid)
    if report is None:
        return None
    return await _about(db, "EngagementHealthReport", report) | {
        "periodStart": report.period_start.isoformat(),
        "periodEnd": report.period_end.isoformat(),
        "status": report.status.value.upper(),
        "requested": report.request_id is not None,
        "reasons": report.reasons,
    }


async def _readiness_data(db: AsyncSession, rid: uuid.UUID) -> dict[str, Any] | None:
    report = await db.get(m.ReadinessReport, rid)
    if report is None:
        return None
    return await _about(db, "ReadinessReport", report) | {
        "status": report.status.value.upper(),
        "score": None if report.score is None else float(report.score),
        "failureReason": report.failure_reason,
        "finishedAt": report.finished_at.isoformat() if report.finished_at else None,
    }


async def _about(
    db: AsyncSession, node: str, report: m.EngagementHealthReport | m.ReadinessReport
) -> dict[str, Any]:
    """What every event's data opens with: its report and the report's client."""
    c = m.ClientOrganisation
    name = await db.scalar(select(c.name).where(c.id == report.client_id))
    return {
        "id": global_id(node, report.id),
        "clientOrganisationId": global_id("ClientOrganisation", report.client_id),
        "clientName": str(name or ""),
    }


def _body(tenant: TenantRef, event: str, data: dict[str, Any]) -> bytes:
    doc = {
        "type": event,
        "timestamp": datetime.now(UTC).isoformat(),
        "data": {"tenant": tenant.slug, **data},
    }
    return json.dumps(doc, separators=(",", ":"), sort_keys=True).encode()


def _subject(d: type[m.WebhookDelivery], event: str, sid: uuid.UUID) -> Any:
    column = d.report_id if event == HEALTH_CREATED else d.readiness_report_id
    return (column == sid) & (d.event == event)


async def _record(engine: AsyncEngine, tenant: TenantRef, row: m.WebhookDelivery) -> None:
    async with tenant_session(engine, tenant) as db:
        db.add(row)
    log.info(
        "webhook.attempt",
        tenant=tenant.slug,
        webhook_event=row.event,
        message_id=row.message_id,
        attempt=row.attempt,
        status_code=row.status_code,
        error=row.error,
        succeeded=row.succeeded,
    )


async def _signing_secret(db: AsyncSession, box: SecretBox) -> tuple[str | None, str]:
    """The webhook secret in clear, or None and why not.

    A secret still in clear from revision 0003 is used and encrypted now, in this
    transaction, so it leaves the clear-text column for good.
    """
    row = await db.get(m.ReportSchedule, 1)
    if row is not None and row.legacy_webhook_secret:
        secret = row.legacy_webhook_secret
        row.webhook_secret_encrypted = box.encrypt(secret)
        row.legacy_webhook_secret = None
        log.info("webhook.secret_encrypted")
        return secret, ""
    if row is None or not row.webhook_secret_encrypted:
        return None, "no webhook secret configured: refusing to send unsigned"
    try:
        return box.decrypt(row.webhook_secret_encrypted), ""
    except UndecryptableSecretError:
        return None, (
            "the webhook secret cannot be decrypted with the configured STEWARD_SECRET_KEY "
            "(was the key replaced?); configure the webhook again"
        )


class _Prepared:
    """What one attempt needs, read in one transaction."""

    def __init__(self) -> None:
        self.url: str | None = None
        self.data: dict[str, Any] | None = None
        self.secret: str | None = None
        self.secret_problem = ""
        self.delivered = False
        self.attempts = 0


async def _prepare(
    engine: AsyncEngine, ref: TenantRef, event: str, sid: uuid.UUID, box: SecretBox
) -> _Prepared:
    d, p = m.WebhookDelivery, _Prepared()
    async with tenant_session(engine, ref) as db:
        p.url = (await load_schedule(db)).webhook_url
        load = _health_data if event == HEALTH_CREATED else _readiness_data
        p.data = await load(db, sid)
        if p.url is None or p.data is None:
            return p
        p.secret, p.secret_problem = await _signing_secret(db, box)
        mine = _subject(d, event, sid)
        p.delivered = (await db.scalar(select(d.id).where(mine, d.succeeded).limit(1))) is not None
        p.attempts = int(await db.scalar(select(func.count()).where(mine)) or 0)
    return p


async def _post(url: str, body: bytes, headers: dict[str, str], row: m.WebhookDelivery) -> None:
    try:
        async with httpx.AsyncClient(timeout=REQUEST_TIMEOUT_S, follow_redirects=False) as http:
            response = await http.post(url, content=body, headers=headers)
        row.status_code = response.status_code
        row.succeeded = response.is_success
        if not row.succeeded:
            row.error = f"HTTP {response.status_code}"
    except httpx.HTTPError as exc:
        row.error = f"{type(exc).__name__}: {exc}"[:1000]
    row.attempted_at = datetime.now(UTC)


async def deliver_webhook(
    ctx: dict[str, Any], tenant: str, subject_id: str, event: str = HEALTH_CREATED
) -> str:
    """POST one event to the tenant's webhook; retried until it answers 2xx."""
    engine: AsyncEngine = ctx["engine"]
    if event not in EVENTS:
        return "unknown event"
    sid = uuid.UUID(subject_id)
    ref = await lookup_tenant(engine, tenant)
    if ref is None:
        return "unknown tenant"
    p = await _prepare(engine, ref, event, sid, ctx["secret_box"])
    if p.data is None:
        return "missing report"
    if not p.url:
        return "no webhook"
    if p.delivered:
        return "already delivered"
    attempt, msg_id = p.attempts + 1, message_id(event, sid)
    row = m.WebhookDelivery(
        event=event, message_id=msg_id, attempt=attempt, url=p.url, succeeded=False
    )
    if event == HEALTH_CREATED:
        row.report_id = sid
    else:
        row.readiness_report_id = sid
    if p.secret is None:
        # Not retried: only configuring the webhook again can mend either cause.
        row.error = p.secret_problem
        await _record(engine, ref, row)
        return "not configured"
    body, stamp = _body(ref, event, p.data), int(time.time())
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "steward-webhooks/2",
        "webhook-id": msg_id,
        "webhook-timestamp": str(stamp),
        "webhook-signature": sign(p.secret, msg_id, stamp, body),
    }
    await _post(p.url, body, headers, row)
    await _record(engine, ref, row)
    if row.succeeded:
        return "delivered"
    if attempt < WEBHOOK_MAX_TRIES:
        base = float(ctx.get("webhook_backoff_s", 2.0))
        raise Retry(defer=backoff_s(attempt, base=base))
    log.warning("webhook.gave_up", tenant=ref.slug, message_id=msg_id, attempts=attempt)
    return "gave up"
