"""Login attempts: what a callback must match, consumed exactly once.

The callback's `state` is looked up by its digest and marked used in one
`UPDATE ... WHERE used_at IS NULL ... RETURNING`, so two concurrent callbacks
with the same state cannot both proceed; the caller commits that before it
contacts the provider, so a refused login cannot be retried with the same state.
"""

from __future__ import annotations

import hmac
from datetime import timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from tenants.models import IdentityProvider, LoginAttempt
from tenants.services.login_refusals import LoginRefused, Refusal
from tenants.services.persistence import utcnow
from tenants.tokens import digest

# Expired attempts are swept when new ones start; a day's grace keeps recent
# ones around so a late callback is told "expired" rather than "unknown".
_SWEEP_AFTER = timedelta(days=1)


async def start_login_attempt(
    session: AsyncSession,
    *,
    idp: IdentityProvider,
    state: str,
    nonce: str,
    code_verifier: str,
    next_path: str,
    browser_binding: str,
    ttl: timedelta,
) -> LoginAttempt:
    """Record an attempt; only digests of `state` and `browser_binding` are stored."""
    now = utcnow()
    await session.execute(delete(LoginAttempt).where(LoginAttempt.expires_at < now - _SWEEP_AFTER))
    attempt = LoginAttempt(
        state_hash=digest(state),
        nonce=nonce,
        code_verifier=code_verifier,
        identity_provider_id=idp.id,
        issuer=idp.issuer,
        next_path=next_path,
        browser_binding_hash=digest(browser_binding),
        created_at=now,
        expires_at=now + ttl,
    )
    session.add(attempt)
    await session.flush()
    return attempt


async def consume_login_attempt(session: AsyncSession, *, state: str) -> LoginAttempt:
    """Mark the attempt of `state` used and return it, or refuse with the reason."""
    state_hash = digest(state)
    now = utcnow()
    attempt = await session.scalar(
        update(LoginAttempt)
        .where(
            LoginAttempt.state_hash == state_hash,
            LoginAttempt.used_at.is_(None),
            LoginAttempt.expires_at > now,
        )
        .values(used_at=now)
        .returning(LoginAttempt)
        .execution_options(synchronize_session=False)
    )
    if attempt is None:
        raise await _why_not_usable(session, state_hash)
    return attempt


def check_browser_binding(attempt: LoginAttempt, browser_binding: str | None) -> None:
    """Refuse unless the callback came from the browser that started the attempt.

    Checked after the attempt was consumed: a state seen by the wrong browser
    is burnt, not left for another try.
    """
    given = digest(browser_binding) if browser_binding else ""
    if not hmac.compare_digest(attempt.browser_binding_hash, given):
        raise LoginRefused(
            Refusal.BROWSER_MISMATCH,
            "this sign-in was started in another browser (or its cookie was lost); "
            "start again from the sign-in page",
        )


async def _why_not_usable(session: AsyncSession, state_hash: str) -> LoginRefused:
    row = (
        await session.execute(
            select(LoginAttempt.used_at, LoginAttempt.expires_at).where(
                LoginAttempt.state_hash == state_hash
            )
        )
    ).first()
    if row is None:
        return LoginRefused(
            Refusal.STATE_UNKNOWN, "this sign-in response does not belong to a sign-in started here"
        )
    if row.used_at is not None:
        return LoginRefused(Refusal.STATE_REPLAYED, "this sign-in response was already used")
    return LoginRefused(Refusal.STATE_EXPIRED, "this sign-in took too long; start again")
