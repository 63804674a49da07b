"""`capabilityDimensions(first, after, orderBy)`."""

from __future__ import annotations

from enum import Enum
from typing import Annotated

import strawberry

from schema.capability.types import CapabilityDimensionNode
from schema.compiled.sql import Page, sql
from schema.context import Info
from schema.enums import documented_enum
from schema.pagination import After, Connection, First, Ordering, SortDirection, paginate
from tenants import models as m


@documented_enum(
    "What to sort CapabilityDimension results by; ties are broken by id.",
    {
        "POSITION": "By display position.",
        "NAME": "By name.",
        "KEY": "By key.",
        "CREATED_AT": "By when it was created.",
    },
)
class CapabilityDimensionOrderField(Enum):
    POSITION = "position"
    NAME = "name"
    KEY = "key"
    CREATED_AT = "created_at"


@strawberry.input(description="Sort order; ties are broken by id. Default: POSITION ascending.")
class CapabilityDimensionOrder:
    field: CapabilityDimensionOrderField = strawberry.field(
        default=CapabilityDimensionOrderField.POSITION, description="What to sort by."
    )
    direction: SortDirection = strawberry.field(
        default=SortDirection.ASC, description="ASC or DESC."
    )


def dimension_ordering(order: CapabilityDimensionOrder | None) -> Ordering:
    o = order or CapabilityDimensionOrder()
    return Ordering(
        getattr(m.CapabilityDimension, o.field.value),
        descending=o.direction is SortDirection.DESC,
    )


@strawberry.type
class CapabilityQuery:
    @strawberry.field(
        description="The capability dimensions owners are assessed on.",
        metadata=sql(
            Page(
                m.CapabilityDimension,
                None,
                ordering=lambda a: dimension_ordering(a.get("order_by")),
            )
        ),
    )
    async def capability_dimensions(
        self,
        info: Info,
        first: First = 20,
        after: After = None,
        order_by: Annotated[
            CapabilityDimensionOrder | None,
            strawberry.argument(description="Sort order; null: by position, ascending."),
        ] = None,
    ) -> Connection[CapabilityDimensionNode]:
        return await paginate(
            info,
            m.CapabilityDimension,
            where=[],
            ordering=dimension_ordering(order_by),
            first=first,
            after=after,
            to_node=CapabilityDimensionNode.from_model,
        )
