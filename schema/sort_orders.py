"""A list's `orderBy` input, built from the columns it may sort by.

Every sortable list takes `<Type>Order { field: <Type>OrderField = <default>, direction:
SortDirection = ASC }` and turns it into an `Ordering` of that column (then id) the same
way; only the type, the columns and the default differ. `sort_order` builds the enum,
the input and that translation from those three, worded alike for every type.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any

import strawberry

from schema.enums import documented
from schema.node_lists import ListArgument
from schema.pagination import Ordering, SortDirection

# The usual choice: the name, or either time stamp.
NAME_OR_STAMPS = {
    "NAME": "By name.",
    "CREATED_AT": "By when it was created.",
    "UPDATED_AT": "By when it was last changed.",
}


@dataclass(frozen=True)
class SortOrder:
    """The `orderBy` input of one model's lists."""

    input: type[Any]
    model: type[Any]
    default: str

    def ordering(self, order: Any | None) -> Ordering:
        """The Ordering that `orderBy` asks for; its defaults when it is null."""
        o = order or self.input()
        column = getattr(self.model, o.field.value)
        return Ordering(column, descending=o.direction is SortDirection.DESC)

    def argument(self) -> ListArgument:
        """The `orderBy` argument of a list field."""
        return ListArgument(
            self.input | None, f"Sort order; null: by {self.default.lower()}, ascending."
        )


def sort_order(
    type_name: str, model: type[Any], fields: Mapping[str, str], *, default: str
) -> SortOrder:
    """`<type_name>Order` over `fields` (member -> its description; the member's lower-case
    name is the column of `model`), sorting by `default` ascending when not told."""
    members = Enum(f"{type_name}OrderField", {name: name.lower() for name in fields})  # type: ignore[misc]
    field_enum = documented(
        members, f"What to sort {type_name} results by; ties are broken by id.", fields
    )
    namespace = {
        "__annotations__": {"field": field_enum, "direction": SortDirection},
        "field": strawberry.field(default=field_enum[default], description="What to sort by."),
        "direction": strawberry.field(default=SortDirection.ASC, description="ASC or DESC."),
    }
    description = f"Sort order; ties are broken by id. Default: {default} ascending."
    order_input = strawberry.input(description=description)(
        type(f"{type_name}Order", (), namespace)
    )
    return SortOrder(order_input, model, default)
