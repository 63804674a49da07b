"""Batched reads of the capability area."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from schema.capability.types import (
    CapabilityAssessmentNode,
    CapabilityScore,
)
from schema.context import Info
from schema.loaders import loader
from tenants import models as m
from tenants.services.assessments import latest_assessment_by_owner


async def scores(info: Info, assessment_id: uuid.UUID) -> list[CapabilityScore]:
    # Scores are read through an assessment the principal can already see.
    async def batch(ids: list[uuid.UUID]) -> list[list[CapabilityScore]]:
        rows = await info.context.db.execute(
            select(
                m.CapabilityScore.assessment_id,
                m.CapabilityScore.dimension_id,
                m.CapabilityScore.score,
            )
            .join(m.CapabilityDimension, m.CapabilityDimension.id == m.CapabilityScore.dimension_id)
            .where(m.CapabilityScore.assessment_id.in_(ids))
            .order_by(m.CapabilityDimension.position, m.CapabilityDimension.key)
        )
        out: dict[uuid.UUID, list[CapabilityScore]] = {i: [] for i in ids}
        for assessment_id, dimension_id, score in rows:
            out[assessment_id].append(CapabilityScore(dimension_db_id=dimension_id, score=score))
        return [out[i] for i in ids]

    return await loader(info, "assessment.scores", batch).load(assessment_id)


async def latest_assessment(info: Info, owner_id: uuid.UUID) -> CapabilityAssessmentNode | None:
    # Called only for an owner the principal can see, so its assessments are visible too.
    async def batch(ids: list[uuid.UUID]) -> list[CapabilityAssessmentNode | None]:
        found = await latest_assessment_by_owner(info.context.db, owner_ids=ids)
        return [CapabilityAssessmentNode.from_model(found[i]) if i in found else None for i in ids]

    return await loader(info, "owner.latest_assessment", batch).load(owner_id)
