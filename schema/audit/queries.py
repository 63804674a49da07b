"""`auditEvents`: the activity feed, tenant-wide here and per client on ClientOrganisation."""

from __future__ import annotations

import uuid
from typing import Annotated

import strawberry

from schema.audit.filters import NEWEST_FIRST, AuditEventFilter, audit_conditions, filter_key
from schema.audit.types import AuditEventNode
from schema.compiled.sql import Page, sql
from schema.context import Info
from schema.pagination import Connection, child_connection, paginate
from tenants import models as m

FEED_DESCRIPTION = (
    "Changes, newest first, narrowed by `filter`. Staff see every client's events (events "
    "about identity providers, API tokens, refused logins and settings only with the admin "
    "role); a client member sees only their own organisation's. An object, client or actor "
    "of another tenant or not visible to you matches nothing: an empty connection."
)


def feed_page() -> Page:
    return Page(
        m.AuditEvent,
        None,
        conditions=lambda a: audit_conditions(a.get("filter")),
        ordering=lambda _: NEWEST_FIRST,
    )


def client_feed_page() -> Page:
    return Page(
        m.AuditEvent,
        m.AuditEvent.client_id,
        conditions=lambda a: audit_conditions(a.get("filter")),
        ordering=lambda _: NEWEST_FIRST,
    )


async def client_audit_events(
    info: Info,
    client_id: uuid.UUID,
    filter: AuditEventFilter | None,
    first: int | None,
    after: str | None,
) -> Connection[AuditEventNode]:
    return await child_connection(
        info,
        m.AuditEvent,
        m.AuditEvent.client_id,
        client_id,
        where=audit_conditions(filter),
        where_key=filter_key(filter),
        ordering=NEWEST_FIRST,
        first=first,
        after=after,
        to_node=AuditEventNode.from_model,
    )


@strawberry.type
class AuditQuery:
    @strawberry.field(description=FEED_DESCRIPTION, metadata=sql(feed_page()))
    async def audit_events(
        self,
        info: Info,
        filter: Annotated[
            AuditEventFilter | None,
            strawberry.argument(description="Conditions every event must meet; none: all."),
        ] = None,
        first: Annotated[
            int | None, strawberry.argument(description="Page size, 0 to 100 (default 20).")
        ] = 20,
        after: Annotated[
            str | None, strawberry.argument(description="The endCursor of the previous page.")
        ] = None,
    ) -> Connection[AuditEventNode]:
        return await paginate(
            info,
            m.AuditEvent,
            where=audit_conditions(filter),
            ordering=NEWEST_FIRST,
            first=first,
            after=after,
            to_node=AuditEventNode.from_model,
        )
