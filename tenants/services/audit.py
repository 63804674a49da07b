"""Who did it, and the audit trail every write leaves."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from sqlalchemy import inspect
from sqlalchemy.ext.asyncio import AsyncSession

from tenants.base import TenantBase
from tenants.models import AuditEvent

# Noise in a diff: changes whenever anything changes.
_SKIPPED = frozenset({"updated_at"})


@dataclass(frozen=True, slots=True)
class Actor:
    """`label` is what the trail shows (an email, a token name); `kind` is e.g.
    "member", "api_token" or "system"."""

    label: str
    kind: str


SYSTEM = Actor("steward", "system")


def _json_value(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value.value if isinstance(value, Enum) else value
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, uuid.UUID | Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bytes):
        return f"<{len(value)} bytes>"
    if isinstance(value, dict):
        return {str(k): _json_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_json_value(v) for v in value]
    return str(value)


def snapshot(obj: TenantBase) -> dict[str, Any]:
    """The loaded column values of `obj`, JSON-safe, keyed by attribute name.

    Unloaded (expired or deferred) attributes are left out rather than loaded, so a
    snapshot never issues SQL.
    """
    state = inspect(obj)
    loaded = state.dict
    out: dict[str, Any] = {}
    for attr in state.mapper.column_attrs:
        if attr.key in _SKIPPED or attr.key not in loaded:
            continue
        out[attr.key] = _json_value(loaded[attr.key])
    return out


async def record_audit(
    session: AsyncSession,
    *,
    actor: Actor,
    action: str,
    obj: TenantBase,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    object_id: uuid.UUID | None = None,
) -> AuditEvent:
    """Add an AuditEvent for `obj` to the current transaction (flushed by the caller).

    `object_id` names objects whose primary key is not a uuid (the report schedule).
    """
    if object_id is None:
        object_id = obj.id  # type: ignore[attr-defined]
    event = AuditEvent(
        client_id=await client_of(session, obj),
        actor=actor.label,
        actor_kind=actor.kind,
        action=action,
        object_type=type(obj).__name__,
        object_id=object_id,
        before=before,
        after=after,
    )
    session.add(event)
    return event


async def client_of(session: AsyncSession, obj: TenantBase) -> uuid.UUID | None:
    """The client organisation `obj` belongs to, following its parent when needed."""
    from tenants.models import AIProcess, ChangePlan, ClientOrganisation, Owner

    if isinstance(obj, ClientOrganisation):
        return obj.id
    direct = getattr(obj, "client_id", None)
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
    obj: TenantBase,
    before: dict[str, Any] | None,
    extra_after: dict[str, Any] | None = None,
) -> None:
    """Record the audit event for a change already flushed, and flush it."""
    after = snapshot(obj) | (extra_after or {})
    await record_audit(session, actor=actor, action=action, obj=obj, before=before, after=after)
    await session.flush()
