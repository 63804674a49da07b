"""The `viewer`: who the caller is and which tenant it belongs to."""

from __future__ import annotations

import strawberry

from tenants.principals import PrincipalKind, Role

RoleType = strawberry.enum(Role, name="Role", description="What a principal may do.")
PrincipalKindType = strawberry.enum(
    PrincipalKind, name="PrincipalKind", description="How the principal authenticated."
)


@strawberry.type(description="The consultancy the principal belongs to.")
class TenantInfo:
    slug: str
    name: str


@strawberry.type(description="The authenticated caller.")
class Viewer:
    kind: PrincipalKindType  # type: ignore[valid-type]
    name: str
    role: RoleType  # type: ignore[valid-type]
    tenant: TenantInfo
    client_organisation_id: strawberry.ID | None = strawberry.field(
        description="Global id of the client organisation a client principal is confined to."
    )
