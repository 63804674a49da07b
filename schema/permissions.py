"""Who may run which mutation: the role x operation matrix, in one table.

Reads are governed by `schema.scoping` (what a principal can see); writes by
this table. Every mutation calls `authorize` first; tests/schema/test_permission_matrix.py
walks the schema, so a mutation missing from `MUTATION_POLICIES` fails the build.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from enum import Enum

from sqlalchemy import select

from schema.context import Info
from tenants.errors import forbidden
from tenants.models import Owner, OwnershipAssignment
from tenants.principals import STAFF_ROLES, Principal, PrincipalKind, Role
from tenants.services.assignments import in_effect
from tenants.services.audit import Actor, AuditActorKind

STAFF_WRITERS = frozenset({Role.ADMIN, Role.CONSULTANT})
ADMINS = frozenset({Role.ADMIN})


@dataclass(frozen=True, slots=True)
class Policy:
    roles: frozenset[Role]
    # A client_owner may also run it, on a process they are currently assigned to.
    assigned_client_owner: bool = False
    # The scope a scoped service token needs.
    scope: str = "write"
    # A client principal may also run it, for its own organisation (`client_id`).
    own_client: bool = False


WRITE = Policy(STAFF_WRITERS)
OWNER_FEEDBACK = Policy(STAFF_WRITERS, assigned_client_owner=True)
REPORTS = Policy(STAFF_WRITERS, scope="reports")
ADMIN = Policy(ADMINS, scope="admin")
# Exports are reads: every staff role, and client principals for their own organisation.
EXPORTS = Policy(frozenset(STAFF_ROLES), scope="reports", own_client=True)

MUTATION_POLICIES: dict[str, Policy] = {
    "createClientOrganisation": WRITE,
    "updateClientOrganisation": WRITE,
    "archiveClientOrganisation": WRITE,
    "restoreClientOrganisation": WRITE,
    "createAIProcess": WRITE,
    "updateAIProcess": WRITE,
    "archiveAIProcess": WRITE,
    "restoreAIProcess": WRITE,
    "addKpi": WRITE,
    "updateKpi": OWNER_FEEDBACK,
    "removeKpi": WRITE,
    "createOwner": WRITE,
    "updateOwner": WRITE,
    "archiveOwner": WRITE,
    "restoreOwner": WRITE,
    "assignOwner": WRITE,
    "updateAssignment": WRITE,
    "endAssignment": WRITE,
    "handOverAccountability": WRITE,
    "createCapabilityDimension": WRITE,
    "updateCapabilityDimension": WRITE,
    "recordCapabilityAssessment": WRITE,
    "createChangePlan": WRITE,
    "updateChangePlan": WRITE,
    "addMilestone": WRITE,
    "updateMilestone": WRITE,
    "deleteMilestone": WRITE,
    "createVendorAgreement": WRITE,
    "updateVendorAgreement": WRITE,
    "recordProcessReview": OWNER_FEEDBACK,
    "reportIncident": OWNER_FEEDBACK,
    "updateIncident": OWNER_FEEDBACK,
    "requestReadinessReport": REPORTS,
    "requestEngagementHealthReport": REPORTS,
    "requestExport": EXPORTS,
    "configureReportSchedule": ADMIN,
    "configureReportBranding": ADMIN,
    "setProcessRegulatoryProfile": WRITE,
    "chooseClientFrameworks": WRITE,
    "importControlSet": WRITE,
    "createApiToken": ADMIN,
    "revokeApiToken": ADMIN,
    "configureIdentityProvider": ADMIN,
    "removeIdentityProvider": ADMIN,
    "issueScimToken": ADMIN,
    "inviteMember": ADMIN,
    "updateMemberRole": ADMIN,
    "deactivateMember": ADMIN,
    "endMemberSessions": ADMIN,
    "endMemberSession": ADMIN,
}

# Reads are decided by schema/scoping.py; for the record, the sign-in data of issue 10:
# `signInAttempts` and `SignInAttempt` are ADMIN_ONLY there (not consultants: they show
# who signed in from where and why anyone was refused); `Member.sessions` and
# `MemberSession` are for admins and the member themself (schema/members/sessions.py).


class Grant(Enum):
    """What a policy grants a principal: the decision `authorize` and `viewer.permissions` share."""

    NONE = "none"
    # On any object the principal can see.
    ANY = "any"
    # Only on a process the principal (a client owner) is currently assigned to.
    ASSIGNED_PROCESS = "assigned_process"


def grant(principal: Principal, policy: Policy) -> Grant:
    """What `policy` lets `principal` do, before looking at any object."""
    scoped = principal.kind is PrincipalKind.API_TOKEN and bool(principal.scopes)
    if scoped and not scope_allows(principal.scopes, policy.scope):
        return Grant.NONE
    if principal.role in policy.roles:
        return Grant.ANY
    if policy.assigned_client_owner and principal.role is Role.CLIENT_OWNER:
        return Grant.ASSIGNED_PROCESS
    return Grant.NONE


def grants(principal: Principal) -> dict[str, Grant]:
    """Each mutation the principal may run (by GraphQL name, sorted) and on what."""
    out = {name: grant(principal, policy) for name, policy in sorted(MUTATION_POLICIES.items())}
    return {name: g for name, g in out.items() if g is not Grant.NONE}


def scope_allows(scopes: tuple[str, ...], needed: str) -> bool:
    """`admin` grants everything; `write` grants every non-admin write; else exact match."""
    if "admin" in scopes or needed in scopes:
        return True
    return needed != "admin" and "write" in scopes


def actor_of(principal: Principal) -> Actor:
    """How the principal is recorded in audit events: by name (a member's display name or
    e-mail, a token's label) as it is now, kept if it later changes, and by id."""
    kind = ACTOR_KINDS[principal.kind]
    return Actor(label=principal.name, kind=kind, id=principal.id)


ACTOR_KINDS = {
    PrincipalKind.MEMBER: AuditActorKind.MEMBER,
    PrincipalKind.API_TOKEN: AuditActorKind.API_TOKEN,
}


async def _assigned(info: Info, process_id: uuid.UUID) -> bool:
    # The member behind the credential (a browser session's member, or the member
    # a token was issued to) must be linked to a current owner of the process.
    principal = info.context.principal
    if principal.member_id is None or principal.client_organisation_id is None:
        return False
    found = await info.context.db.scalar(
        select(OwnershipAssignment.id)
        .join(Owner, Owner.id == OwnershipAssignment.owner_id)
        .where(
            Owner.member_id == principal.member_id,
            Owner.client_id == principal.client_organisation_id,
            OwnershipAssignment.process_id == process_id,
            in_effect(date.today()),
        )
        .limit(1)
    )
    return found is not None


async def authorize(
    info: Info, *, process_id: uuid.UUID | None = None, client_id: uuid.UUID | None = None
) -> None:
    """Raise FORBIDDEN unless the principal may run the mutation being resolved.

    The policy is looked up by the field's own GraphQL name, so a resolver cannot ask
    for another mutation's policy by mistake; a mutation missing from MUTATION_POLICIES
    is a KeyError, which the permission matrix test turns into a failure.
    """
    action = info.field_name
    policy = MUTATION_POLICIES[action]
    principal = info.context.principal
    granted = grant(principal, policy)
    if granted is Grant.ANY:
        return
    own = principal.client_organisation_id
    if policy.own_client and own is not None and client_id == own:
        return
    if (
        granted is Grant.ASSIGNED_PROCESS
        and process_id is not None
        and await _assigned(info, process_id)
    ):
        return
    scoped = principal.kind is PrincipalKind.API_TOKEN and bool(principal.scopes)
    if scoped and not scope_allows(principal.scopes, policy.scope):
        raise forbidden(f"this token lacks the {policy.scope!r} scope")
    raise forbidden(f"the {principal.role.value} role may not run {action}")
