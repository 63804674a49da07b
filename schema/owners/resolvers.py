"""Batched reads of the owners area (also used by other areas' types)."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import InstrumentedAttribute

from schema.context import Info
from schema.loaders import by_id, loader
from schema.node import node_or_none
from schema.owners.filters import (
    ASSIGNMENT_ORDERING,
    OwnerFilter,
    OwnerOrder,
    assignment_conditions,
    owner_conditions,
    owner_ordering,
)
from schema.owners.types import CapabilityGap, OwnerNode, OwnershipAssignmentNode
from schema.pagination import Connection, child_connection
from tenants import models as m
from tenants.services.assessments import gaps_by_owner
from tenants.services.assignments import hours_by_owner


async def owner_by_id(info: Info, owner_id: uuid.UUID) -> OwnerNode | None:
    obj = await by_id(info, m.Owner).load(owner_id)
    return node_or_none(OwnerNode.from_model, obj)


async def _assignments(
    info: Info,
    parent: InstrumentedAttribute[Any],
    parent_id: uuid.UUID,
    first: int | None,
    after: str | None,
    current: bool | None,
) -> Connection[OwnershipAssignmentNode]:
    today = date.today()
    return await child_connection(
        info,
        m.OwnershipAssignment,
        parent,
        parent_id,
        where=assignment_conditions(current, today),
        where_key=(current, today),
        ordering=ASSIGNMENT_ORDERING,
        first=first,
        after=after,
        to_node=OwnershipAssignmentNode.from_model,
    )


async def owner_assignments(
    info: Info, owner_id: uuid.UUID, first: int | None, after: str | None, current: bool | None
) -> Connection[OwnershipAssignmentNode]:
    return await _assignments(info, m.OwnershipAssignment.owner_id, owner_id, first, after, current)


async def process_assignments(
    info: Info, process_id: uuid.UUID, first: int | None, after: str | None, current: bool | None
) -> Connection[OwnershipAssignmentNode]:
    return await _assignments(
        info, m.OwnershipAssignment.process_id, process_id, first, after, current
    )


async def total_hours(info: Info, owner_id: uuid.UUID) -> Decimal:
    async def batch(ids: list[uuid.UUID]) -> list[Decimal]:
        found = await hours_by_owner(info.context.db, owner_ids=ids)
        return [found[i] for i in ids]

    return await loader(info, "owner.total_hours", batch).load(owner_id)


async def capability_gaps(info: Info, owner_id: uuid.UUID) -> list[CapabilityGap]:
    async def batch(ids: list[uuid.UUID]) -> list[list[CapabilityGap]]:
        found = await gaps_by_owner(info.context.db, owner_ids=ids)
        return [
            [
                CapabilityGap(dimension_db_id=g.dimension_id, score=g.score, bar=g.bar)
                for g in found[i]
            ]
            for i in ids
        ]

    return await loader(info, "owner.capability_gaps", batch).load(owner_id)


async def client_owners(
    info: Info,
    client_id: uuid.UUID,
    first: int | None,
    after: str | None,
    filter: OwnerFilter | None,
    order_by: OwnerOrder | None,
) -> Connection[OwnerNode]:
    where, key = owner_conditions(filter)
    return await child_connection(
        info,
        m.Owner,
        m.Owner.client_id,
        client_id,
        where=where,
        where_key=key,
        ordering=owner_ordering(order_by),
        first=first,
        after=after,
        to_node=OwnerNode.from_model,
    )
