"""Configure (add or change) and remove identity providers; admins only.

`configureIdentityProvider` creates a provider when no `id` is given and
changes the given fields of one otherwise. The client secret is write-only.
A provider's client organisation is fixed when it is added.
"""

from __future__ import annotations

from typing import Annotated, Any

import strawberry
import structlog

from schema.context import Info
from schema.errors import UserError, atomic
from schema.identity.types import IdentityProviderNode
from schema.ids import decode_id
from schema.mutation_support import required
from schema.permissions import actor_of, authorize
from schema.viewer.types import RoleType
from tenants import models as m
from tenants.errors import validation
from tenants.principals import Role
from tenants.services import identity_providers as service
from tenants.services.idp_fields import ISSUER_RULE, is_plain_http
from tenants.services.validation import UNSET as SERVICE_UNSET

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
    id: strawberry.ID | None = strawberry.field(
        default=None,
        description=(
            "The global id of the IdentityProvider to change; omitted or null: add a new one."
        ),
    )
    version: int | None = strawberry.field(default=None, description="Required with `id`.")
    client_organisation_id: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET,
        description="Only when adding: the client organisation; omitted or null: the staff "
        "provider. It cannot be changed later.",
    )
    name: str | None = strawberry.field(
        default=strawberry.UNSET, description="A label for admins and the sign-in page."
    )
    issuer: str | None = strawberry.field(
        default=strawberry.UNSET,
        description="Exactly as the provider's discovery document states it.",
    )
    client_id: str | None = strawberry.field(
        default=strawberry.UNSET,
        description="The OAuth client id Steward is registered under at the provider.",
    )
    client_secret: str | None = strawberry.field(
        default=strawberry.UNSET, description="Write-only: stored encrypted, never shown."
    )
    scopes: list[str] | None = strawberry.field(
        default=strawberry.UNSET,
        description="The OAuth scopes requested at login, e.g. openid email profile.",
    )
    allowed_domains: list[str] | None = strawberry.field(
        default=strawberry.UNSET,
        description="E-mail domains a first login may come from (exact match).",
    )
    claim_role_mapping: ClaimRoleMappingInput | None = strawberry.field(
        default=strawberry.UNSET, description="Null removes the mapping."
    )
    default_role: RoleType | None = strawberry.field(  # type: ignore[valid-type]
        default=strawberry.UNSET, description="The role of a first login no claim mapping matches."
    )
    email_claim: str | None = strawberry.field(
        default=strawberry.UNSET,
        description="The claim holding the e-mail: email (default), or preferred_username / "
        "upn for Entra ID.",
    )
    name_claim: str | None = strawberry.field(
        default=strawberry.UNSET, description="The claim holding the display name (name)."
    )
    require_email_verified: bool | None = strawberry.field(
        default=strawberry.UNSET,
        description="Refuse a first login unless email_verified is true (default true; Entra "
        "ID sends no email_verified, so false there).",
    )


def _claim_fields(i: ConfigureIdentityProviderInput) -> dict[str, Any]:
    """The claim-mapping fields given (null means: back to the default)."""
    defaults = {"email_claim": "email", "name_claim": "name", "require_email_verified": True}
    given = {k: getattr(i, k) for k in defaults if getattr(i, k) is not strawberry.UNSET}
    return {k: defaults[k] if v is None else v for k, v in given.items()}


@strawberry.input(description="Which provider to remove, at the version you last saw.")
class RemoveIdentityProviderInput:
    id: strawberry.ID = strawberry.field(
        description="The global id of the IdentityProvider to remove."
    )
    version: int = strawberry.field(
        description="The version you last saw; a stale one is a CONFLICT."
    )


@strawberry.type(
    description=("The result of configureIdentityProvider: the object written, or `errors`.")
)
class IdentityProviderPayload:
    identity_provider: IdentityProviderNode | None = strawberry.field(
        description="The IdentityProvider as written; null when there are errors."
    )
    errors: list[UserError] = strawberry.field(
        description=(
            "What went wrong, each naming its input field; empty on success. With "
            "errors nothing was written."
        )
    )


@strawberry.type(
    description="The result of removeIdentityProvider: the object written, or `errors`."
)
class RemoveIdentityProviderPayload:
    removed_identity_provider_id: strawberry.ID | None = strawberry.field(
        description="The id of the provider removed; null when there are errors."
    )
    errors: list[UserError] = strawberry.field(
        description=(
            "What went wrong, each naming its input field; empty on success. With "
            "errors nothing was written."
        )
    )


def _mapping(value: ClaimRoleMappingInput | None) -> dict[str, Any] | None:
    if value is None:
        return None
    return {"claim": value.claim, "values": {v.value: Role(v.role).value for v in value.values}}


