"""`exports(first, after)`: the exports the principal may see, newest first."""

from __future__ import annotations

import strawberry

from schema.node_lists import NodeList
from schema.pagination import Ordering
from tenants import models as m

NEWEST_FIRST = Ordering(m.Export.requested_at, descending=True)
EXPORTS = NodeList(m.Export, None, NEWEST_FIRST, "schema.exports.types:ExportNode")


@strawberry.type
class ExportQuery:
    exports = EXPORTS.field(
        "Exports the principal may see, newest request first (requestedAt, "
        "then id): staff see every client's, client principals their own organisation's "
        "PROCESSES and OWNERS exports, and only admins see TENANT exports."
    )
