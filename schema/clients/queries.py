"""`clientOrganisations(first, after, filter, orderBy)`."""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Any

import strawberry

from schema.clients.types import ClientOrganisationNode
from schema.compiled.sql import Page, sql
from schema.context import Info
from schema.enums import EngagementStatus, documented_enum
from schema.pagination import After, Connection, First, Ordering, SortDirection, paginate
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


@documented_enum(
    "What to sort ClientOrganisation results by; ties are broken by id.",
    {
        "NAME": "By name.",
        "CREATED_AT": "By when it was created.",
        "UPDATED_AT": "By when it was last changed.",
    },
)
class ClientOrganisationOrderField(Enum):
    NAME = "name"
    CREATED_AT = "created_at"
    UPDATED_AT = "updated_at"


@strawberry.input(description="Sort order; ties are broken by id. Default: NAME ascending.")
class ClientOrganisationOrder:
    field: ClientOrganisationOrderField = strawberry.field(
        default=ClientOrganisationOrderField.NAME, description="What to sort by."
    )
    direction: SortDirection = strawberry.field(
        default=SortDirection.ASC, description="ASC or DESC."
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


def client_ordering(order: ClientOrganisationOrder | None) -> Ordering:
    o = order or ClientOrganisationOrder()
    return Ordering(
        getattr(m.ClientOrganisation, o.field.value), descending=o.direction is SortDirection.DESC
    )


@strawberry.type
class ClientOrganisationQuery:
    @strawberry.field(
        description="Client organisations the principal may see (a client user: its own).",
        metadata=sql(
            Page(
                m.ClientOrganisation,
                None,
                conditions=lambda a: client_conditions(a.get("filter")),
                ordering=lambda a: client_ordering(a.get("order_by")),
            )
        ),
    )
    async def client_organisations(
        self,
        info: Info,
        first: First = 20,
        after: After = None,
        filter: Annotated[
            ClientOrganisationFilter | None,
            strawberry.argument(
                description=(
                    "Keep only clients matching every given condition; null: those not archived."
                )
            ),
        ] = None,
        order_by: Annotated[
            ClientOrganisationOrder | None,
            strawberry.argument(description="Sort order; null: by name, ascending."),
        ] = None,
    ) -> Connection[ClientOrganisationNode]:
        return await paginate(
            info,
            m.ClientOrganisation,
            where=client_conditions(filter),
            ordering=client_ordering(order_by),
            first=first,
            after=after,
            to_node=ClientOrganisationNode.from_model,
        )
