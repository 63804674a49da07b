"""`clientOrganisations(first, after, filter, orderBy)`."""

from __future__ import annotations

from typing import Any

import strawberry

from schema.enums import EngagementStatus
from schema.node_lists import ListArgument, NodeList, unkeyed
from schema.sort_orders import NAME_OR_STAMPS, sort_order
from tenants import models as m


@strawberry.input(description="Narrow the list; all given conditions must hold.")
class ClientOrganisationFilter:
    engagement_status: list[EngagementStatus] | None = strawberry.field(  # type: ignore[valid-type]
        default=None, description="Any of these engagement statuses."
    )
    search: str | None = strawberry.field(
        default=None, description="Case-insensitive substring of the name."
    )
    include_archived: bool = strawberry.field(
        default=False, description="Archived clients are hidden unless this is true."
    )


CLIENT_ORDER = sort_order(
    "ClientOrganisation", m.ClientOrganisation, NAME_OR_STAMPS, default="NAME"
)


def client_conditions(filter: ClientOrganisationFilter | None) -> list[Any]:
    f = filter or ClientOrganisationFilter()
    where: list[Any] = []
    if not f.include_archived:
        where.append(m.ClientOrganisation.archived_at.is_(None))
    if f.engagement_status:
        where.append(m.ClientOrganisation.engagement_status.in_(f.engagement_status))
    if f.search:
        escaped = f.search[:200].replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        where.append(m.ClientOrganisation.name.ilike(f"%{escaped}%", escape="\\"))
    return where


CLIENTS = NodeList(
    m.ClientOrganisation,
    None,
    CLIENT_ORDER.ordering(None),
    "schema.clients.types:ClientOrganisationNode",
    unkeyed(client_conditions),
    order_by=CLIENT_ORDER.ordering,
)


@strawberry.type
class ClientOrganisationQuery:
    client_organisations = CLIENTS.field(
        "Client organisations the principal may see (a client user: its own).",
        argument=ListArgument(
            ClientOrganisationFilter | None,
            "Keep only clients matching every given condition; null: those not archived.",
        ),
        order_by=CLIENT_ORDER.argument(),
    )