def _text(value: str | None) -> str:
    return "" if value is None or value is strawberry.UNSET else value


def _allow_http(info: Info, issuer: str | None) -> bool:
    """The issuer rule (ISSUER_RULE): plain http only outside production, with a warning."""
    allowed = not info.context.request.state.settings.production
    if allowed and isinstance(issuer, str) and is_plain_http(issuer):
        log.warning("identity_provider.http_issuer", issuer=issuer, rule=ISSUER_RULE)
    return allowed


async def _add(info: Info, i: ConfigureIdentityProviderInput) -> m.IdentityProvider:
    client = None
    if i.client_organisation_id not in (None, strawberry.UNSET):
        client = decode_id(
            str(i.client_organisation_id), "ClientOrganisation", "clientOrganisationId"
        )
    scopes = None if i.scopes in (None, strawberry.UNSET) else i.scopes
    return await service.add_identity_provider(
        info.context.db,
        actor=actor_of(info.context.principal),
        box=info.context.request.state.auth.box,
        issuer=_text(i.issuer),
        client_id=_text(i.client_id),
        client_secret=_text(i.client_secret),
        allowed_domains=[] if i.allowed_domains in (None, strawberry.UNSET) else i.allowed_domains,
        client_organisation_id=client,
        default_role=None if i.default_role is strawberry.UNSET else i.default_role,
        scopes=service.DEFAULT_SCOPES if scopes is None else scopes,
        claim_role_mapping=None
        if i.claim_role_mapping is strawberry.UNSET
        else _mapping(i.claim_role_mapping),
        name=None if i.name is strawberry.UNSET else i.name,
        allow_http=_allow_http(info, i.issuer),
        **_claim_fields(i),
    )


async def _update(info: Info, i: ConfigureIdentityProviderInput) -> m.IdentityProvider:
    assert i.id is not None
    provider_id = decode_id(i.id, "IdentityProvider", "id")
    if i.version is None:
        raise validation("version", "is required to change a provider")
    if i.client_organisation_id is not strawberry.UNSET:
        raise validation(
            "clientOrganisationId", "cannot be changed: remove the provider and add a new one"
        )
    raw: Any = i.claim_role_mapping
    mapping = SERVICE_UNSET if raw is strawberry.UNSET else _mapping(raw)
    return await service.update_identity_provider(
        info.context.db,
        actor=actor_of(info.context.principal),
        box=info.context.request.state.auth.box,
        identity_provider_id=provider_id,
        expected_version=i.version,
        issuer=required(i.issuer, "issuer"),
        client_id=required(i.client_id, "clientId"),
        client_secret=required(i.client_secret, "clientSecret"),
        allowed_domains=required(i.allowed_domains, "allowedDomains"),
        default_role=required(i.default_role, "defaultRole"),
        scopes=required(i.scopes, "scopes"),
        claim_role_mapping=mapping,
        name=required(i.name, "name"),
        allow_http=_allow_http(info, i.issuer),
        **_claim_fields(i),
    )


@strawberry.type
class IdentityProviderMutation:
    @strawberry.mutation(
        description="Add a provider (no id) or change one (id and version); admins only."
    )
    async def configure_identity_provider(
        self,
        info: Info,
        input: Annotated[
            ConfigureIdentityProviderInput,
            strawberry.argument(
                description=(
                    "What to write; each error names its field within it (e.g. `name`, "
                    "`scores[0].score`)."
                )
            ),
        ],
    ) -> IdentityProviderPayload:
        obj = None
        async with atomic(info) as outcome:
            await authorize(info)
            obj = await (_add(info, input) if input.id is None else _update(info, input))
        node = (
            IdentityProviderNode.from_model(obj) if obj is not None and not outcome.errors else None
        )
        return IdentityProviderPayload(identity_provider=node, errors=outcome.errors)

    @strawberry.mutation(
        description="Remove a provider and its pending logins; its members stay, unable to "
        "log in until a provider with the same issuer is configured again."
    )
    async def remove_identity_provider(
        self,
        info: Info,
        input: Annotated[
            RemoveIdentityProviderInput,
            strawberry.argument(
                description=(
                    "What to write; each error names its field within it (e.g. `name`, "
                    "`scores[0].score`)."
                )
            ),
        ],
    ) -> RemoveIdentityProviderPayload:
        removed = False
        async with atomic(info) as outcome:
            await authorize(info)
            await service.remove_identity_provider(
                info.context.db,
                actor=actor_of(info.context.principal),
                identity_provider_id=decode_id(input.id, "IdentityProvider", "id"),
                expected_version=input.version,
            )
            removed = True
        errors = outcome.errors
        return RemoveIdentityProviderPayload(
            removed_identity_provider_id=input.id if removed and not errors else None,
            errors=errors,
        )
