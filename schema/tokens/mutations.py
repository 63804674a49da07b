"""Create and revoke API tokens; admins only.

A token's scopes are the ApiTokenScope enum: `read` (reads only), `write` (every
non-admin mutation), `reports` (requestReadinessReport), `admin` (everything);
no scopes at all means everything the token's role may do. When the caller is a
member (a browser session, or a token issued to a member), the new token is
issued to that member, so deactivating them revokes it.
"""

from __future__ import annotations

from datetime import datetime

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession

from schema.context import Info
from schema.errors import UserError
from schema.ids import decode_id
from schema.input_fields import optional
from schema.mutation_support import write_mutation
from schema.payloads import Payload, errors_field, result_of, written_field, written_payload
from schema.tokens.types import ApiTokenNode, ApiTokenScope
from schema.viewer.types import RoleType
from tenants.services import api_tokens as service
from tenants.services.api_tokens import ApiTokenView
from tenants.services.audit import Actor


@strawberry.input(description="A new API token; admins only.")
class CreateApiTokenInput:
    name: str = strawberry.field(
        description="A label to tell tokens apart; the audit trail shows it."
    )
    role: RoleType = strawberry.field(description="The role the token acts with.")  # type: ignore[valid-type]
    scopes: list[ApiTokenScope] = strawberry.field(
        default_factory=list,
        description="What the token may do; empty: everything the role may do.",
    )
    expires_at: datetime | None = optional("In the future, within 366 days; null: never expires.")
    client_organisation_id: strawberry.ID | None = optional(
        "Required for client roles, forbidden for staff roles."
    )


@strawberry.input(description="Which token to revoke.")
class RevokeApiTokenInput:
    id: strawberry.ID = strawberry.field(description="The global id of the ApiToken to revoke.")


@strawberry.type(description=result_of("createApiToken"))
class CreateApiTokenPayload:
    api_token: ApiTokenNode | None = written_field("ApiToken")
    secret: str | None = strawberry.field(
        description="The bearer secret: shown this once, never again. Null on errors."
    )
    errors: list[UserError] = errors_field()


@written_payload("api_token", ApiTokenNode, "revokeApiToken")
class ApiTokenPayload(Payload):
    pass


def _created_payload(
    issued: tuple[ApiTokenView, str] | None, errors: list[UserError]
) -> CreateApiTokenPayload:
    if errors or issued is None:
        return CreateApiTokenPayload(api_token=None, secret=None, errors=errors)
    view, secret = issued
    return CreateApiTokenPayload(api_token=ApiTokenNode.from_model(view), secret=secret, errors=[])


async def _issue(
    info: Info, input: CreateApiTokenInput, db: AsyncSession, actor: Actor
) -> tuple[ApiTokenView, str]:
    """Issue the token (to the calling member, if any); its view and its one-time secret."""
    principal = info.context.principal
    client = (
        None
        if input.client_organisation_id is None
        else decode_id(input.client_organisation_id, "ClientOrganisation", "clientOrganisationId")
    )
    issued = await service.create_api_token(
        db,
        actor=actor,
        tenant=principal.tenant,
        name=input.name,
        role=input.role,
        scopes=[s.value for s in input.scopes],
        expires_at=input.expires_at,
        client_organisation_id=client,
        member_id=principal.member_id,
        acting_role=principal.role,
    )
    found = await service.list_api_tokens(db, tenant=principal.tenant, ids=[issued.id])
    return found[0], issued.secret


async def _revoke(
    info: Info, input: RevokeApiTokenInput, db: AsyncSession, actor: Actor
) -> ApiTokenView:
    return await service.revoke_api_token(
        db,
        actor=actor,
        tenant=info.context.principal.tenant,
        token_id=decode_id(input.id, "ApiToken", "id"),
    )


# API tokens live in a public table, not a tenant one, so `Changes` (TenantBase models
# only) does not apply: the service checks and audits them itself.
@strawberry.type
class ApiTokenMutation:
    create_api_token = write_mutation(
        CreateApiTokenInput,
        CreateApiTokenPayload,
        _issue,
        description="Issue a token; its secret is in the payload, once.",
        answer=lambda info, input: _created_payload,
    )
    revoke_api_token = write_mutation(
        RevokeApiTokenInput,
        ApiTokenPayload,
        _revoke,
        description="Revoke a live token at once.",
    )
