"""Configure (add or change) and remove identity providers; admins only.

`configureIdentityProvider` creates a provider when no `id` is given and
changes the given fields of one otherwise. The client secret is write-only.
A provider's client organisation is fixed when it is added.
"""

from __future__ import annotations

from typing import Any

import strawberry
import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from schema.context import Info
from schema.identity.types import IdentityProviderNode
from schema.ids import decode_id
from schema.input_fields import omittable, optional
from schema.mutation_support import input_values, row_input, write_mutation
from schema.payloads import Payload, written_payload
from schema.row_writes import Ref, removed_row
from schema.viewer.types import RoleType
from tenants import models as m
from tenants.errors import validation
from tenants.principals import Role
from tenants.services import identity_providers as service
from tenants.services.audit import Actor
from tenants.services.idp_fields import ISSUER_RULE, is_plain_http

log = structlog.get_logger("steward.graphql")


@strawberry.input(description="One claim value and the role it gives.")
class ClaimRoleValueInput:
    value: str = strawberry.field(description="A claim value, matched exactly.")
    role: RoleType = strawberry.field(description="The role a first login with this value gets.")  # type: ignore[valid-type]


@strawberry.input(description="Read one top-level claim; map its values to roles.")
class ClaimRoleMappingInput:
    claim: str = strawberry.field(description="The top-level ID-token claim read, e.g. groups.")
    values: list[ClaimRoleValueInput] = strawberry.field(
        description="Claim values and the role each gives; if several match, the most"
        " privileged role wins."
    )


@strawberry.input(
    description="Without `id`: add a provider (issuer, clientId, clientSecret and "
    "allowedDomains are required; scopes default to openid email profile). With `id` and "
    "`version`: change the given fields; omitted fields are unchanged."
)
class ConfigureIdentityProviderInput:
    id: strawberry.ID | None = optional(
        "The global id of the IdentityProvider to change; omitted or null: add a new one."
    )
    version: int | None = optional("Required with `id`.")
    client_organisation_id: strawberry.ID | None = omittable(
        "Only when adding: the client organisation; omitted or null: the staff "
        "provider. It cannot be changed later."
    )
    name: str | None = omittable("A label for admins and the sign-in page.")
    issuer: str | None = omittable("Exactly as the provider's discovery document states it.")
    client_id: str | None = omittable(
        "The OAuth client id Steward is registered under at the provider."
    )
    client_secret: str | None = omittable("Write-only: stored encrypted, never shown.")
    scopes: list[str] | None = omittable(
        "The OAuth scopes requested at login, e.g. openid email profile."
    )
    allowed_domains: list[str] | None = omittable(
        "E-mail domains a first login may come from (exact match)."
    )
    claim_role_mapping: ClaimRoleMappingInput | None = omittable("Null removes the mapping.")
    default_role: RoleType | None = omittable("The role of a first login no claim mapping matches.")  # type: ignore[valid-type]
    email_claim: str | None = omittable(
        "The claim holding the e-mail: email (default), or preferred_username / upn for Entra ID."
    )
    name_claim: str | None = omittable("The claim holding the display name (name).")
    require_email_verified: bool | None = omittable(
        "Refuse a first login unless email_verified is true (default true; Entra "
        "ID sends no email_verified, so false there)."
    )


@strawberry.input(description="Which provider to remove, at the version you last saw.")
@row_input("IdentityProvider", "remove")
class RemoveIdentityProviderInput:
    pass


@written_payload("identity_provider", IdentityProviderNode, "configureIdentityProvider")
class IdentityProviderPayload(Payload):
    pass


@written_payload(
    "removed_identity_provider_id",
    strawberry.ID,
    "removeIdentityProvider",
    about="The id of the provider removed; null when there are errors.",
)
class RemoveIdentityProviderPayload(Payload):
    pass


def _mapping(value: ClaimRoleMappingInput | None) -> dict[str, Any] | None:
    if value is None:
        return None
    return {"claim": value.claim, "values": {v.value: Role(v.role).value for v in value.values}}


def _allow_http(info: Info, issuer: str | None) -> bool:
    """The issuer rule (ISSUER_RULE): plain http only outside production, with a warning."""
    allowed = not info.context.request.state.settings.production
    if allowed and isinstance(issuer, str) and is_plain_http(issuer):
        log.warning("identity_provider.http_issuer", issuer=issuer, rule=ISSUER_RULE)
    return allowed


# Not settings of the provider: `id` and `version` select the one changed, the organisation
# is fixed when it is added.
_NOT_SETTINGS = ("id", "version", "client_organisation_id")


def _settings(i: ConfigureIdentityProviderInput) -> dict[str, Any]:
    """The settings given, by Python name; the service judges their nulls."""
    return input_values(i, skip=_NOT_SETTINGS, convert={"claim_role_mapping": _mapping})


async def _add(
    info: Info, i: ConfigureIdentityProviderInput, db: AsyncSession, actor: Actor
) -> m.IdentityProvider:
    client = None
    if i.client_organisation_id not in (None, strawberry.UNSET):
        client = decode_id(
            str(i.client_organisation_id), "ClientOrganisation", "clientOrganisationId"
        )
    return await service.add_identity_provider(
        db,
        actor=actor,
        box=info.context.request.state.auth.box,
        client_organisation_id=client,
        allow_http=_allow_http(info, i.issuer),
        **_settings(i),
    )


async def _update(
    info: Info, i: ConfigureIdentityProviderInput, db: AsyncSession, actor: Actor
) -> m.IdentityProvider:
    assert i.id is not None
    provider_id = decode_id(i.id, "IdentityProvider", "id")
    if i.version is None:
        raise validation("version", "is required to change a provider")
    if i.client_organisation_id is not strawberry.UNSET:
        raise validation(
            "clientOrganisationId", "cannot be changed: remove the provider and add a new one"
        )
    return await service.update_identity_provider(
        db,
        actor=actor,
        box=info.context.request.state.auth.box,
        identity_provider_id=provider_id,
        expected_version=i.version,
        allow_http=_allow_http(info, i.issuer),
        **_settings(i),
    )


async def _configure(
    info: Info, i: ConfigureIdentityProviderInput, db: AsyncSession, actor: Actor
) -> m.IdentityProvider:
    return await (_add if i.id is None else _update)(info, i, db, actor)


@strawberry.type
class IdentityProviderMutation:
    configure_identity_provider = write_mutation(
        ConfigureIdentityProviderInput,
        IdentityProviderPayload,
        _configure,
        description="Add a provider (no id) or change one (id and version); admins only.",
    )
    remove_identity_provider = write_mutation(
        RemoveIdentityProviderInput,
        RemoveIdentityProviderPayload,
        removed_row(
            service.remove_identity_provider, Ref("IdentityProvider", "identity_provider_id")
        ),
        description="Remove a provider and its pending logins; its members stay, unable to "
        "log in until a provider with the same issuer is configured again.",
    )
