"""`exports(first, after)`: the exports the principal may see, newest first."""

from __future__ import annotations

import strawberry

from schema.compiled.sql import Page, sql
from schema.context import Info
from schema.exports.types import ExportNode
from schema.pagination import After, Connection, First, Ordering, paginate
from tenants import models as m

NEWEST_FIRST = Ordering(m.Export.requested_at, descending=True)


@strawberry.type
class ExportQuery:
    @strawberry.field(
        description="Exports the principal may see, newest request first (requestedAt, "
        "then id): staff see every client's, client principals their own organisation's "
        "PROCESSES and OWNERS exports, and only admins see TENANT exports.",
        metadata=sql(Page(m.Export, None, ordering=lambda _: NEWEST_FIRST)),
    )
    async def exports(
        self, info: Info, first: First = 20, after: After = None
    ) -> Connection[ExportNode]:
        return await paginate(
            info,
            m.Export,
            where=[],
            ordering=NEWEST_FIRST,
            first=first,
            after=after,
            to_node=ExportNode.from_model,
        )
