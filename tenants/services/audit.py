"""Who did it, and the audit trail every write leaves: the one way events are written.

Every event goes through `record_event` (most through `record_audit` / `finish_write`,
which compute the diff), so its shape is decided here: API field names, global ids,
only the fields that changed, and no event at all for a change that changed nothing.
`add_audited` / `apply_audited` are the common write around them: one row inserted, or
changes set on one row, in a guarded write, then audited.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from tenants.base import TenantBase
from tenants.errors import DomainError
from tenants.models import AuditAction, AuditActorKind, AuditEvent
from tenants.services.audit_shape import api_values, diff, snapshot
from tenants.services.persistence import apply, guarded_write

__all__ = [
    "SYSTEM",
    "Actor",
    "AuditActorKind",
    "add_audited",
    "apply_audited",
    "client_of",
    "finish_write",
    "record_audit",
    "record_event",
    "snapshot",
]


@dataclass(frozen=True, slots=True)
class Actor:
    """`label` is what the trail shows (a member's name, a token's label), stored as it
    is when they act; `id` the member, token or identity provider (None for the CLI and
    the system)."""

    label: str
    kind: AuditActorKind
    id: uuid.UUID | None = None


SYSTEM = Actor("Steward", AuditActorKind.SYSTEM)


async def record_event(
    session: AsyncSession,
    *,
    actor: Actor,
    action: str,
    object_type: str,
    object_id: uuid.UUID,
    changes: list[dict[str, Any]],
    client_id: uuid.UUID | None = None,
) -> AuditEvent:
    """Add an event to the current transaction (flushed by the caller).

    For objects that are no tenant row (an API token, a login attempt); `changes` is
    already `[{field, before, after}]` by API name (`diff(None, api_values(...))`).
    """
    event = AuditEvent(
        client_id=client_id,
        actor=actor.label[:200],
        actor_kind=actor.kind.value,
        actor_id=actor.id,
        action=AuditAction(action).value,  # a closed set: an unknown action is a bug
        object_type=object_type,
        object_id=object_id,
        changes=changes,
    )
    session.add(event)
    return event


async def record_audit(
    session: AsyncSession,
    *,
    actor: Actor,
    action: str,
    obj: Any,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    object_id: uuid.UUID | None = None,
) -> AuditEvent | None:
    """Add the event for `obj` (`before`/`after` by ORM attribute, as `snapshot` gives them).

    Returns None, writing nothing, when an update changed no field the API shows.
    `object_id` names objects whose primary key is not a uuid (the report schedule).
    """
    model = type(obj)
    changes = diff(api_values(model, before), api_values(model, after))
    if before is not None and after is not None and not changes:
        return None
    return await record_event(
        session,
        actor=actor,
        action=action,
        object_type=model.__name__,
        object_id=obj.id if object_id is None else object_id,
        changes=changes,
        client_id=await client_of(session, obj),
    )


async def client_of(session: AsyncSession, obj: Any) -> uuid.UUID | None:
    """The client organisation `obj` belongs to, following its parent when needed."""
    from tenants.models import AIProcess, ChangePlan, ClientOrganisation, Owner

    if isinstance(obj, ClientOrganisation):
        return obj.id
    for attr in ("client_id", "client_organisation_id"):
        direct = getattr(obj, attr, None)
        if isinstance(direct, uuid.UUID):
            return direct
    parents: tuple[tuple[str, type[AIProcess | Owner | ChangePlan]], ...] = (
        ("process_id", AIProcess),
        ("owner_id", Owner),
        ("plan_id", ChangePlan),
    )
    for attr, parent_model in parents:
        parent_id = getattr(obj, attr, None)
        if isinstance(parent_id, uuid.UUID):
            parent = await session.get(parent_model, parent_id)
            client_id: uuid.UUID | None = getattr(parent, "client_id", None)
            return client_id
    return None


async def finish_write(
    session: AsyncSession,
    *,
    actor: Actor,
    action: str,
    obj: Any,
    before: dict[str, Any] | None,
    extra_after: dict[str, Any] | None = None,
) -> None:
    """Record the audit event for a change already flushed (none for a no-op), and flush."""
    after = snapshot(obj) | (extra_after or {})
    await record_audit(session, actor=actor, action=action, obj=obj, before=before, after=after)
    await session.flush()


async def add_audited(
    session: AsyncSession,
    obj: TenantBase,
    *,
    actor: Actor,
    action: str,
    constraints: Mapping[str, DomainError] | None = None,
) -> None:
    """Insert `obj` in a guarded write (its SAVEPOINT, `constraints` mapped to their errors)
    and audit it as `action`, everything it holds as the change."""
    async with guarded_write(session, constraints):
        session.add(obj)
    await finish_write(session, actor=actor, action=action, obj=obj, before=None)


async def apply_audited(
    session: AsyncSession,
    obj: TenantBase,
    changes: Mapping[str, Any],
    *,
    actor: Actor,
    action: str,
    constraints: Mapping[str, DomainError] | None = None,
) -> None:
    """Set `changes` on `obj` in a guarded write (its SAVEPOINT, `constraints` mapped to their
    errors) and audit them as `action` against the values it had before."""
    before = snapshot(obj)
    async with guarded_write(session, constraints):
        apply(obj, changes)
    await finish_write(session, actor=actor, action=action, obj=obj, before=before)
