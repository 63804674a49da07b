"""`issueScimToken`: a bearer token for an identity provider's SCIM 2.0 client; admins only.

The secret is in the payload once; Steward keeps its SHA-256 (tenants/services/scim.py).
Issuing and revoking are audited with the admin as the actor.
"""

from __future__ import annotations

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession

from schema.context import Info
from schema.errors import UserError
from schema.identity.types import IdentityProviderNode
from schema.ids import decode_id
from schema.input_fields import global_id_of
from schema.mutation_support import PayloadOf, write_mutation
from schema.payloads import errors_field, result_of, written_field
from tenants import models as m
from tenants.services import scim as service
from tenants.services.audit import Actor


@strawberry.input(description="Which provider the SCIM token provisions members for.")
class IssueScimTokenInput:
    identity_provider_id: strawberry.ID = global_id_of("IdentityProvider")
    revoke_existing: bool = strawberry.field(
        default=False, description="Revoke the provider's earlier SCIM tokens first."
    )


@strawberry.type(description=result_of("issueScimToken"))
class IssueScimTokenPayload:
    identity_provider: IdentityProviderNode | None = written_field("IdentityProvider")
    secret: str | None = strawberry.field(
        description="The bearer token, shown here only; null when there are errors."
    )
    scim_base_url: str | None = strawberry.field(
        description="The SCIM base URL to give the provider: `/scim/v2/{tenant}/{provider}`."
    )
    errors: list[UserError] = errors_field()


def _base_url(info: Info, provider: m.IdentityProvider) -> str:
    request = info.context.request
    origin = request.state.settings.public_url or str(request.base_url)
    return f"{origin.rstrip('/')}/scim/v2/{info.context.principal.tenant.slug}/{provider.id}"


async def _issue(
    info: Info, input: IssueScimTokenInput, db: AsyncSession, actor: Actor
) -> tuple[m.IdentityProvider, str]:
    """The provider and the new token's secret (after revoking earlier ones if asked)."""
    provider_id = decode_id(input.identity_provider_id, "IdentityProvider", "identityProviderId")
    if input.revoke_existing:
        await service.revoke_scim_tokens(db, actor=actor, identity_provider_id=provider_id)
    issued = await service.issue_scim_token(db, actor=actor, identity_provider_id=provider_id)
    provider = await db.get(m.IdentityProvider, provider_id)
    assert provider is not None  # issue_scim_token refuses an unknown provider
    return provider, issued.secret


def _issued(info: Info, input: IssueScimTokenInput) -> PayloadOf[IssueScimTokenPayload]:
    """The payload: the provider, the secret, and the base URL to give the provider."""

    def build(
        written: tuple[m.IdentityProvider, str] | None, errors: list[UserError]
    ) -> IssueScimTokenPayload:
        if errors or written is None:
            return IssueScimTokenPayload(
                identity_provider=None, secret=None, scim_base_url=None, errors=errors
            )
        provider, secret = written
        return IssueScimTokenPayload(
            identity_provider=IdentityProviderNode.from_model(provider),
            secret=secret,
            scim_base_url=_base_url(info, provider),
            errors=[],
        )

    return build


@strawberry.type
class ScimTokenMutation:
    issue_scim_token = write_mutation(
        IssueScimTokenInput,
        IssueScimTokenPayload,
        _issue,
        description="Issue a SCIM provisioning token for a provider; admins only.",
        answer=_issued,
    )
