"""Create and revoke API tokens; admins only.

A token's scopes are the ApiTokenScope enum: `read` (reads only), `write` (every
non-admin mutation), `reports` (requestReadinessReport), `admin` (everything);
no scopes at all means everything the token's role may do. When the caller is a
member (a browser session, or a token issued to a member), the new token is
issued to that member, so deactivating them revokes it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry

from schema.context import Info
from schema.errors import UserError, atomic
from schema.ids import decode_id
from schema.permissions import actor_of, authorize
from schema.tokens.types import ApiTokenNode, ApiTokenScope
from schema.viewer.types import RoleType
from tenants.services import api_tokens as service
from tenants.services.api_tokens import ApiTokenView


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
    expires_at: datetime | None = strawberry.field(
        default=None, description="In the future, within 366 days; null: never expires."
    )
    client_organisation_id: strawberry.ID | None = strawberry.field(
        default=None, description="Required for client roles, forbidden for staff roles."
    )


@strawberry.input(description="Which token to revoke.")
class RevokeApiTokenInput:
    id: strawberry.ID = strawberry.field(description="The global id of the ApiToken to revoke.")


@strawberry.type(description="The result of createApiToken: the object written, or `errors`.")
class CreateApiTokenPayload:
    api_token: ApiTokenNode | None = strawberry.field(
        description="The ApiToken as written; null when there are errors."
    )
    secret: str | None = strawberry.field(
        description="The bearer secret: shown this once, never again. Null on errors."
    )
    errors: list[UserError] = strawberry.field(
        description=(
            "What went wrong, each naming its input field; empty on success. With "
            "errors nothing was written."
        )
    )


@strawberry.type(description="The result of revokeApiToken: the object written, or `errors`.")
class ApiTokenPayload:
    api_token: ApiTokenNode | None = strawberry.field(
        description="The ApiToken as written; null when there are errors."
    )
    errors: list[UserError] = strawberry.field(
        description=(
            "What went wrong, each naming its input field; empty on success. With "
            "errors nothing was written."
        )
    )


@strawberry.type
class ApiTokenMutation:
    @strawberry.mutation(description="Issue a token; its secret is in the payload, once.")
    async def create_api_token(
        self,
        info: Info,
        input: Annotated[
            CreateApiTokenInput,
            strawberry.argument(
                description=(
                    "What to write; each error names its field within it (e.g. `name`, "
                    "`scores[0].score`)."
                )
            ),
        ],
    ) -> CreateApiTokenPayload:
        view: ApiTokenView | None = None
        secret: str | None = None
        async with atomic(info) as outcome:
            await authorize(info)
            principal = info.context.principal
            client = (
                None
                if input.client_organisation_id is None
                else decode_id(
                    input.client_organisation_id, "ClientOrganisation", "clientOrganisationId"
                )
            )
            issued = await service.create_api_token(
                info.context.db,
                actor=actor_of(principal),
                tenant=principal.tenant,
                name=input.name,
                role=input.role,
                scopes=[s.value for s in input.scopes],
                expires_at=input.expires_at,
                client_organisation_id=client,
                member_id=principal.member_id,
                acting_role=principal.role,
            )
            found = await service.list_api_tokens(
                info.context.db, tenant=principal.tenant, ids=[issued.id]
            )
            view, secret = found[0], issued.secret
        if outcome.errors or view is None:
            return CreateApiTokenPayload(api_token=None, secret=None, errors=outcome.errors)
        return CreateApiTokenPayload(
            api_token=ApiTokenNode.from_model(view), secret=secret, errors=[]
        )

    @strawberry.mutation(description="Revoke a live token at once.")
    async def revoke_api_token(
        self,
        info: Info,
        input: Annotated[
            RevokeApiTokenInput,
            strawberry.argument(
                description=(
                    "What to write; each error names its field within it (e.g. `name`, "
                    "`scores[0].score`)."
                )
            ),
        ],
    ) -> ApiTokenPayload:
        view = None
        async with atomic(info) as outcome:
            await authorize(info)
            principal = info.context.principal
            view = await service.revoke_api_token(
                info.context.db,
                actor=actor_of(principal),
                tenant=principal.tenant,
                token_id=decode_id(input.id, "ApiToken", "id"),
            )
        node = ApiTokenNode.from_model(view) if view is not None and not outcome.errors else None
        return ApiTokenPayload(api_token=node, errors=outcome.errors)
