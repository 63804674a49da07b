"""`auditEvents`: the activity feed, tenant-wide here and per client on ClientOrganisation."""

from __future__ import annotations

from collections.abc import Hashable
from typing import Annotated, Any

import strawberry

from schema.audit.filters import NEWEST_FIRST, AuditEventFilter, audit_conditions, filter_key
from schema.audit.types import AuditEventNode
from schema.compiled.sql import sql
from schema.context import Info
from schema.node_lists import NodeList
from schema.pagination import Connection
from tenants import models as m

FEED_DESCRIPTION = (
    "Changes, newest first, narrowed by `filter`. Staff see every client's events (events "
    "about identity providers, API tokens, refused logins and settings only with the admin "
    "role); a client member sees only their own organisation's. An object, client or actor "
    "of another tenant or not visible to you matches nothing: an empty connection."
)


def _conditions(filter: AuditEventFilter | None) -> tuple[list[Any], Hashable]:
    return audit_conditions(filter), filter_key(filter)


# The root auditEvents, and ClientOrganisation.auditEvents
FEED = NodeList(m.AuditEvent, None, NEWEST_FIRST, "schema.audit.types:AuditEventNode", _conditions)
CLIENT_FEED = NodeList(
    m.AuditEvent,
    m.AuditEvent.client_id,
    NEWEST_FIRST,
    "schema.audit.types:AuditEventNode",
    _conditions,
)


# The feeds' arguments, here and on ClientOrganisation: the filter first, and their own
# words for the page (the feed predates the shared First/After).
FeedFilter = Annotated[
    AuditEventFilter | None,
    strawberry.argument(description="Conditions every event must meet; none: all."),
]
FeedFirst = Annotated[
    int | None, strawberry.argument(description="Page size, 0 to 100 (default 20).")
]
FeedAfter = Annotated[
    str | None, strawberry.argument(description="The endCursor of the previous page.")
]


@strawberry.type
class AuditQuery:
    @strawberry.field(description=FEED_DESCRIPTION, metadata=sql(FEED.page()))
    async def audit_events(
        self,
        info: Info,
        filter: FeedFilter = None,
        first: FeedFirst = 20,
        after: FeedAfter = None,
    ) -> Connection[AuditEventNode]:
        return await FEED.root(info, first, after, filter)
