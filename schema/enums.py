"""Domain enums exposed to GraphQL (UPPER_CASE names, lower-case values in the database)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from enum import Enum
from typing import TypeVar

import strawberry
from strawberry.types.enum import StrawberryEnumDefinition

from jobs.readiness.findings import Pillar, Severity
from tenants import models as m

E = TypeVar("E", bound=type[Enum])


def documented_enum(
    description: str, values: Mapping[str, str], *, name: str | None = None
) -> Callable[[E], E]:
    """`documented` as a class decorator, for an enum defined in the schema package.

    Plain member values (not `strawberry.enum_value`) keep `.value` typed as the value.
    """
    return lambda cls: documented(cls, description, values, name=name)


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


EngagementStatus = documented(
    m.EngagementStatus,
    "Where the engagement stands.",
    {
        "PROSPECT": "Not started: being scoped or proposed.",
        "ACTIVE": "The consultancy is working with the client now.",
        "PAUSED": "On hold; expected to resume.",
        "COMPLETED": "Finished.",
    },
)
ClientSize = documented(
    m.ClientSize,
    "Size band of the client organisation.",
    {
        "SMALL": "A small organisation.",
        "MEDIUM": "A medium-sized organisation.",
        "LARGE": "A large organisation.",
        "ENTERPRISE": "An enterprise (the largest band).",
    },
)
LifecycleStage = documented(
    m.LifecycleStage,
    "Where a process is in its life; PILOT and PRODUCTION are live (they need an owner).",
    {
        "IDEA": "Proposed, not running.",
        "PILOT": "Running on a limited scale (live).",
        "PRODUCTION": "Running in normal operation (live).",
        "RETIRED": "No longer running.",
    },
)
RiskTier = documented(
    m.RiskTier,
    "How much harm a failure of the process can do.",
    {
        "LOW": "Little harm.",
        "MEDIUM": "Noticeable harm, contained.",
        "HIGH": "Serious harm to people or the business.",
        "CRITICAL": "Severe or irreversible harm.",
    },
)
KpiDirection = documented(
    m.KpiDirection,
    "Whether higher or lower is better.",
    {
        "HIGHER": "On target when the latest value is at least the target.",
        "LOWER": "On target when the latest value is at most the target.",
    },
)
DecisionAuthority = documented(
    m.DecisionAuthority,
    "What an owner may decide about the process.",
    {
        "NONE": "No decisions.",
        "ADVISORY": "Advises; others decide.",
        "OPERATIONAL": "Day-to-day operational decisions.",
        "FULL": "Every decision, stopping the process included.",
    },
)
RaciRole = documented(
    m.RaciRole,
    "Accountable, responsible, consulted, informed.",
    {
        "ACCOUNTABLE": "Answers for the process; at most one open accountable assignment each.",
        "RESPONSIBLE": "Does the work.",
        "CONSULTED": "Asked before decisions.",
        "INFORMED": "Kept informed of decisions.",
    },
)
Responsibility = documented(
    m.Responsibility,
    "Duties an assignment covers.",
    {
        "MONITORING": "Watching the process's performance.",
        "EXCEPTIONS": "Handling the cases the process cannot.",
        "INCIDENTS": "Answering incidents.",
        "IMPROVEMENT": "Improving the process over time.",
    },
)
ChangePlanStatus = documented(
    m.ChangePlanStatus,
    "Where a change plan stands.",
    {
        "DRAFT": "Being written (the default).",
        "ACTIVE": "Being carried out.",
        "COMPLETED": "Done.",
        "CANCELLED": "Abandoned.",
    },
)
MilestoneStatus = documented(
    m.MilestoneStatus,
    "Where a milestone stands; only COMPLETED has a completedOn date.",
    {
        "PLANNED": "Not started (the default).",
        "IN_PROGRESS": "Under way.",
        "COMPLETED": "Done.",
        "CANCELLED": "Dropped; never overdue.",
    },
)
ResponsibleParty = documented(
    m.ResponsibleParty,
    "Who answers for a vendor agreement clause.",
    {
        "VENDOR": "The AI vendor.",
        "CLIENT": "The client organisation.",
        "SHARED": "Vendor and client together.",
        "UNSPECIFIED": "Nobody is named: a gap (see missingClauses).",
    },
)
ReviewOutcome = documented(
    m.ReviewOutcome,
    "The verdict of a process review.",
    {
        "ON_TRACK": "Performing as intended.",
        "NEEDS_IMPROVEMENT": "Working, with issues to address.",
        "OFF_TRACK": "Not performing as intended.",
    },
)
IncidentSeverity = documented(
    m.IncidentSeverity,
    "How bad an incident is.",
    {
        "LOW": "Minor; no real harm.",
        "MEDIUM": "Some harm, contained.",
        "HIGH": "Serious harm.",
        "CRITICAL": "Severe harm; act now.",
    },
)
IncidentStatus = documented(
    m.IncidentStatus,
    "Where the handling of an incident stands; RESOLVED and CLOSED set resolvedAt.",
    {
        "OPEN": "Reported, not yet looked at (the default).",
        "INVESTIGATING": "Being looked at.",
        "RESOLVED": "Fixed.",
        "CLOSED": "Finished with, fixed or not.",
    },
)
ReportStatus = documented(
    m.ReportStatus,
    "QUEUED, RUNNING, SUCCEEDED or FAILED.",
    {
        "QUEUED": "Waiting for a worker.",
        "RUNNING": "A worker is building it.",
        "SUCCEEDED": "Built: scores, findings and documents are available.",
        "FAILED": "Could not be built; see failureReason.",
    },
)
HealthStatus = documented(
    m.HealthStatus,
    "RED, AMBER or GREEN.",
    {
        "RED": "At least one red reason: the engagement is slipping now.",
        "AMBER": "At least one amber reason and no red one: watch it.",
        "GREEN": "No red or amber reason.",
    },
)
HealthReasonLevel = documented(
    m.HealthReasonLevel,
    "How much one reason weighs on a health status.",
    {
        "RED": "Makes the report RED.",
        "AMBER": "Makes the report at least AMBER.",
        "INFO": "Explains; never changes the status.",
    },
)
ReadinessPillar = documented(
    Pillar,
    "A pillar of readiness (jobs/readiness/RULES.md).",
    {
        "OWNERSHIP": "Ownership coverage: every live process has an accountable owner.",
        "AUTHORITY_CAPACITY": "Authority & capacity: owners may decide and have the hours.",
        "CAPABILITY": "Capability: owners' assessed skills meet the bars.",
        "OVERSIGHT": "Oversight: human-review checkpoints and escalation paths.",
        "RESPONSIBILITIES": "Responsibilities: monitoring, exceptions, incidents, improvement.",
        "FEEDBACK_LOOPS": "Feedback loops: reviews, KPIs and incident handling.",
        "VENDOR_CLAUSES": "Vendor clauses: agreements settle who does what.",
        "CHANGE_MANAGEMENT": "Change management: plans, readiness and milestones.",
        "FRAGMENTATION": "Fragmentation: overlapping processes or tools have one owner.",
    },
    name="ReadinessPillar",
)
FindingSeverity = documented(
    Severity,
    "CRITICAL, HIGH, MEDIUM or LOW.",
    {
        "CRITICAL": "Fix first: a basic control is missing.",
        "HIGH": "A serious gap.",
        "MEDIUM": "A gap to plan for.",
        "LOW": "A minor improvement.",
    },
    name="FindingSeverity",
)


def reason_level(value: object) -> m.HealthReasonLevel:
    """A stored reason's level; anything else reads as info, as the compiled path does."""
    try:
        return m.HealthReasonLevel(str(value if value is not None else "info"))
    except ValueError:
        return m.HealthReasonLevel.INFO
