"""What a principal may see: the one place client principals are confined to their organisation.

Every loader and connection applies `visible(model, principal)`; a model with no
rule here is invisible to client principals (fail closed), so a new object type
is safe before anyone thinks about it.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from sqlalchemy import ColumnElement, and_, false, select, true

from tenants.base import TenantBase
from tenants.models import (
    AIProcess,
    AuditEvent,
    CapabilityAssessment,
    CapabilityDimension,
    ChangePlan,
    ClientOrganisation,
    EngagementHealthReport,
    Export,
    ExportKind,
    IdentityProvider,
    Incident,
    Member,
    Milestone,
    Owner,
    OwnershipAssignment,
    ProcessKpi,
    ProcessReview,
    ReadinessReport,
    SignInAttempt,
    VendorAgreement,
    WebhookDelivery,
)
from tenants.principals import Principal, Role
from tenants.registry import ApiToken, BrowserSession

Rule = Callable[[uuid.UUID], ColumnElement[bool]]
CLIENT_EXPORT_KINDS = (ExportKind.PROCESSES, ExportKind.OWNERS)


def _via_process(column: ColumnElement[uuid.UUID]) -> Rule:
    return lambda client: column.in_(select(AIProcess.id).where(AIProcess.client_id == client))


CLIENT_RULES: dict[type[TenantBase], Rule] = {
    ClientOrganisation: lambda c: ClientOrganisation.id == c,
    AIProcess: lambda c: AIProcess.client_id == c,
    Owner: lambda c: Owner.client_id == c,
    ChangePlan: lambda c: ChangePlan.client_id == c,
    VendorAgreement: lambda c: VendorAgreement.client_id == c,
    ReadinessReport: lambda c: ReadinessReport.client_id == c,
    EngagementHealthReport: lambda c: EngagementHealthReport.client_id == c,
    OwnershipAssignment: _via_process(OwnershipAssignment.process_id),  # type: ignore[arg-type]
    ProcessKpi: _via_process(ProcessKpi.process_id),  # type: ignore[arg-type]
    ProcessReview: _via_process(ProcessReview.process_id),  # type: ignore[arg-type]
    Incident: _via_process(Incident.process_id),  # type: ignore[arg-type]
    CapabilityAssessment: lambda c: CapabilityAssessment.owner_id.in_(
        select(Owner.id).where(Owner.client_id == c)
    ),
    Milestone: lambda c: Milestone.plan_id.in_(
        select(ChangePlan.id).where(ChangePlan.client_id == c)
    ),
    # Dimensions are the consultancy's method, shown to clients alongside their scores.
    CapabilityDimension: lambda c: true(),
    # A client principal sees the logins of its own organisation (staff members: every one).
    Member: lambda c: Member.client_organisation_id == c,
    # Its own organisation's spreadsheets, whoever asked for them; never the engagement's
    # JSON (which carries the consultancy's audit trail and notes).
    Export: lambda c: (Export.client_id == c) & Export.kind.in_(CLIENT_EXPORT_KINDS),
}

# Tenant administration: only admins see these, in every query, node(id) and count;
# for anyone else they do not exist (an empty connection, a null node). A scoped
# API token also needs the `admin` scope. Client principals never see them.
# Sign-in attempts and browser sessions show who signs in from where: admins only, not
# consultants (a member also sees their own sessions: schema/members/sessions.py).
ADMIN_ONLY: frozenset[Any] = frozenset(
    {IdentityProvider, ApiToken, WebhookDelivery, SignInAttempt, BrowserSession}
)
# Rows of a model that are tenant administration although the model is not: a whole-tenant
# export holds every member and identity provider, so only admins see it.
ADMIN_ROWS: dict[Any, Callable[[], ColumnElement[bool]]] = {
    Export: lambda: Export.kind == ExportKind.TENANT,
}


# Events about tenant administration (and refused logins, which name identities) are
# admin data too: for anyone else the feed does not hold them.
ADMIN_AUDIT_TYPES = frozenset(
    {*(model.__name__ for model in ADMIN_ONLY), "LoginAttempt", "ReportSchedule", "ReportBranding"}
)


def _audit_visible(principal: Principal) -> ColumnElement[bool]:
    """Events are seen like their objects: a client principal sees its organisation's."""
    admin_types = (
        true()
        if may_see_admin_data(principal)
        else AuditEvent.object_type.not_in(sorted(ADMIN_AUDIT_TYPES))
    )
    if principal.is_staff:
        return admin_types
    client = principal.client_organisation_id
    if client is None:
        return false()
    return and_(AuditEvent.client_id == client, admin_types)


def may_see_admin_data(principal: Principal) -> bool:
    if principal.role is not Role.ADMIN:
        return False
    return not principal.scopes or "admin" in principal.scopes


def visible(model: type[TenantBase], principal: Principal) -> ColumnElement[bool]:
    """SQL condition: rows of `model` the principal may see."""
    if model in ADMIN_ONLY:
        return true() if may_see_admin_data(principal) else false()
    if model is AuditEvent:
        return _audit_visible(principal)
    if model in ADMIN_ROWS and not may_see_admin_data(principal):
        return ~ADMIN_ROWS[model]() & _visible(model, principal)
    return _visible(model, principal)


def _visible(model: type[TenantBase], principal: Principal) -> ColumnElement[bool]:
    if principal.is_staff:
        return true()
    client = principal.client_organisation_id
    rule = CLIENT_RULES.get(model)
    if client is None or rule is None:
        return false()
    return rule(client)
