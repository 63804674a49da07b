"""The `viewer`: who the caller is and which tenant it belongs to."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

import strawberry

from schema.compiled.sql import Related, lateral_row, sql
from schema.context import Info
from schema.enums import documented
from schema.links import link
from schema.viewer.permissions import PERMISSIONS_SQL, ViewerPermission, permissions_of
from tenants import models as m
from tenants.principals import PrincipalKind, Role

if TYPE_CHECKING:
    pass

RoleType = documented(
    Role,
    "What a principal may do. Staff roles see every client; client roles one organisation.",
    {
        "ADMIN": "Staff: everything, tenant administration included (members, providers, tokens).",
        "CONSULTANT": "Staff: reads and writes every client's data; no tenant administration.",
        "VIEWER": "Staff: reads every client's data; writes nothing.",
        "CLIENT_OWNER": "Client: reads its organisation; records feedback on processes it owns.",
        "CLIENT_VIEWER": "Client: reads its own organisation only.",
    },
    name="Role",
)
PrincipalKindType = documented(
    PrincipalKind,
    "How the principal authenticated.",
    {"API_TOKEN": "With an API token (a bearer secret).", "MEMBER": "A member's browser session."},
    name="PrincipalKind",
)


@strawberry.type(description="The consultancy the principal belongs to.")
class TenantInfo:
    slug: str = strawberry.field(description="The tenant's short name, as in its URLs.")
    name: str = strawberry.field(description="The consultancy's name.")


@strawberry.type(description="The authenticated caller.")
class Viewer:
    kind: PrincipalKindType = strawberry.field(description="How the caller authenticated.")  # type: ignore[valid-type]
    name: str = strawberry.field(description="The member's e-mail or the token's name.")
    role: RoleType = strawberry.field(description="What the caller may do.")  # type: ignore[valid-type]
    tenant: TenantInfo = strawberry.field(
        description="The consultancy the caller belongs to.",
        metadata=sql(
            Related(
                lambda row, _: lateral_row(
                    row.col("tenant_slug").label("slug"), row.col("tenant_name").label("name")
                )
            )
        ),
    )
    client_organisation_id: strawberry.ID | None = strawberry.field(
        description="Global id of the client organisation a client principal is confined to."
    )
    member_db_id: strawberry.Private[uuid.UUID | None] = None

    @strawberry.field(
        description="The mutations the viewer may run, sorted by name, each with the objects "
        "it may run them on; a mutation not listed answers FORBIDDEN. Derived from the policy "
        "table the server enforces (role, a token's scopes, a client owner's assignments).",
        metadata=PERMISSIONS_SQL,
    )
    def permissions(self, info: Info) -> list[ViewerPermission]:
        return permissions_of(info.context.principal)

    member = link(
        m.Member,
        "member_db_id",
        "schema.members.types:MemberNode",
        "The member behind the credential: the logged-in member, or the member an "
        "API token was issued to; null for a plain service token.",
        attr="member_db_id",
    )
