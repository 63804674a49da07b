"""Filter and order of a client's `processes` connection; `orphaned` is SQL."""

from __future__ import annotations

import uuid
from collections.abc import Hashable
from datetime import date
from typing import Any

import strawberry
from graphql import GraphQLError
from sqlalchemy import and_, exists, not_, select

from schema.enums import LifecycleStage, RiskTier
from schema.ids import parse_global_id
from schema.node_lists import NodeList
from schema.sort_orders import NAME_OR_STAMPS, sort_order
from tenants import models as m
from tenants.services.assignments import in_effect


@strawberry.input(description="Narrow the list; all given conditions must hold.")
class AIProcessFilter:
    lifecycle_stage: list[LifecycleStage] | None = strawberry.field(  # type: ignore[valid-type]
        default=None, description="Any of these lifecycle stages."
    )
    risk_tier: list[RiskTier] | None = strawberry.field(  # type: ignore[valid-type]
        default=None, description="Any of these risk tiers."
    )
    orphaned: bool | None = strawberry.field(
        default=None,
        description=(
            "true: live (pilot or production, not archived) with no accountable assignment "
            "in effect today; false: every other process."
        ),
    )
    include_archived: bool = strawberry.field(
        default=False, description="Archived processes are hidden unless this is true."
    )
    search: str | None = strawberry.field(
        default=None, description="Case-insensitive substring of the name."
    )
    business_unit: list[str] | None = strawberry.field(
        default=None,
        description="Any of these business units (exact, case-sensitive, as stored in "
        "AIProcess.businessUnit); processes without one never match.",
    )
    owner_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="Only processes this Owner (an Owner id) has an assignment in effect "
        "today on, in any RACI role.",
    )


PROCESS_ORDER = sort_order("AIProcess", m.AIProcess, NAME_OR_STAMPS, default="NAME")


def like_pattern(text: str) -> str:
    escaped = text[:200].replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def live_condition() -> Any:
    """SQL: the process is live (pilot or production, not archived); see AIProcess.is_live."""
    return and_(m.AIProcess.archived_at.is_(None), m.AIProcess.lifecycle_stage.in_(m.LIVE_STAGES))


def orphaned_condition(on: date) -> Any:
    """SQL: a live process with no accountable assignment in effect on `on`."""
    live = live_condition()
    covered = exists(
        select(m.OwnershipAssignment.id).where(
            m.OwnershipAssignment.process_id == m.AIProcess.id,
            m.OwnershipAssignment.raci_role == m.RaciRole.ACCOUNTABLE,
            in_effect(on),
        )
    )
    return and_(live, not_(covered))


def process_conditions(
    filter: AIProcessFilter | None, on: date | None = None
) -> tuple[list[Any], Hashable]:
    """SQL conditions of the filter and a hashable key identifying them (for batching)."""
    f = filter or AIProcessFilter()
    day = on or date.today()
    where: list[Any] = []
    if not f.include_archived:
        where.append(m.AIProcess.archived_at.is_(None))
    if f.lifecycle_stage:
        where.append(m.AIProcess.lifecycle_stage.in_(f.lifecycle_stage))
    if f.risk_tier:
        where.append(m.AIProcess.risk_tier.in_(f.risk_tier))
    if f.orphaned is not None:
        cond = orphaned_condition(day)
        where.append(cond if f.orphaned else not_(cond))
    if f.search:
        where.append(m.AIProcess.name.ilike(like_pattern(f.search), escape="\\"))
    if f.business_unit:
        where.append(m.AIProcess.business_unit.in_(f.business_unit))
    owner = filter_id(f.owner_id, "Owner", "filter.ownerId")
    if owner is not None:
        where.append(owned_by_condition(owner, day))
    key = (
        tuple(sorted(str(s) for s in f.lifecycle_stage or ())),
        tuple(sorted(str(t) for t in f.risk_tier or ())),
        f.orphaned,
        f.include_archived,
        f.search,
        tuple(sorted(f.business_unit or ())),
        owner,
        day,
    )
    return where, key


def filter_id(value: str | None, expected: str, argument: str) -> uuid.UUID | None:
    """The uuid of a global-id filter argument; a GraphQL error naming it for another id."""
    if value is None:
        return None
    parsed = parse_global_id(value)
    if parsed is None or parsed[0] != expected:
        article = "an" if expected[0] in "AEIOU" else "a"
        raise GraphQLError(f"`{argument}` must be the id of {article} {expected}")
    return parsed[1]


def owned_by_condition(owner_id: uuid.UUID, on: date) -> Any:
    """SQL: the owner has an assignment in effect on `on` on the process."""
    a = m.OwnershipAssignment
    return exists(
        select(a.id).where(a.process_id == m.AIProcess.id, a.owner_id == owner_id, in_effect(on))
    )


# ClientOrganisation.processes
CLIENT_PROCESSES = NodeList(
    m.AIProcess,
    m.AIProcess.client_id,
    PROCESS_ORDER.ordering(None),
    "schema.processes.types:AIProcessNode",
    process_conditions,
    order_by=PROCESS_ORDER.ordering,
)
