"""Delivery of new health reports to a tenant's webhook, signed with HMAC-SHA256.

The receiver checks `X-Steward-Signature: sha256=<hex>`, the HMAC-SHA256 with the
tenant's webhook secret (stored encrypted, decrypted only here) of
`<X-Steward-Timestamp>.<raw body>` (the timestamp is in
the signed text so a captured request cannot be replayed later with a new one).
Any answer but 2xx, a timeout or a refused connection is retried with exponential
backoff up to `WEBHOOK_MAX_TRIES` attempts; every attempt is a row of
`webhook_deliveries` (and a log line). Redirects are not followed.
"""

from __future__ import annotations

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

from jobs.health_schedule import load_schedule
from jobs.readiness_job import lookup_tenant
from jobs.readiness_store import global_id
from jobs.retry import backoff_s
from tenants import models as m
from tenants.registry import TenantRef
from tenants.services.secret_box import SecretBox, UndecryptableSecretError
from tenants.session import tenant_session

log = structlog.get_logger("steward.jobs.webhooks")
WEBHOOK_MAX_TRIES = 5
REQUEST_TIMEOUT_S = 10.0
SIGNATURE_HEADER = "X-Steward-Signature"
TIMESTAMP_HEADER = "X-Steward-Timestamp"


def sign(secret: str, timestamp: str, body: bytes) -> str:
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def verify(secret: str, timestamp: str, body: bytes, signature: str) -> bool:
    return hmac.compare_digest(sign(secret, timestamp, body), signature)


def _payload(tenant: TenantRef, report: m.EngagementHealthReport, client_name: str) -> bytes:
    doc = {
        "event": "engagement_health_report.created",
        "tenant": tenant.slug,
        "report": {
            "id": global_id("EngagementHealthReport", report.id),
            "clientOrganisationId": global_id("ClientOrganisation", report.client_id),
            "clientName": client_name,
            "periodStart": report.period_start.isoformat(),
            "periodEnd": report.period_end.isoformat(),
            "status": report.status.value.upper(),
            "reasons": report.reasons,
        },
    }
    return json.dumps(doc, separators=(",", ":"), sort_keys=True).encode()


async def _record(engine: AsyncEngine, tenant: TenantRef, row: m.WebhookDelivery) -> None:
    async with tenant_session(engine, tenant) as db:
        db.add(row)
    log.info(
        "webhook.attempt",
        tenant=tenant.slug,
        report_id=str(row.report_id),
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


async def deliver_health_webhook(ctx: dict[str, Any], tenant: str, report_id: str) -> str:
    """POST one health report to the tenant's webhook; retried until it answers 2xx."""
    engine: AsyncEngine = ctx["engine"]
    rid = uuid.UUID(report_id)
    ref = await lookup_tenant(engine, tenant)
    if ref is None:
        return "unknown tenant"
    d = m.WebhookDelivery
    box: SecretBox = ctx["secret_box"]
    async with tenant_session(engine, ref) as db:
        schedule = await load_schedule(db)
        report = await db.get(m.EngagementHealthReport, rid)
        if report is None:
            return "missing report"
        secret, secret_problem = await _signing_secret(db, box)
        client_name = await db.scalar(
            select(m.ClientOrganisation.name).where(m.ClientOrganisation.id == report.client_id)
        )
        done = await db.scalar(select(d.id).where(d.report_id == rid, d.succeeded).limit(1))
        attempts = int(await db.scalar(select(func.count()).where(d.report_id == rid)) or 0)
    if done is not None:
        return "already delivered"
    url = schedule.webhook_url
    if not url:
        return "no webhook"
    attempt = attempts + 1
    row = d(report_id=rid, attempt=attempt, url=url, succeeded=False)
    if secret is None:
        # Not retried: only configuring the webhook again can mend either cause.
        row.error = secret_problem
        await _record(engine, ref, row)
        return "not configured"
    body = _payload(ref, report, client_name or "")
    stamp = str(int(time.time()))
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "steward-webhooks/1",
        "X-Steward-Event": "engagement_health_report.created",
        "X-Steward-Delivery": f"{rid}:{attempt}",
        TIMESTAMP_HEADER: stamp,
        SIGNATURE_HEADER: sign(secret, stamp, body),
    }
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
    await _record(engine, ref, row)
    if row.succeeded:
        return "delivered"
    if attempt < WEBHOOK_MAX_TRIES:
        base = float(ctx.get("webhook_backoff_s", 2.0))
        raise Retry(defer=backoff_s(attempt, base=base))
    log.warning("webhook.gave_up", tenant=ref.slug, report_id=report_id, attempts=attempt)
    return "gave up"
