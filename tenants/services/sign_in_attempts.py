"""Recording sign-in attempts for administrators, and pruning them after the retention.

Written in the transaction that decides the outcome (the login's, or the refusal
audit's own), so a row exists exactly when the attempt is also audited. Who: the
member's id and e-mail once the member is known; before that only the e-mail
domain the provider asserted (nothing when it asserted nothing).
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from tenants.models import IdentityProvider, Member, SignInAttempt, SignInOutcome
from tenants.services.login_refusals import Refusal


def email_domain(email: str | None) -> str | None:
    """The part after the last @, lower-cased; None without one."""
    if not email or "@" not in email:
        return None
    return email.rsplit("@", 1)[1].lower()[:255] or None


async def _provider_name(session: AsyncSession, idp_id: uuid.UUID | None) -> str | None:
    if idp_id is None:
        return None
    name: str | None = await session.scalar(
        select(IdentityProvider.name).where(IdentityProvider.id == idp_id)
    )
    return name


async def record_sign_in_attempt(
    session: AsyncSession,
    *,
    reason: Refusal | None,
    identity_provider_id: uuid.UUID | None,
    member: Member | None = None,
    email: str | None = None,
) -> SignInAttempt:
    """One attempt: a success when `reason` is None, else the refusal's code."""
    name = await _provider_name(session, identity_provider_id)
    attempt = SignInAttempt(
        outcome=SignInOutcome.SUCCEEDED if reason is None else SignInOutcome.REFUSED,
        reason=None if reason is None else reason.value,
        # A provider id that names no provider (idp_unknown) is not kept: it is caller input.
        identity_provider_id=identity_provider_id if name is not None else None,
        identity_provider_name=name,
        member_id=member.id if member else None,
        email=member.email if member else None,
        email_domain=email_domain(member.email if member else email),
    )
    session.add(attempt)
    await session.flush()
    return attempt


async def member_of_identity(session: AsyncSession, *, issuer: str, subject: str) -> Member | None:
    """The member already linked to (issuer, subject), if any."""
    member: Member | None = await session.scalar(
        select(Member).where(Member.issuer == issuer, Member.subject == subject)
    )
    return member


async def prune_sign_in_attempts(session: AsyncSession, *, before: datetime) -> int:
    """Delete attempts older than `before`; returns how many."""
    result = await session.execute(delete(SignInAttempt).where(SignInAttempt.occurred_at < before))
    return int(result.rowcount)  # type: ignore[attr-defined]


def retention_cutoff(now: datetime, days: int) -> datetime:
    return now - timedelta(days=days)
