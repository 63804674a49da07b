"""`capabilityDimensions(first, after, orderBy)`."""

from __future__ import annotations

from enum import Enum

import strawberry

from schema.capability.types import CapabilityDimensionNode
from schema.compiled.sql import Page, sql
from schema.context import Info
from schema.pagination import After, Connection, First, Ordering, SortDirection, paginate
from tenants import models as m


@strawberry.enum
class CapabilityDimensionOrderField(Enum):
    POSITION = "position"
    NAME = "name"
    KEY = "key"
    CREATED_AT = "created_at"


@strawberry.input(description="Sort order; ties are broken by id. Default: POSITION ascending.")
class CapabilityDimensionOrder:
    field: CapabilityDimensionOrderField = CapabilityDimensionOrderField.POSITION
    direction: SortDirection = SortDirection.ASC


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
