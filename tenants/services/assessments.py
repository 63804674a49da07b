"""Capability: dimensions (tenant data), owner assessments, and gaps below the bar."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import distinct_on
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from tenants.errors import DomainError, ErrorCode, FieldError
from tenants.models import CapabilityAssessment, CapabilityDimension, CapabilityScore, Owner
from tenants.services.audit import SYSTEM, Actor, add_audited, finish_write
from tenants.services.audit_shape import global_ids_of
from tenants.services.changes import Changes, Rule, Verify, between, long_text, text
from tenants.services.persistence import guarded_write
from tenants.services.validation import Collector

DEFAULT_DIMENSIONS: tuple[tuple[str, str, str], ...] = (
    (
        "ai_fundamentals",
        "AI fundamentals",
        "How the models in use work, where they fail, what their outputs mean.",
    ),
    (
        "data_interpretation",
        "Data interpretation",
        "Reading performance data and KPIs, spotting drift and bad inputs.",
    ),
    (
        "operational_management",
        "Operational management",
        "Running the process day to day: exceptions, incidents, people and change.",
    ),
)
DEFAULT_BAR = 3
_KEY = re.compile(r"^[a-z][a-z0-9_]{1,63}$")
KEY_INDEX = "uq_capability_dimensions_key"


@dataclass(frozen=True, slots=True)
class ScoreInput:
    dimension_id: uuid.UUID
    score: int


@dataclass(frozen=True, slots=True)
class CapabilityGap:
    dimension_id: uuid.UUID
    key: str
    name: str
    score: int
    bar: int

    @property
    def shortfall(self) -> int:
        return self.bar - self.score


def capability_gaps(
    dimensions: Iterable[CapabilityDimension], scores: Mapping[uuid.UUID, int]
) -> list[CapabilityGap]:
    """Dimensions whose score (from the latest assessment) is below their bar.

    An unscored dimension is not a gap here: it is a missing assessment, which the
    readiness rules report on their own.
    """
    gaps = []
    for d in sorted(dimensions, key=lambda d: (d.position, d.key)):
        score = scores.get(d.id)
        if score is not None and score < d.bar:
            gaps.append(CapabilityGap(d.id, d.key, d.name, score, d.bar))
    return gaps


async def latest_assessment_by_owner(
    session: AsyncSession, *, owner_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, CapabilityAssessment]:
    """Each owner's latest assessment with its scores loaded (two statements)."""
    if not owner_ids:
        return {}
    latest = (
        select(CapabilityAssessment.id)
        .ext(distinct_on(CapabilityAssessment.owner_id))
        .where(CapabilityAssessment.owner_id.in_(owner_ids))
        .order_by(
            CapabilityAssessment.owner_id,
            CapabilityAssessment.assessed_on.desc(),
            CapabilityAssessment.created_at.desc(),
        )
    )
    rows = await session.scalars(
        select(CapabilityAssessment)
        .where(CapabilityAssessment.id.in_(latest))
        .options(selectinload(CapabilityAssessment.scores))
    )
    return {a.owner_id: a for a in rows}


async def gaps_by_owner(
    session: AsyncSession, *, owner_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, list[CapabilityGap]]:
    """Capability gaps of each owner from their latest assessment (empty if none)."""
    dimensions = list(await session.scalars(select(CapabilityDimension)))
    latest = await latest_assessment_by_owner(session, owner_ids=owner_ids)
    out: dict[uuid.UUID, list[CapabilityGap]] = {}
    for owner_id in owner_ids:
        a = latest.get(owner_id)
        scores = {s.dimension_id: s.score for s in a.scores} if a else {}
        out[owner_id] = capability_gaps(dimensions, scores)
    return out


async def ensure_default_dimensions(
    session: AsyncSession, *, actor: Actor = SYSTEM
) -> list[CapabilityDimension]:
    """Create the three default dimensions that are missing (by key); returns those created."""
    existing = set(await session.scalars(select(CapabilityDimension.key)))
    created = []
    for position, (key, name, description) in enumerate(DEFAULT_DIMENSIONS):
        if key in existing:
            continue
        dimension = CapabilityDimension(
            key=key, name=name, description=description, bar=DEFAULT_BAR, position=position
        )
        await add_audited(session, dimension, actor=actor, action="create")
        created.append(dimension)
    return created


def _key_taken() -> DomainError:
    return DomainError([FieldError("key", ErrorCode.CONFLICT, "a dimension has this key")])


def _key(c: Collector, field: str, value: str) -> str:
    clean = value.strip()
    if not _KEY.match(clean):
        c.add(field, "must be lowercase letters, digits and underscores, starting with a letter")
    return clean


