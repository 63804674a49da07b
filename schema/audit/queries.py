"""`auditEvents(objectId, first, after)`: the trail of one object, newest first."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry
from sqlalchemy import false

from schema.audit.types import AuditEventNode
from schema.compiled.sql import Page, sql
from schema.context import Info
from schema.ids import parse_global_id
from schema.node import NODE_KINDS
from schema.pagination import After, Connection, First, Ordering, paginate
from tenants import models as m

# seq is written in commit order within a transaction, where `at` (now()) is shared.
_NEWEST_FIRST = Ordering(m.AuditEvent.seq, descending=True)


def audit_conditions(object_id: str) -> list[Any]:
    """The events of the object with global id `object_id` (none for an unknown id)."""
    parsed = parse_global_id(object_id)
    kind = NODE_KINDS.get(parsed[0]) if parsed is not None else None
    if parsed is None or kind is None:
        return [false()]
    return [
        m.AuditEvent.object_type == kind.model.__name__,
        m.AuditEvent.object_id == parsed[1],
    ]


@strawberry.type
class AuditQuery:
    @strawberry.field(
        description="The changes recorded for one object, newest first. An id that does not "
        "exist, is of another tenant or is not visible to you gives an empty connection.",
        metadata=sql(
            Page(
                m.AuditEvent,
                None,
                conditions=lambda a: audit_conditions(a["object_id"]),
                ordering=lambda _: _NEWEST_FIRST,
            )
        ),
    )
    async def audit_events(
        self,
        info: Info,
        object_id: Annotated[
            strawberry.ID,
            strawberry.argument(description="The global id of the object whose changes to list."),
        ],
        first: First = 20,
        after: After = None,
    ) -> Connection[AuditEventNode]:
        return await paginate(
            info,
            m.AuditEvent,
            where=audit_conditions(object_id),
            ordering=_NEWEST_FIRST,
            first=first,
            after=after,
            to_node=AuditEventNode.from_model,
        )
