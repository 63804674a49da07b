"""Capability of owners: tenant-defined dimensions, assessments and their scores."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import (
    CheckConstraint,
    Date,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tenants.base import TenantBase, Timestamps, UUIDPrimaryKey, Versioned, references


class CapabilityDimension(UUIDPrimaryKey, Timestamps, Versioned, TenantBase):
    """A scored skill; `bar` is the lowest acceptable score (below it is a gap)."""

    __tablename__ = "capability_dimensions"
    __table_args__ = (
        CheckConstraint("bar >= 1 AND bar <= 5", name="bar_range"),
        CheckConstraint("position >= 0", name="position_nonnegative"),
    )

    key: Mapped[str] = mapped_column(String(64), nullable=False, unique=True)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    description: Mapped[str | None] = mapped_column(Text)
    bar: Mapped[int] = mapped_column(SmallInteger, nullable=False, default=3)
    position: Mapped[int] = mapped_column(Integer, nullable=False, default=0)


class CapabilityScore(TenantBase):
    """One dimension's score within an assessment; written with it, never changed."""

    __tablename__ = "capability_scores"
    __table_args__ = (
        CheckConstraint("score >= 1 AND score <= 5", name="score_range"),
        Index("ix_capability_scores_dimension_id", "dimension_id"),
    )

    assessment_id: Mapped[uuid.UUID] = references(
        "capability_assessments.id", ondelete="CASCADE", primary_key=True
    )
    dimension_id: Mapped[uuid.UUID] = references("capability_dimensions.id", primary_key=True)
    score: Mapped[int] = mapped_column(SmallInteger, nullable=False)


class CapabilityAssessment(UUIDPrimaryKey, Timestamps, Versioned, TenantBase):
    """An owner's assessment on one date; the latest one is their current capability."""

    __tablename__ = "capability_assessments"
    __table_args__ = (
        Index(
            "ix_capability_assessments_owner_id_assessed_on",
            "owner_id",
            "assessed_on",
            "created_at",
        ),
    )

    owner_id: Mapped[uuid.UUID] = references("owners.id")
    assessed_on: Mapped[date] = mapped_column(Date, nullable=False)
    assessor: Mapped[str] = mapped_column(String(200), nullable=False)
    notes: Mapped[str | None] = mapped_column(Text)
    training_recommendations: Mapped[str | None] = mapped_column(Text)

    scores: Mapped[list[CapabilityScore]] = relationship(
        lazy="raise", cascade="all, delete-orphan", passive_deletes=True
    )
