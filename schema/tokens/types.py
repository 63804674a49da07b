"""The ApiToken node: a service credential of the tenant. Never its secret or digest.

Tokens live in `public.api_tokens` (row-level security gives the tenant role its
own rows only, and no digest column), so they are read through
tenants/services/api_tokens.py rather than `by_id`. Only admins see them.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from enum import Enum
from typing import TYPE_CHECKING, Any

import strawberry
from sqlalchemy import false, func, literal

from schema.compiled.sql import Expr, Row, Source, context, sql
from schema.context import Info
from schema.enums import documented_enum
from schema.from_model import items_of
from schema.links import link
from schema.loaders import loader
from schema.node import Node, node_type, register_node
from schema.scoping import may_see_admin_data
from schema.viewer.types import RoleType
from tenants import models as m
from tenants.registry import ApiToken
from tenants.services.api_tokens import ApiTokenView, list_api_tokens, of_tenant

if TYPE_CHECKING:
    pass


def _active(row: Row) -> Any:
    """ApiTokenNode.active in SQL (now() is the transaction's start, as good as Python's now)."""
    expired = func.coalesce(row.col("expires_at") <= func.now(), false())
    return row.col("revoked_at").is_(None) & ~expired


def tenant_tokens(row: Row) -> list[Any]:
    """SQL: the planned principal's tenant's tokens, as list_api_tokens reads them."""
    return row.adapt(of_tenant(context().tenant))


def token_source(token_id: uuid.UUID) -> Source:
    """`token_by_id` in SQL: one token of the tenant (visibility: admins only)."""
    row = Row.of(ApiToken)
    return Source(
        row,
        froms=[row.entity],
        where=[row.entity.id == literal(token_id, row.entity.id.type), *tenant_tokens(row)],
        model=ApiToken,
    )


@documented_enum(
    "What an API token may do, within its role.",
    {
        "READ": "Queries only; no mutations.",
        "WRITE": "Queries and every non-admin mutation, report requests included.",
        "REPORTS": "Queries and the report requests: requestReadinessReport,"
        " requestEngagementHealthReport.",
        "ADMIN": "Everything the role may do, tenant administration included.",
    },
)
class ApiTokenScope(Enum):
    READ = "read"
    WRITE = "write"
    REPORTS = "reports"
    ADMIN = "admin"


@node_type(
    "ApiToken",
    description="A bearer token for services. Its secret is shown once, when it is created.",
)
class ApiTokenNode(Node):
    client_db_id: strawberry.Private[uuid.UUID | None]
    member_db_id: strawberry.Private[uuid.UUID | None]
    name: str = strawberry.field(
        description="A label to tell tokens apart; the audit trail shows it."
    )
    role: RoleType = strawberry.field(description="The role the token acts with.")  # type: ignore[valid-type]
    scopes: list[ApiTokenScope] = strawberry.field(
        description="Empty: everything the role may do; else what the token is limited to."
    )
    prefix: str = strawberry.field(description="The first characters of the secret, to tell it.")
    created_at: datetime = strawberry.field(description="When it was created.")
    expires_at: datetime | None = strawberry.field(
        description="When it stops working; null: never expires."
    )
    revoked_at: datetime | None = strawberry.field(
        description="When it was revoked; null while it is not."
    )
    last_used_at: datetime | None = strawberry.field(
        description="When it last authenticated a request; null: never used."
    )

    FROM_MODEL = {
        "client_db_id": lambda o: o.client_organisation_id,
        "scopes": items_of("scopes", ApiTokenScope),
    }

    @strawberry.field(
        description="Neither revoked nor expired.",
        metadata=sql(Expr(lambda row, _: _active(row))),
    )
    def active(self) -> bool:
        expired = self.expires_at is not None and self.expires_at <= datetime.now(UTC)
        return self.revoked_at is None and not expired

    client_organisation = link(
        m.ClientOrganisation,
        "client_organisation_id",
        "schema.clients.types:ClientOrganisationNode",
        "The client organisation a client-role token is confined to.",
        attr="client_db_id",
    )

    member = link(
        m.Member,
        "member_id",
        "schema.members.types:MemberNode",
        "The member who created it (deactivating them revokes it); null for a "
        "token made outside a member's session.",
    )


async def token_by_id(info: Info, token_id: uuid.UUID) -> ApiTokenView | None:
    """One token of the tenant, batched; None when missing or the principal is no admin."""

    async def batch(ids: list[uuid.UUID]) -> list[ApiTokenView | None]:
        if not may_see_admin_data(info.context.principal):
            return [None] * len(ids)
        views = await list_api_tokens(
            info.context.db, tenant=info.context.principal.tenant, ids=ids
        )
        found = {v.id: v for v in views}
        return [found.get(i) for i in ids]

    result: ApiTokenView | None = await loader(info, "api_token.by_id", batch).load(token_id)
    return result


register_node(ApiTokenNode, ApiToken, load=token_by_id, source=token_source)
