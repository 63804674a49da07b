"""Change-plan lists hanging off other areas' nodes (ClientOrganisation.changePlans)."""

from __future__ import annotations

import uuid
from typing import Any

from schema.change_plans.types import ChangePlanFilter, ChangePlanNode
from schema.compiled.sql import Page
from schema.context import Info
from schema.pagination import Connection, Ordering, child_connection
from tenants import models as m

PLAN_ORDERING = Ordering(m.ChangePlan.created_at)


def change_plans_page() -> Page:
    """ClientOrganisation.changePlans in SQL (schema/compiled)."""
    return Page(
        m.ChangePlan,
        m.ChangePlan.client_id,
        conditions=lambda a: plan_conditions(a.get("filter"))[0],
        ordering=lambda _: PLAN_ORDERING,
    )


def plan_conditions(filter: ChangePlanFilter | None) -> tuple[list[Any], tuple[Any, ...]]:
    """SQL conditions for the filter, and a hashable key identifying them."""
    statuses = tuple(sorted(m.ChangePlanStatus(s) for s in (filter.status or []))) if filter else ()
    where: list[Any] = []
    if statuses:
        where.append(m.ChangePlan.status.in_(statuses))
    return where, statuses


async def client_change_plans(
    info: Info,
    client_id: uuid.UUID,
    *,
    first: int | None,
    after: str | None,
    filter: ChangePlanFilter | None,
) -> Connection[ChangePlanNode]:
    where, key = plan_conditions(filter)
    return await child_connection(
        info,
        m.ChangePlan,
        m.ChangePlan.client_id,
        client_id,
        where=where,
        where_key=key,
        ordering=PLAN_ORDERING,
        first=first,
        after=after,
        to_node=ChangePlanNode.from_model,
    )
