"""ORM models of a tenant schema. Importing this package registers every table."""

from tenants.models.assignment import CURRENT_ACCOUNTABLE_INDEX, OwnershipAssignment
from tenants.models.audit import AuditAction, AuditActorKind, AuditEvent
from tenants.models.branding import ReportBranding
from tenants.models.capability import CapabilityAssessment, CapabilityDimension, CapabilityScore
from tenants.models.change_plan import ChangePlan, Milestone
from tenants.models.client import ClientOrganisation
from tenants.models.enums import (
    LIVE_STAGES,
    ChangePlanStatus,
    ClientSize,
    DecisionAuthority,
    EngagementStatus,
    HealthReasonLevel,
    HealthStatus,
    IncidentSeverity,
    IncidentStatus,
    KpiDirection,
    LifecycleStage,
    MilestoneStatus,
    RaciRole,
    ReportStatus,
    Responsibility,
    ResponsibleParty,
    ReviewOutcome,
    RiskTier,
)
from tenants.models.exports import Export, ExportChunk, ExportFormat, ExportKind
from tenants.models.feedback import Incident, ProcessReview
from tenants.models.frameworks import (
    AnnexIIIArea,
    ClientFramework,
    ClientRole,
    EuAiActClass,
    ProcessRegulatoryProfile,
    TenantControl,
)
from tenants.models.identity import IdentityProvider, LoginAttempt, Member, MemberStatus
from tenants.models.kpi import ProcessKpi
from tenants.models.owner import Owner
from tenants.models.process import AIProcess
from tenants.models.process_shapes import (
    Boundaries,
    Checkpoint,
    EscalationLevel,
    Tool,
    WorkflowStep,
)
from tenants.models.report_settings import ReportSchedule, WebhookDelivery
from tenants.models.reports import EngagementHealthReport, ReadinessReport
from tenants.models.scim import ScimToken, ScimUser
from tenants.models.sign_in import SignInAttempt, SignInOutcome
from tenants.models.vendor import CLAUSES, VendorAgreement, VendorAgreementProcess

__all__ = [
    "CLAUSES",
    "CURRENT_ACCOUNTABLE_INDEX",
    "LIVE_STAGES",
    "AIProcess",
    "AnnexIIIArea",
    "AuditAction",
    "AuditActorKind",
    "AuditEvent",
    "Boundaries",
    "CapabilityAssessment",
    "CapabilityDimension",
    "CapabilityScore",
    "ChangePlan",
    "ChangePlanStatus",
    "Checkpoint",
    "ClientFramework",
    "ClientOrganisation",
    "ClientRole",
    "ClientSize",
    "DecisionAuthority",
    "EngagementHealthReport",
    "EngagementStatus",
    "EscalationLevel",
    "EuAiActClass",
    "Export",
    "ExportChunk",
    "ExportFormat",
    "ExportKind",
    "HealthReasonLevel",
    "HealthStatus",
    "IdentityProvider",
    "Incident",
    "IncidentSeverity",
    "IncidentStatus",
    "KpiDirection",
    "LifecycleStage",
    "LoginAttempt",
    "Member",
    "MemberStatus",
    "Milestone",
    "MilestoneStatus",
    "Owner",
    "OwnershipAssignment",
    "ProcessKpi",
    "ProcessRegulatoryProfile",
    "ProcessReview",
    "RaciRole",
    "ReadinessReport",
    "ReportBranding",
    "ReportSchedule",
    "ReportStatus",
    "Responsibility",
    "ResponsibleParty",
    "ReviewOutcome",
    "RiskTier",
    "ScimToken",
    "ScimUser",
    "SignInAttempt",
    "SignInOutcome",
    "TenantControl",
    "Tool",
    "VendorAgreement",
    "VendorAgreementProcess",
    "WebhookDelivery",
    "WorkflowStep",
]
