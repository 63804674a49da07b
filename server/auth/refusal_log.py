"""One structured log event per refused login, for the operator's log pipeline.

The event names the stable reason code, the stage (start or callback), the
tenant slug and the identity provider's id, plus the e-mail domain when the
provider already told us who it was. Nothing else: no message detail (it can
quote provider text), no state, code, token or full address, so the log holds
no secret and no personal data beyond a domain.
"""

from __future__ import annotations

import uuid

import structlog

from tenants.services.login_refusals import LoginRefused

log = structlog.get_logger("steward.auth")

EVENT = "login.refused"


def email_domain(email: str | None) -> str | None:
    """The part after the last @, lower-cased; None without one."""
    if not email or "@" not in email:
        return None
    return email.rsplit("@", 1)[1].lower() or None


def log_refusal(
    refusal: LoginRefused,
    *,
    stage: str,
    tenant: str | None,
    identity_provider_id: uuid.UUID | None = None,
    email: str | None = None,
) -> None:
    """Emit `login.refused` (warning) for this refusal."""
    log.warning(
        EVENT,
        reason=refusal.reason.value,
        stage=stage,
        status=refusal.status,
        tenant=tenant,
        identity_provider_id=str(identity_provider_id) if identity_provider_id else None,
        email_domain=email_domain(email),
    )
