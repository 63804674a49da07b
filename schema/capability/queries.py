"""`capabilityDimensions(first, after, orderBy)`."""

from __future__ import annotations

import strawberry

from schema.node_lists import NodeList
from schema.sort_orders import sort_order
from tenants import models as m

DIMENSION_ORDER = sort_order(
    "CapabilityDimension",
    m.CapabilityDimension,
    {
        "POSITION": "By display position.",
        "NAME": "By name.",
        "KEY": "By key.",
        "CREATED_AT": "By when it was created.",
    },
    default="POSITION",
)


DIMENSIONS = NodeList(
    m.CapabilityDimension,
    None,
    DIMENSION_ORDER.ordering(None),
    "schema.capability.types:CapabilityDimensionNode",
    order_by=DIMENSION_ORDER.ordering,
)


@strawberry.type
class CapabilityQuery:
    capability_dimensions = DIMENSIONS.field(
        "The capability dimensions owners are assessed on.",
        order_by=DIMENSION_ORDER.argument(),
    )
