"""Filter and order of a client's `owners` connection."""

from __future__ import annotations

from collections.abc import Hashable
from datetime import date, timedelta
from typing import Any

import strawberry
from sqlalchemy import exists, func, not_, or_, select, tuple_
from sqlalchemy.orm import aliased

from jobs.readiness.rules.capability import ASSESSMENT_MAX_AGE_DAYS
from jobs.readiness.rules.capacity import MAX_OWNER_HOURS_PER_WEEK
from schema.enums import DecisionAuthority
from schema.node_lists import ListArgument, NodeList
from schema.pagination import Ordering
from schema.processes.filters import like_pattern
from schema.sort_orders import NAME_OR_STAMPS, sort_order
from tenants import models as m
from tenants.services.assignments import in_effect

# Assignments, newest first: an owner's or a process's history.
ASSIGNMENT_ORDERING = Ordering(m.OwnershipAssignment.starts_on, descending=True)


def assignment_conditions(current: bool | None, on: date) -> list[Any]:
    """`current: true` keeps those in effect on `on`, `false` the others, null all."""
    if current is None:
        return []
    return [in_effect(on) if current else not_(in_effect(on))]


def current_conditions(current: bool | None) -> tuple[list[Any], Hashable]:
    """The `current` argument's conditions as of today, keyed by the day too."""
    today = date.today()
    return assignment_conditions(current, today), (current, today)


def assignments_of(parent: Any) -> NodeList:
    """An owner's or a process's assignments (`parent` is the column)."""
    return NodeList(
        m.OwnershipAssignment,
        parent,
        ASSIGNMENT_ORDERING,
        "schema.owners.types:OwnershipAssignmentNode",
        current_conditions,
        argument="current",
    )


# Their `current` argument.
CURRENT = ListArgument(
    bool | None, "true: only those in effect today; false: only the others; null: all."
)
OWNER_ASSIGNMENTS = assignments_of(m.OwnershipAssignment.owner_id)
PROCESS_ASSIGNMENTS = assignments_of(m.OwnershipAssignment.process_id)


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
    over_capacity: bool | None = strawberry.field(
        default=None,
        description=f"true: owners whose assignments in effect today, on processes not "
        f"RETIRED, add up to more than {MAX_OWNER_HOURS_PER_WEEK:g} hours a week (the "
        "readiness rule AUT-003); false: every other owner.",
    )
    unassessed: bool | None = strawberry.field(
        default=None,
        description=f"true: owners with no capability assessment in the last "
        f"{ASSESSMENT_MAX_AGE_DAYS} days, never assessed included (CAB-001); false: owners "
        "with one.",
    )
    capability_gaps: bool | None = strawberry.field(
        default=None,
        description="true: owners whose latest capability assessment scores below a "
        "dimension's bar on at least one dimension (CAB-002); false: every other owner, "
        "unassessed ones included.",
    )


OWNER_ORDER = sort_order("Owner", m.Owner, NAME_OR_STAMPS, default="NAME")


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
    day = date.today()
    for wanted, condition in (
        (f.over_capacity, over_capacity_condition(day)),
        (f.unassessed, unassessed_condition(day)),
        (f.capability_gaps, capability_gap_condition()),
    ):
        if wanted is not None:
            where.append(condition if wanted else not_(condition))
    key = (
        tuple(sorted(str(a) for a in f.decision_authority or ())),
        f.search,
        f.include_archived,
        (f.over_capacity, f.unassessed, f.capability_gaps, day),
    )
    return where, key


def over_capacity_condition(on: date) -> Any:
    """SQL over Owner: current hours on processes not retired exceed the readiness limit."""
    a, p = m.OwnershipAssignment, m.AIProcess
    hours = (
        select(func.coalesce(func.sum(a.hours_per_week), 0))
        .join(p, p.id == a.process_id)
        .where(
            a.owner_id == m.Owner.id,
            in_effect(on),
            p.lifecycle_stage != m.LifecycleStage.RETIRED,
        )
        .scalar_subquery()
    )
    return hours > MAX_OWNER_HOURS_PER_WEEK


def unassessed_condition(on: date) -> Any:
    """SQL over Owner: no assessment within ASSESSMENT_MAX_AGE_DAYS of `on`."""
    ca = m.CapabilityAssessment
    cutoff = on - timedelta(days=ASSESSMENT_MAX_AGE_DAYS)
    return not_(exists(select(ca.id).where(ca.owner_id == m.Owner.id, ca.assessed_on >= cutoff)))


def capability_gap_condition() -> Any:
    """SQL over Owner: the latest assessment (as the readiness job picks it) has a gap."""
    ca, later = m.CapabilityAssessment, aliased(m.CapabilityAssessment)
    s, d = m.CapabilityScore, m.CapabilityDimension
    newer = exists(
        select(later.id).where(
            later.owner_id == ca.owner_id,
            tuple_(later.assessed_on, later.created_at, later.id)
            > tuple_(ca.assessed_on, ca.created_at, ca.id),
        )
    )
    return exists(
        select(s.assessment_id)
        .join(ca, ca.id == s.assessment_id)
        .join(d, d.id == s.dimension_id)
        .where(ca.owner_id == m.Owner.id, s.score < d.bar, not_(newer))
    )


# ClientOrganisation.owners
CLIENT_OWNERS = NodeList(
    m.Owner,
    m.Owner.client_id,
    OWNER_ORDER.ordering(None),
    "schema.owners.types:OwnerNode",
    owner_conditions,
    order_by=OWNER_ORDER.ordering,
)
