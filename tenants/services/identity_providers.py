"""Identity providers: the tenant's staff provider and any number of client providers.

A provider's organisation is fixed when it is added: which organisation a
provider provisions members into is the one decision that must never drift.
The client secret is encrypted with the `SecretBox` before it is stored and is
left out of audit entries.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tenants.errors import conflict, validation
from tenants.models import ClientOrganisation, IdentityProvider
from tenants.principals import Role
from tenants.services.audit import Actor, record_audit, snapshot
from tenants.services.idp_fields import check_claim_fields, check_provider_fields
from tenants.services.persistence import apply, guarded_write, load_target
from tenants.services.secret_box import SecretBox
from tenants.services.validation import UNSET, Collector, Unset, given

DEFAULT_SCOPES = ("openid", "email", "profile")
# The settings a provider's update may change besides its claim fields, in the order a null
# among them is refused.
PROVIDER_FIELDS = (
    "issuer",
    "client_id",
    "client_secret",
    "allowed_domains",
    "default_role",
    "scopes",
    "claim_role_mapping",
    "name",
)
# The claim fields, and the value each goes back to when set to null.
CLAIM_DEFAULTS: dict[str, Any] = {
    "email_claim": "email",
    "name_claim": "name",
    "require_email_verified": True,
}
_CONSTRAINTS = {
    "uq_identity_providers_staff": conflict(
        "clientOrganisationId", "the tenant already has a staff identity provider"
    ),
    "uq_identity_providers_issuer_client_id": conflict(
        "clientId", "a provider with this issuer and client id is already configured"
    ),
}


def _audit_view(idp: IdentityProvider, *, secret_changed: bool) -> dict[str, Any]:
    view = snapshot(idp)
    view.pop("client_secret_encrypted", None)
    view["client_secret_changed"] = secret_changed
    return view


async def add_identity_provider(
    session: AsyncSession,
    *,
    actor: Actor,
    box: SecretBox,
    issuer: str | None = None,
    client_id: str | None = None,
    client_secret: str | None = None,
    allowed_domains: Sequence[str] | None = None,
    client_organisation_id: uuid.UUID | None = None,
    default_role: Role | None = None,
    scopes: Sequence[str] | None = None,
    claim_role_mapping: Mapping[str, Any] | None = None,
    name: str | None = None,
    allow_http: bool = False,
    email_claim: str | None = None,
    name_claim: str | None = None,
    require_email_verified: bool | None = None,
) -> IdentityProvider:
    """Add the staff provider (no organisation) or a client organisation's provider.

    An omitted or null field takes its default: the issuer, client id and secret are then
    blank (a VALIDATION error), domains empty (likewise), scopes `DEFAULT_SCOPES`, the claim
    fields theirs. `allow_http` lets a plain http issuer in: only outside production
    (ISSUER_RULE)."""
    c = Collector()
    client = await c.load(
        session, ClientOrganisation, client_organisation_id, "clientOrganisationId"
    )
    staff = client_organisation_id is None
    role = default_role or (Role.VIEWER if staff else Role.CLIENT_VIEWER)
    changes = check_provider_fields(
        c,
        staff=staff,
        issuer=issuer or "",
        client_id=client_id or "",
        client_secret=client_secret or "",
        allowed_domains=allowed_domains or [],
        default_role=role,
        scopes=DEFAULT_SCOPES if scopes is None else scopes,
        claim_role_mapping=claim_role_mapping,
        name=name,
        allow_http=allow_http,
    )
    changes |= check_claim_fields(
        c,
        **_claims_or_defaults(
            email_claim=email_claim,
            name_claim=name_claim,
            require_email_verified=require_email_verified,
        ),
    )
    c.raise_if_any()
    idp = _new_provider(box, client, changes)
    await _insert(session, actor=actor, idp=idp)
    return idp


def _new_provider(
    box: SecretBox, client: ClientOrganisation | None, changes: dict[str, object]
) -> IdentityProvider:
    """The provider the checked `changes` describe: its secret encrypted, never held in clear;
    unnamed, it is named after its organisation (the staff one "Staff sign-in")."""
    secret = changes.pop("client_secret")
    idp = IdentityProvider(
        client_organisation_id=client.id if client is not None else None,
        client_secret_encrypted=box.encrypt(str(secret)),
        **changes,
    )
    if not idp.name:
        idp.name = client.name if client is not None else "Staff sign-in"
    return idp


async def _insert(session: AsyncSession, *, actor: Actor, idp: IdentityProvider) -> None:
    """Insert `idp`, a unique-constraint breach becoming a field error, and audit it."""
    async with guarded_write(session, _CONSTRAINTS):
        session.add(idp)
    after = _audit_view(idp, secret_changed=True)
    await record_audit(session, actor=actor, action="create", obj=idp, before=None, after=after)
    await session.flush()


async def update_identity_provider(
    session: AsyncSession,
    *,
    actor: Actor,
    box: SecretBox,
    identity_provider_id: uuid.UUID,
    expected_version: int,
    allow_http: bool = False,
    **values: Any,
) -> IdentityProvider:
    """Change the given settings (`PROVIDER_FIELDS`, `CLAIM_DEFAULTS`) of a provider; its
    organisation stays as it was. A null claim field goes back to its default; a null for
    any other field but `claim_role_mapping` (which null removes) is a VALIDATION error."""
    provider_fields = _given_provider_fields(values)
    idp = await load_target(
        session, IdentityProvider, identity_provider_id, expected_version=expected_version
    )
    c = Collector()
    changes = check_provider_fields(
        c, staff=idp.client_organisation_id is None, allow_http=allow_http, **provider_fields
    )
    changes |= check_claim_fields(
        c, **_claims_or_defaults(**{k: values.get(k, UNSET) for k in CLAIM_DEFAULTS})
    )
    c.raise_if_any()
    secret_changed = "client_secret" in changes
    if secret_changed:
        changes["client_secret_encrypted"] = box.encrypt(str(changes.pop("client_secret")))
    before = _audit_view(idp, secret_changed=False)
    async with guarded_write(session, _CONSTRAINTS):
        apply(idp, changes)
    after = _audit_view(idp, secret_changed=secret_changed)
    await record_audit(session, actor=actor, action="update", obj=idp, before=before, after=after)
    await session.flush()
    return idp


def _given_provider_fields(values: Mapping[str, Any]) -> dict[str, Any]:
    """Every provider field for `check_provider_fields`, UNSET where not given; the first
    null for a field that must keep a value is refused before the provider is loaded."""
    unknown = set(values) - set(PROVIDER_FIELDS) - set(CLAIM_DEFAULTS)
    if unknown:
        raise TypeError(f"update_identity_provider: no field {sorted(unknown)}")
    for name in PROVIDER_FIELDS:
        if name in values and values[name] is None and name != "claim_role_mapping":
            raise validation(name, "must not be null")
    return {name: values.get(name, UNSET) for name in PROVIDER_FIELDS}


def _claims_or_defaults(**claims: Any) -> dict[str, Any]:
    """The claim fields, a null one as its default (an omitted one stays UNSET)."""
    return {k: CLAIM_DEFAULTS[k] if v is None else v for k, v in claims.items()}


async def remove_identity_provider(
    session: AsyncSession, *, actor: Actor, identity_provider_id: uuid.UUID, expected_version: int
) -> IdentityProvider:
    """Delete a provider and its pending login attempts; its members stay, unable to log in."""
    idp = await load_target(
        session, IdentityProvider, identity_provider_id, expected_version=expected_version
    )
    before = _audit_view(idp, secret_changed=False)
    await session.delete(idp)
    await record_audit(session, actor=actor, action="delete", obj=idp, before=before, after=None)
    await session.flush()
    return idp


async def list_identity_providers(
    session: AsyncSession, *, client_organisation_id: uuid.UUID | Unset | None = UNSET
) -> list[IdentityProvider]:
    """Providers, staff first then by name; `None` selects the staff one only."""
    query = select(IdentityProvider).order_by(
        IdentityProvider.client_organisation_id.is_not(None),
        IdentityProvider.name,
        IdentityProvider.id,
    )
    if given(client_organisation_id):
        query = query.where(
            IdentityProvider.client_organisation_id.is_(None)
            if client_organisation_id is None
            else IdentityProvider.client_organisation_id == client_organisation_id
        )
    return list(await session.scalars(query))


async def provider_for_login(
    session: AsyncSession, *, identity_provider_id: uuid.UUID | None
) -> IdentityProvider | None:
    """The provider a login starts with: the given one, or the staff one when none is given."""
    if identity_provider_id is not None:
        return await session.get(IdentityProvider, identity_provider_id)
    return await session.scalar(
        select(IdentityProvider).where(IdentityProvider.client_organisation_id.is_(None))
    )


def client_secret_of(idp: IdentityProvider, box: SecretBox) -> str:
    """The decrypted client secret, for the token request only."""
    return box.decrypt(idp.client_secret_encrypted)
