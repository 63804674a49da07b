"""Batched reads of the owners area (also used by other areas' types)."""

from __future__ import annotations

import uuid
from decimal import Decimal

from schema.context import Info
from schema.loaders import loader
from schema.owners.types import CapabilityGap
from tenants.services.assessments import gaps_by_owner
from tenants.services.assignments import hours_by_owner


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
