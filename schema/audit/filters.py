"""Narrowing the activity feed: by client organisation, object, object type, actor, time."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import strawberry
from sqlalchemy import false

from schema.audit.types import ACTOR_NODES, AuditAction, AuditActorKind, AuditObjectType
from schema.ids import parse_global_id
from schema.node import NODE_KINDS
from schema.pagination import Ordering
from tenants import models as m

# seq is written in commit order within a transaction, where `at` (now()) is shared.
NEWEST_FIRST = Ordering(m.AuditEvent.seq, descending=True)


@strawberry.input(
    description="Narrow an activity feed; all given conditions must hold. An id that is not "
    "one of the expected type, or that you may not see, matches no event."
)
class AuditEventFilter:
    client_organisation_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="Only events about objects of this ClientOrganisation (the client's own "
        "data, not tenant-wide objects).",
    )
    object_id: strawberry.ID | None = strawberry.field(
        default=None, description="Only events about this object (any node type's global id)."
    )
    object_types: list[AuditObjectType] | None = strawberry.field(
        default=None, description="Only events about objects of any of these kinds."
    )
    actions: list[AuditAction] | None = strawberry.field(
        default=None, description="Only events of any of these actions."
    )
    actor_kinds: list[AuditActorKind] | None = strawberry.field(
        default=None, description="Only events by actors of any of these kinds."
    )
    actor_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="Only events by this actor: the global id of a Member, ApiToken or "
        "IdentityProvider (see AuditActor.id).",
    )
    since: datetime | None = strawberry.field(
        default=None, description="Only events at or after this time (with a time zone)."
    )
    until: datetime | None = strawberry.field(
        default=None, description="Only events before this time (exclusive)."
    )


def _typed_id(value: str, allowed: set[str]) -> uuid.UUID | None:
    parsed = parse_global_id(value)
    return parsed[1] if parsed is not None and parsed[0] in allowed else None


def _object_conditions(object_id: str) -> list[Any]:
    parsed = parse_global_id(object_id)
    kind = NODE_KINDS.get(parsed[0]) if parsed is not None else None
    if parsed is None or kind is None:
        return [false()]
    return [
        m.AuditEvent.object_type == kind.model.__name__,
        m.AuditEvent.object_id == parsed[1],
    ]


def _actor_conditions(actor_id: str) -> list[Any]:
    parsed = parse_global_id(actor_id)
    kinds = [k for k, node in ACTOR_NODES.items() if parsed is not None and node == parsed[0]]
    if parsed is None or not kinds:
        return [false()]
    return [m.AuditEvent.actor_id == parsed[1], m.AuditEvent.actor_kind.in_(kinds)]


def audit_conditions(f: AuditEventFilter | None) -> list[Any]:
    """The SQL conditions of a filter (the resolvers' and the compiled path's own)."""
    if f is None:
        return []
    where: list[Any] = []
    if f.client_organisation_id is not None:
        client = _typed_id(f.client_organisation_id, {"ClientOrganisation"})
        where.append(false() if client is None else m.AuditEvent.client_id == client)
    if f.object_id is not None:
        where.extend(_object_conditions(f.object_id))
    if f.object_types:
        where.append(m.AuditEvent.object_type.in_(sorted(t.value for t in f.object_types)))
    if f.actions:
        where.append(m.AuditEvent.action.in_(sorted(a.value for a in f.actions)))
    if f.actor_kinds:
        where.append(m.AuditEvent.actor_kind.in_(sorted(k.value for k in f.actor_kinds)))
    if f.actor_id is not None:
        where.extend(_actor_conditions(f.actor_id))
    if f.since is not None:
        where.append(m.AuditEvent.at >= f.since)
    if f.until is not None:
        where.append(m.AuditEvent.at < f.until)
    return where


def filter_key(f: AuditEventFilter | None) -> tuple[Any, ...]:
    """A hashable key of the filter, so sibling connections with equal filters batch."""
    if f is None:
        return ()
    return (
        f.client_organisation_id,
        f.object_id,
        tuple(sorted(t.value for t in f.object_types or [])),
        tuple(sorted(a.value for a in f.actions or [])),
        tuple(sorted(k.value for k in f.actor_kinds or [])),
        f.actor_id,
        f.since,
        f.until,
    )
