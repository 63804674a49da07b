"""Change-plan lists hanging off other areas' nodes (ClientOrganisation.changePlans)."""

from __future__ import annotations

from typing import Any

from schema.change_plans.types import ChangePlanFilter
from schema.node_lists import NodeList
from schema.pagination import Ordering
from tenants import models as m

PLAN_ORDERING = Ordering(m.ChangePlan.created_at)


def plan_conditions(filter: ChangePlanFilter | None) -> tuple[list[Any], tuple[Any, ...]]:
    """SQL conditions for the filter, and a hashable key identifying them."""
    statuses = tuple(sorted(m.ChangePlanStatus(s) for s in (filter.status or []))) if filter else ()
    where: list[Any] = []
    if statuses:
        where.append(m.ChangePlan.status.in_(statuses))
    return where, statuses


# ClientOrganisation.changePlans
CLIENT_CHANGE_PLANS = NodeList(
    m.ChangePlan,
    m.ChangePlan.client_id,
    PLAN_ORDERING,
    "schema.change_plans.types:ChangePlanNode",
    plan_conditions,
)
