"""Domain enums exposed to GraphQL (UPPER_CASE names, lower-case values in the database)."""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum
from typing import TypeVar

import strawberry
from strawberry.types.enum import StrawberryEnumDefinition

from jobs.readiness.findings import Pillar, Severity
from tenants import models as m

E = TypeVar("E", bound=type[Enum])


def documented(
    cls: E, description: str, values: Mapping[str, str], *, name: str | None = None
) -> E:
    """`strawberry.enum(cls)` with a description for every member, written beside the enum.

    The domain enums live in tenants/ (plain values the database stores), so the API's
    words for each member are given here by member name; a member without one is an
    error at import, before any SDL is written.
    """
    wrapped = strawberry.enum(cls, name=name, description=description)
    definition: StrawberryEnumDefinition = wrapped.__strawberry_definition__  # type: ignore[attr-defined]
    missing = {v.name for v in definition.values} ^ set(values)
    if missing:
        raise ValueError(f"{definition.name}: no description for or unknown member {missing}")
    for value in definition.values:
        value.description = values[value.name]
    return wrapped


EngagementStatus = strawberry.enum(m.EngagementStatus, description="Where the engagement stands.")
ClientSize = strawberry.enum(m.ClientSize, description="Size band of the client organisation.")
LifecycleStage = strawberry.enum(
    m.LifecycleStage, description="idea, pilot, production or retired."
)
RiskTier = strawberry.enum(m.RiskTier, description="How much harm a failure of the process can do.")
KpiDirection = strawberry.enum(m.KpiDirection, description="Whether higher or lower is better.")
DecisionAuthority = strawberry.enum(
    m.DecisionAuthority, description="What an owner may decide about the process."
)
RaciRole = strawberry.enum(m.RaciRole, description="Accountable, responsible, consulted, informed.")
Responsibility = strawberry.enum(m.Responsibility, description="Duties an assignment covers.")
ChangePlanStatus = strawberry.enum(m.ChangePlanStatus)
MilestoneStatus = strawberry.enum(m.MilestoneStatus)
ResponsibleParty = strawberry.enum(
    m.ResponsibleParty, description="Who answers for a vendor agreement clause."
)
ReviewOutcome = strawberry.enum(m.ReviewOutcome)
IncidentSeverity = strawberry.enum(m.IncidentSeverity)
IncidentStatus = strawberry.enum(m.IncidentStatus)
ReportStatus = strawberry.enum(m.ReportStatus, description="QUEUED, RUNNING, SUCCEEDED or FAILED.")
HealthStatus = strawberry.enum(m.HealthStatus, description="RED, AMBER or GREEN.")
HealthReasonLevel = strawberry.enum(
    m.HealthReasonLevel, description="How much one reason weighs on a health status."
)
ReadinessPillar = strawberry.enum(
    Pillar, name="ReadinessPillar", description="A pillar of readiness (jobs/readiness/RULES.md)."
)
FindingSeverity = strawberry.enum(
    Severity, name="FindingSeverity", description="CRITICAL, HIGH, MEDIUM or LOW."
)


def reason_level(value: object) -> m.HealthReasonLevel:
    """A stored reason's level; anything else reads as info, as the compiled path does."""
    try:
        return m.HealthReasonLevel(str(value if value is not None else "info"))
    except ValueError:
        return m.HealthReasonLevel.INFO
