"""Enumerations stored as lowercase strings (VARCHAR with a CHECK), never native PG enums.

Native enums are schema objects that every tenant schema's migration would have to
create and alter in step; a CHECK constraint travels with its table.
"""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import Enum


class EngagementStatus(StrEnum):
    PROSPECT = "prospect"
    ACTIVE = "active"
    PAUSED = "paused"
    COMPLETED = "completed"


class ClientSize(StrEnum):
    SMALL = "small"
    MEDIUM = "medium"
    LARGE = "large"
    ENTERPRISE = "enterprise"


class LifecycleStage(StrEnum):
    IDEA = "idea"
    PILOT = "pilot"
    PRODUCTION = "production"
    RETIRED = "retired"


LIVE_STAGES = frozenset({LifecycleStage.PILOT, LifecycleStage.PRODUCTION})


class RiskTier(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"


class KpiDirection(StrEnum):
    HIGHER = "higher"
    LOWER = "lower"


class DecisionAuthority(StrEnum):
    NONE = "none"
    ADVISORY = "advisory"
    OPERATIONAL = "operational"
    FULL = "full"


class RaciRole(StrEnum):
    ACCOUNTABLE = "accountable"
    RESPONSIBLE = "responsible"
    CONSULTED = "consulted"
    INFORMED = "informed"


class Responsibility(StrEnum):
    MONITORING = "monitoring"
    EXCEPTIONS = "exceptions"
    INCIDENTS = "incidents"
    IMPROVEMENT = "improvement"


class ChangePlanStatus(StrEnum):
    DRAFT = "draft"
    ACTIVE = "active"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


class MilestoneStatus(StrEnum):
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


class ResponsibleParty(StrEnum):
    VENDOR = "vendor"
    CLIENT = "client"
    SHARED = "shared"
    UNSPECIFIED = "unspecified"


class ReviewOutcome(StrEnum):
    ON_TRACK = "on_track"
    NEEDS_IMPROVEMENT = "needs_improvement"
    OFF_TRACK = "off_track"


class IncidentSeverity(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"


class IncidentStatus(StrEnum):
    OPEN = "open"
    INVESTIGATING = "investigating"
    RESOLVED = "resolved"
    CLOSED = "closed"


class ReportStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"


class HealthStatus(StrEnum):
    RED = "red"
    AMBER = "amber"
    GREEN = "green"


class HealthReasonLevel(StrEnum):
    """How one reason of a health report weighs: info explains without setting the status."""

    RED = "red"
    AMBER = "amber"
    INFO = "info"


def enum_type(enum_cls: type[StrEnum], name: str) -> Enum:
    """A VARCHAR(32) column type holding `enum_cls` values, with a CHECK named `name`."""
    return Enum(
        enum_cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        validate_strings=True,
        length=32,
        values_callable=lambda cls: [member.value for member in cls],
    )
