"""The AuditEvent node: who changed which fields of what, when, from what to what."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import Enum
from typing import TYPE_CHECKING, Any, cast

import strawberry
from sqlalchemy import case
from strawberry.scalars import JSON

from schema.compiled.encode import global_id_of_sql
from schema.compiled.sql import Expr, Related, Row, Source, document_rows, lateral_row, sql
from schema.enums import documented
from schema.ids import global_id
from schema.links import link
from schema.node import NODE_KINDS, Node, node_type, register_node
from tenants import models as m

if TYPE_CHECKING:
    pass


# The API's enums are the model's own (tenants/models/audit.py), so a member is declared
# once; `documented` gives them their GraphQL descriptions and returns the same class.
documented(
    m.AuditActorKind,
    "What kind of actor made a change.",
    {
        "MEMBER": "A member signed in with SSO.",
        "API_TOKEN": "A service API token.",
        "CLI": "An operator at the `steward` command line.",
        "SYSTEM": "Steward itself: default data, the demo seed, background jobs.",
        "SCIM": "The SCIM client of an identity provider (user provisioning).",
        "IDENTITY": "A person the identity provider vouched for whose login was refused.",
        "IDENTITY_PROVIDER": (
            "An identity provider itself, e.g. ending sessions by Back-Channel Logout."
        ),
        "ANONYMOUS": "A refused login with no verified identity.",
    },
)
documented(
    m.AuditAction,
    "What an audit event did.",
    {
        "CREATE": "The object was created.",
        "UPDATE": "Fields of the object were changed.",
        "ARCHIVE": "The object was archived (archivedAt set).",
        "RESTORE": "An archived object was restored (archivedAt cleared).",
        "DELETE": "The object was deleted; changes show what it had.",
        "CONFIGURE": "A tenant setting (schedule, branding) was changed.",
        "RECORD": "A review or assessment was recorded.",
        "REVIEW": "A recorded review moved the process's lastReviewedAt.",
        "REQUEST": "A report was requested.",
        "ASSIGN": "An owner was assigned to a process.",
        "END": "An ownership assignment was ended.",
        "INVITE": "A member was invited.",
        "UPDATE_ROLE": "A member's role or organisation changed.",
        "DEACTIVATE": "A member was deactivated.",
        "REACTIVATE": "A member was reactivated (by SCIM).",
        "END_SESSIONS": "A member's browser sessions were ended.",
        "END_SESSION": "One browser session of a member was ended.",
        "BACKCHANNEL_LOGOUT": "The identity provider ended sessions (Back-Channel Logout).",
        "REVOKE": "An API token was revoked.",
        "LOGIN": "A member signed in.",
        "LOGIN_FAILED": "A login was refused; changes say why.",
        "LOGOUT": "A member signed out.",
        "ISSUE_SCIM_TOKEN": "A SCIM token was issued.",
        "REVOKE_SCIM_TOKENS": "A provider's SCIM tokens were revoked.",
        "SCIM_CREATE": "SCIM provisioned a user.",
        "SCIM_REPLACE": "SCIM replaced a user.",
        "SCIM_UPDATE": "SCIM changed a user.",
        "SCIM_DELETE": "SCIM deleted (deprovisioned) a user.",
    },
)
AuditActorKind = m.AuditActorKind
AuditAction = m.AuditAction


def _type(value: str, description: str) -> Any:
    return strawberry.enum_value(value, description=description)


@strawberry.enum(name="AuditObjectKind", description="The kind of object an audit event is about.")
class AuditObjectType(Enum):
    CLIENT_ORGANISATION = _type("ClientOrganisation", "A ClientOrganisation.")
    AI_PROCESS = _type("AIProcess", "An AIProcess (also: a review moving lastReviewedAt).")
    PROCESS_KPI = _type("ProcessKpi", "A KPI of a process.")
    OWNER = _type("Owner", "An Owner.")
    OWNERSHIP_ASSIGNMENT = _type("OwnershipAssignment", "An OwnershipAssignment.")
    CAPABILITY_DIMENSION = _type("CapabilityDimension", "A capability dimension (tenant-wide).")
    CAPABILITY_ASSESSMENT = _type("CapabilityAssessment", "A CapabilityAssessment.")
    CHANGE_PLAN = _type("ChangePlan", "A ChangePlan.")
    MILESTONE = _type("Milestone", "A Milestone of a change plan.")
    VENDOR_AGREEMENT = _type("VendorAgreement", "A VendorAgreement.")
    PROCESS_REVIEW = _type("ProcessReview", "A ProcessReview.")
    INCIDENT = _type("Incident", "An Incident.")
    READINESS_REPORT = _type("ReadinessReport", "A readiness report request.")
    ENGAGEMENT_HEALTH_REPORT = _type("EngagementHealthReport", "A health report request.")
    EXPORT = _type("Export", "An export requested as a job (its file is not in the trail).")
    REGULATORY_PROFILE = _type("ProcessRegulatoryProfile", "A process's EU AI Act profile.")
    CLIENT_FRAMEWORK = _type("ClientFramework", "A framework chosen for a client.")
    TENANT_CONTROL = _type("TenantControl", "A control of an imported control set.")
    REPORT_SCHEDULE = _type("ReportSchedule", "The tenant's report schedule (admins only).")
    REPORT_BRANDING = _type("ReportBranding", "The tenant's report branding (admins only).")
    MEMBER = _type("Member", "A Member (invites, role changes, logins, logouts).")
    SCIM_USER = _type("ScimUser", "A member as provisioned by SCIM; objectId is the Member's.")
    IDENTITY_PROVIDER = _type("IdentityProvider", "An IdentityProvider (admins only).")
    API_TOKEN = _type("ApiToken", "An API token (admins only).")
    LOGIN_ATTEMPT = _type("LoginAttempt", "A refused login (admins only).")


def node_name_of(model_name: str) -> str:
    """The GraphQL node type of an ORM model name (they differ only where a node says so)."""
    for name, kind in NODE_KINDS.items():
        if kind.model.__name__ == model_name:
            return name
    return model_name


def node_name_sql(model_name: Any) -> Any:
    """`node_name_of` in SQL, over the node kinds registered when it is planned."""
    whens = [(model_name == kind.model.__name__, name) for name, kind in NODE_KINDS.items()]
    return case(*whens, else_=model_name) if whens else model_name


def _object_id(row: Row) -> Any:
    return global_id_of_sql(node_name_sql(row.col("object_type")), row.col("object_id"))


# The node type of the actor's id, by actor kind (the others have no id).
ACTOR_NODES = {
    m.AuditActorKind.MEMBER.value: "Member",
    m.AuditActorKind.API_TOKEN.value: "ApiToken",
    m.AuditActorKind.SCIM.value: "IdentityProvider",
    m.AuditActorKind.IDENTITY_PROVIDER.value: "IdentityProvider",
}


def actor_id_of(kind: str, actor_id: Any) -> str | None:
    node = ACTOR_NODES.get(kind)
    return None if node is None or actor_id is None else global_id(node, actor_id)


def _actor(row: Row) -> Source:
    kind, actor_id = row.col("actor_kind"), row.col("actor_id")
    whens = [(kind == k, global_id_of_sql(n, actor_id)) for k, n in ACTOR_NODES.items()]
    gid = case((actor_id.is_(None), None), *whens, else_=None)
    return lateral_row(kind.label("kind"), row.col("actor").label("label"), gid.label("id"))


@strawberry.type(description="Who made a change, as they were named when they made it.")
class AuditActor:
    kind: AuditActorKind = strawberry.field(description="Member, API token, CLI, system, ….")
    label: str = strawberry.field(
        description="The member's display name (or e-mail), the token's label, the identity "
        "provider's name; stored when the change was made, so a later rename does not "
        "rewrite history."
    )
    id: strawberry.ID | None = strawberry.field(
        description="The global id of the Member, ApiToken or IdentityProvider that acted "
        "(resolve it with `node`; null if you may not see it or it is gone); null for the "
        "CLI, the system and refused logins."
    )


@strawberry.type(description="One API field an event changed.")
class AuditChange:
    field: str = strawberry.field(
        description="The API field name, as the object's type spells it (lowerCamelCase); "
        "`a.b` for a subfield (an agreement's `monitoring.party`). Events from before the "
        "API's renames keep the name of their time."
    )
    before: JSON | None = strawberry.field(
        description="The value before, as the API shows it (enum names, global ids, ISO "
        "dates); null on a create or when the field was unset."
    )
    after: JSON | None = strawberry.field(
        description="The value after; null on a delete or when the field was cleared."
    )


@node_type(
    "AuditEvent",
    description="One recorded change, never edited. Only fields that changed are listed; an "
    "update that changed nothing records no event.",
)
class AuditEventNode(Node):
    client_db_id: strawberry.Private[uuid.UUID | None]
    actor: AuditActor = strawberry.field(
        description="Who made the change.", metadata=sql(Related(lambda row, _: _actor(row)))
    )
    action: AuditAction = strawberry.field(description="What was done.")
    object_type: AuditObjectType = strawberry.field(description="The kind of object changed.")
    object_id: strawberry.ID = strawberry.field(
        description="The global id of the changed object (resolve it with `node`; it may "
        "since have been deleted).",
        metadata=sql(Expr(lambda row, _: _object_id(row))),
    )
    changes: list[AuditChange] = strawberry.field(
        description="The fields that changed, by field name; a create lists those it set, "
        "a delete those the object had; also facts such as `sessionsRevoked`.",
        metadata=sql(document_rows("changes", ["field", "before", "after"])),
    )
    at: datetime = strawberry.field(
        description="When the change was made (the start of its transaction), in UTC."
    )

    FROM_MODEL = {
        "actor": lambda o: AuditActor(
            kind=AuditActorKind(o.actor_kind),
            label=o.actor,
            id=cast(strawberry.ID | None, actor_id_of(o.actor_kind, o.actor_id)),
        ),
        "action": lambda o: AuditAction(o.action),
        "object_type": lambda o: AuditObjectType(o.object_type),
        "object_id": lambda o: strawberry.ID(global_id(node_name_of(o.object_type), o.object_id)),
        "changes": lambda o: [
            AuditChange(field=c["field"], before=c.get("before"), after=c.get("after"))
            for c in o.changes
        ],
    }

    client_organisation = link(
        m.ClientOrganisation,
        "client_id",
        "schema.clients.types:ClientOrganisationNode",
        "The client organisation the object belongs to; null for tenant-wide "
        "objects (capability dimensions, members, settings) or when you may not see it.",
    )


register_node(AuditEventNode, m.AuditEvent)
