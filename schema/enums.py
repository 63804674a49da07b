"""Domain enums exposed to GraphQL (UPPER_CASE names, lower-case values in the database)."""

from __future__ import annotations

import strawberry

from tenants import models as m

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
