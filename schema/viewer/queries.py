from __future__ import annotations

import uuid
from typing import Any

import strawberry
from sqlalchemy import Text, cast, literal
from sqlalchemy.dialects.postgresql import UUID

from schema.compiled.sql import Related, Source, context, lateral_row, sql
from schema.context import Info
from schema.viewer.types import TenantInfo, Viewer


def client_global_id(client_organisation_id: uuid.UUID | None) -> strawberry.ID | None:
    """The global id of the client organisation a client principal is confined to."""
    if not client_organisation_id:
        return None
    return strawberry.ID(
        str(strawberry.relay.GlobalID("ClientOrganisation", str(client_organisation_id)))
    )


def _text(value: str | None) -> Any:
    return cast(literal(value, Text), Text)


def _viewer_row() -> Source:
    """The viewer as one row of bound values: it comes from the principal, not a table.

    Who the principal is comes as stand-ins filled in per request, so every principal
    of the same kind, role and client shares one plan (schema/compiled/sql.py)."""
    ctx = context()
    who = ctx.identity
    return lateral_row(
        _text(ctx.kind.value).label("kind"),
        _text(who["name"]).label("name"),
        _text(ctx.role.value).label("role"),
        _text(client_global_id(ctx.client_organisation_id)).label("client_organisation_id"),
        cast(literal(who["member_id"], UUID(as_uuid=True)), UUID(as_uuid=True)).label(
            "member_db_id"
        ),
        _text(who["tenant_slug"]).label("tenant_slug"),
        _text(who["tenant_name"]).label("tenant_name"),
    )


@strawberry.type
class ViewerQuery:
    @strawberry.field(
        description="The principal making this request, its role and its tenant.",
        metadata=sql(Related(lambda _row, _args: _viewer_row())),
    )
    def viewer(self, info: Info) -> Viewer:
        p = info.context.principal
        return Viewer(
            kind=p.kind,
            name=p.name,
            role=p.role,
            tenant=TenantInfo(slug=p.tenant.slug, name=p.tenant.name),
            client_organisation_id=client_global_id(p.client_organisation_id),
            member_db_id=p.member_id,
        )