DIMENSION_CHANGES = Changes(
    CapabilityDimension,
    Rule("key", _key, nullable=False),
    Rule("name", text, nullable=False),
    Rule("description", long_text),
    Rule("bar", between(1, 5), nullable=False, default=DEFAULT_BAR),
    Rule("position", between(0, 1000), nullable=False, default=0),
)


def _key_free(session: AsyncSession) -> Verify:
    """A well-formed new key no other dimension has (the unique index backs this up)."""

    async def verify(c: Collector, changes: dict[str, Any]) -> None:
        if "key" in changes and not c.has("key"):
            taken = await session.scalar(
                select(CapabilityDimension.id).where(CapabilityDimension.key == changes["key"])
            )
            if taken is not None:
                c.errors.extend(_key_taken().errors)

    return verify


async def create_dimension(
    session: AsyncSession, *, actor: Actor, **values: Any
) -> CapabilityDimension:
    """Add a tenant-specific capability dimension from the fields of `DIMENSION_CHANGES`."""
    return await DIMENSION_CHANGES.create(
        session,
        actor=actor,
        values=values,
        constraints={KEY_INDEX: _key_taken()},
        verify=_key_free(session),
    )


async def update_dimension(
    session: AsyncSession,
    *,
    actor: Actor,
    dimension_id: uuid.UUID,
    expected_version: int,
    **values: Any,
) -> CapabilityDimension:
    """Change a dimension's name, description, bar or position (its key is fixed)."""
    if "key" in values:
        raise TypeError("a dimension's key cannot change")
    DIMENSION_CHANGES.refuse_null(values)
    dimension = await DIMENSION_CHANGES.load(
        session, dimension_id, expected_version=expected_version
    )
    return await DIMENSION_CHANGES.update(session, dimension, actor=actor, values=values)


def _audited_scores(scores: Sequence[ScoreInput]) -> list[dict[str, object]]:
    """The scores as the API lists them: `{dimension, score}` with the dimension's global id."""
    ids = global_ids_of(CapabilityDimension, [s.dimension_id for s in scores])
    return [{"dimension": i, "score": s.score} for i, s in zip(ids, scores, strict=True)]


# What an assessment records; Changes only checks it: the write is audited as `record`,
# with the scores (their own rows) in the event, so it stays record_assessment's own.
ASSESSMENT_CHANGES = Changes(
    CapabilityAssessment,
    Rule("assessed_on", nullable=False),
    Rule("assessor", text, nullable=False),
    Rule("notes", long_text),
    Rule("training_recommendations", long_text),
)


async def _check_scores(session: AsyncSession, c: Collector, scores: Sequence[ScoreInput]) -> None:
    """At least one score, each of a known dimension scored once, each 1-5."""
    if not scores:
        c.add("scores", "must score at least one dimension")
    known = set(await session.scalars(select(CapabilityDimension.id)))
    seen: set[uuid.UUID] = set()
    for i, s in enumerate(scores):
        if s.dimension_id not in known:
            c.add(f"scores[{i}].dimensionId", "not found", ErrorCode.NOT_FOUND)
        elif s.dimension_id in seen:
            c.add(f"scores[{i}].dimensionId", "is scored twice")
        seen.add(s.dimension_id)
        c.int_range(f"scores[{i}].score", s.score, 1, 5)


async def record_assessment(
    session: AsyncSession,
    *,
    actor: Actor,
    owner_id: uuid.UUID,
    assessed_on: date,
    assessor: str,
    scores: Sequence[ScoreInput],
    notes: str | None = None,
    training_recommendations: str | None = None,
    today: date | None = None,
) -> CapabilityAssessment:
    """Record an owner's capability assessment: one 1-5 score per dimension assessed."""
    c = Collector()
    await c.load(session, Owner, owner_id, "ownerId")
    if assessed_on > (today or date.today()):
        c.add("assessed_on", "must not be in the future")
    checked = ASSESSMENT_CHANGES.check(
        c,
        {
            "assessed_on": assessed_on,
            "assessor": assessor,
            "notes": notes,
            "training_recommendations": training_recommendations,
        },
    )
    await _check_scores(session, c, scores)
    c.raise_if_any()
    assessment = CapabilityAssessment(
        owner_id=owner_id,
        scores=[CapabilityScore(dimension_id=s.dimension_id, score=s.score) for s in scores],
        **checked,
    )
    async with guarded_write(session):
        session.add(assessment)
    await finish_write(
        session,
        actor=actor,
        action="record",
        obj=assessment,
        before=None,
        extra_after={"scores": _audited_scores(scores)},
    )
    return assessment
