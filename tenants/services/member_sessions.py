"""Ending a member's browser sessions without deactivating them (a lost laptop, a shared PC)."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from tenants.models import Member
from tenants.services.audit import Actor, record_audit, snapshot
from tenants.services.browser_sessions import revoke_member_sessions
from tenants.services.persistence import load_target


async def end_member_sessions(
    session: AsyncSession, *, actor: Actor, member_id: uuid.UUID
) -> tuple[Member, int]:
    """End every live browser session of a member, audited; returns the member and the count.

    API tokens stay (they are revoked one by one with revokeApiToken); the member's
    version does not change, since the member itself is not edited.
    """
    member = await load_target(session, Member, member_id)
    ended = await revoke_member_sessions(session, member_id=member.id)
    after = snapshot(member) | {"sessions_revoked": ended}
    await record_audit(
        session, actor=actor, action="end_sessions", obj=member, before=None, after=after
    )
    await session.flush()
    return member, ended
