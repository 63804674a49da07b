"""Filter and order of a client's `owners` connection."""

from __future__ import annotations

from collections.abc import Hashable
from datetime import date
from enum import Enum
from typing import Any

import strawberry
from sqlalchemy import not_, or_

from schema.compiled.sql import Page
from schema.enums import DecisionAuthority, documented_enum
from schema.pagination import Ordering, SortDirection
from schema.processes.filters import like_pattern
from tenants import models as m
from tenants.services.assignments import in_effect

# Assignments, newest first: an owner's or a process's history.
ASSIGNMENT_ORDERING = Ordering(m.OwnershipAssignment.starts_on, descending=True)


def assignments_page(parent: Any) -> Page:
    """An owner's or a process's assignments (`parent` is the column), paged as resolvers do."""
    return Page(
        m.OwnershipAssignment,
        parent,
        conditions=lambda a: assignment_conditions(a.get("current"), date.today()),
        ordering=lambda _: ASSIGNMENT_ORDERING,
    )


def assignment_conditions(current: bool | None, on: date) -> list[Any]:
    """`current: true` keeps those in effect on `on`, `false` the others, null all."""
    if current is None:
        return []
    return [in_effect(on) if current else not_(in_effect(on))]


@strawberry.input(description="Narrow the list; all given conditions must hold.")
class OwnerFilter:
    decision_authority: list[DecisionAuthority] | None = strawberry.field(  # type: ignore[valid-type]
        default=None, description="Any of these decision authorities."
    )
    search: str | None = strawberry.field(
        default=None, description="Case-insensitive substring of the name or email."
    )
    include_archived: bool = strawberry.field(
        default=False, description="Archived owners are hidden unless this is true."
    )


@documented_enum(
    "What to sort Owner results by; ties are broken by id.",
    {
        "NAME": "By name.",
        "CREATED_AT": "By when it was created.",
        "UPDATED_AT": "By when it was last changed.",
    },
)
class OwnerOrderField(Enum):
    NAME = "name"
    CREATED_AT = "created_at"
    UPDATED_AT = "updated_at"


@strawberry.input(description="Sort order; ties are broken by id. Default: NAME ascending.")
class OwnerOrder:
    field: OwnerOrderField = strawberry.field(
        default=OwnerOrderField.NAME, description="What to sort by."
    )
    direction: SortDirection = strawberry.field(
        default=SortDirection.ASC, description="ASC or DESC."
    )


def owner_conditions(filter: OwnerFilter | None) -> tuple[list[Any], Hashable]:
    f = filter or OwnerFilter()
    where: list[Any] = []
    if not f.include_archived:
        where.append(m.Owner.archived_at.is_(None))
    if f.decision_authority:
        where.append(m.Owner.decision_authority.in_(f.decision_authority))
    if f.search:
        pattern = like_pattern(f.search)
        where.append(
            or_(m.Owner.name.ilike(pattern, escape="\\"), m.Owner.email.ilike(pattern, escape="\\"))
        )
    key = (
        tuple(sorted(str(a) for a in f.decision_authority or ())),
        f.search,
        f.include_archived,
    )
    return where, key


def owner_ordering(order: OwnerOrder | None) -> Ordering:
    o = order or OwnerOrder()
    return Ordering(getattr(m.Owner, o.field.value), descending=o.direction is SortDirection.DESC)
