"""Restoring what was archived: a client organisation, a process or an owner comes back.

Archiving only stamps `archived_at`, so restoring clears it: the object returns with
its history (assignments, reviews, audit trail) as it was. One rule guards it: a
process or an owner comes back only while its client organisation is live, read
under a share lock so a concurrent archive of the client waits for this transaction.
"""

from __future__ import annotations

import uuid
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tenants.errors import DomainError, validation
from tenants.models import AIProcess, ClientOrganisation, Owner
from tenants.services.audit import Actor, apply_audited
from tenants.services.owners import EMAIL_INDEX
from tenants.services.persistence import load_target

A = TypeVar("A", ClientOrganisation, AIProcess, Owner)


async def _client_is_live(session: AsyncSession, client_id: uuid.UUID) -> bool:
    archived = await session.scalar(
        select(ClientOrganisation.archived_at)
        .where(ClientOrganisation.id == client_id)
        .with_for_update(read=True)
    )
    return archived is None


async def _restore(
    session: AsyncSession,
    model: type[A],
    *,
    actor: Actor,
    object_id: uuid.UUID,
    expected_version: int,
    constraints: dict[str, DomainError] | None = None,
) -> A:
    obj = await load_target(
        session, model, object_id, expected_version=expected_version, allow_archived=True
    )
    if obj.archived_at is None:
        raise validation("id", "is not archived")
    client_id: Any = getattr(obj, "client_id", None)
    if client_id is not None and not await _client_is_live(session, client_id):
        raise validation("id", "its client organisation is archived: restore that first")
    await apply_audited(
        session, obj, {"archived_at": None}, actor=actor, action="restore", constraints=constraints
    )
    return obj


async def restore_client(
    session: AsyncSession, *, actor: Actor, client_id: uuid.UUID, expected_version: int
) -> ClientOrganisation:
    """Restore an archived client organisation (VALIDATION on `id` if it is not archived)."""
    return await _restore(
        session,
        ClientOrganisation,
        actor=actor,
        object_id=client_id,
        expected_version=expected_version,
    )


async def restore_process(
    session: AsyncSession, *, actor: Actor, process_id: uuid.UUID, expected_version: int
) -> AIProcess:
    """Restore an archived process of a live client (VALIDATION on `id` otherwise)."""
    return await _restore(
        session, AIProcess, actor=actor, object_id=process_id, expected_version=expected_version
    )


async def restore_owner(
    session: AsyncSession, *, actor: Actor, owner_id: uuid.UUID, expected_version: int
) -> Owner:
    """Restore an archived owner of a live client, unless a live owner took its email."""
    taken = validation("id", "another live owner of this client has this owner's email address")
    return await _restore(
        session,
        Owner,
        actor=actor,
        object_id=owner_id,
        expected_version=expected_version,
        constraints={EMAIL_INDEX: taken},
    )
