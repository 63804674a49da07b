"""`capabilityDimensions(first, after, orderBy)`."""

from __future__ import annotations

from enum import Enum

import strawberry

from schema.capability.types import CapabilityDimensionNode
from schema.compiled.sql import Page, sql
from schema.context import Info
from schema.pagination import After, Connection, First, Ordering, SortDirection, paginate
from tenants import models as m


@strawberry.enum(description="What to sort CapabilityDimension results by; ties are broken by id.")
class CapabilityDimensionOrderField(Enum):
    POSITION = strawberry.enum_value("position", description="By display position.")
    NAME = strawberry.enum_value("name", description="By name.")
    KEY = strawberry.enum_value("key", description="By key.")
    CREATED_AT = strawberry.enum_value("created_at", description="By when it was created.")


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
        order_by: CapabilityDimensionOrder | None = None,
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
