from __future__ import annotations

import strawberry

from schema.context import Info
from schema.viewer.types import TenantInfo, Viewer


@strawberry.type
class ViewerQuery:
    @strawberry.field(description="The principal making this request, its role and its tenant.")
    def viewer(self, info: Info) -> Viewer:
        p = info.context.principal
        client = (
            strawberry.ID(
                str(strawberry.relay.GlobalID("ClientOrganisation", str(p.client_organisation_id)))
            )
            if p.client_organisation_id
            else None
        )
        return Viewer(
            kind=p.kind,
            name=p.name,
            role=p.role,
            tenant=TenantInfo(slug=p.tenant.slug, name=p.tenant.name),
            client_organisation_id=client,
            member_db_id=p.member_id,
        )
