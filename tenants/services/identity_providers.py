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

from tenants.errors import conflict
from tenants.models import ClientOrganisation, IdentityProvider
from tenants.principals import Role
from tenants.services.audit import Actor, record_audit, snapshot
from tenants.services.idp_fields import check_claim_fields, check_provider_fields
from tenants.services.persistence import apply, guarded_write, load_target
from tenants.services.secret_box import SecretBox
from tenants.services.validation import UNSET, Collector, Unset, given

DEFAULT_SCOPES = ("openid", "email", "profile")
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
    issuer: str,
    client_id: str,
    client_secret: str,
    allowed_domains: Sequence[str],
    client_organisation_id: uuid.UUID | None = None,
    default_role: Role | None = None,
    scopes: Sequence[str] = DEFAULT_SCOPES,
    claim_role_mapping: Mapping[str, Any] | None = None,
    name: str | None = None,
    allow_http: bool = False,
    email_claim: str | Unset = UNSET,
    name_claim: str | Unset = UNSET,
    require_email_verified: bool | Unset = UNSET,
) -> IdentityProvider:
    """Add the staff provider (no organisation) or a client organisation's provider.

    `allow_http` lets a plain http issuer in: only outside production (ISSUER_RULE)."""
    c = Collector()
    client = await c.load(
        session, ClientOrganisation, client_organisation_id, "clientOrganisationId"
    )
    staff = client_organisation_id is None
    role = default_role or (Role.VIEWER if staff else Role.CLIENT_VIEWER)
    changes = check_provider_fields(
        c,
        staff=staff,
        issuer=issuer,
        client_id=client_id,
        client_secret=client_secret,
        allowed_domains=allowed_domains,
        default_role=role,
        scopes=scopes,
        claim_role_mapping=claim_role_mapping,
        name=name,
        allow_http=allow_http,
    )
    changes |= check_claim_fields(
        c,
        email_claim=email_claim,
        name_claim=name_claim,
        require_email_verified=require_email_verified,
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
    issuer: str | Unset = UNSET,
    client_id: str | Unset = UNSET,
    client_secret: str | Unset = UNSET,
    allowed_domains: Sequence[str] | Unset = UNSET,
    default_role: Role | Unset = UNSET,
    scopes: Sequence[str] | Unset = UNSET,
    claim_role_mapping: Mapping[str, Any] | Unset | None = UNSET,
    name: str | Unset = UNSET,
    allow_http: bool = False,
    email_claim: str | Unset = UNSET,
    name_claim: str | Unset = UNSET,
    require_email_verified: bool | Unset = UNSET,
) -> IdentityProvider:
    """Change the given settings of a provider; its organisation stays as it was."""
    idp = await load_target(
        session, IdentityProvider, identity_provider_id, expected_version=expected_version
    )
    c = Collector()
    changes = check_provider_fields(
        c,
        staff=idp.client_organisation_id is None,
        issuer=issuer,
        client_id=client_id,
        client_secret=client_secret,
        allowed_domains=allowed_domains,
        default_role=default_role,
        scopes=scopes,
        claim_role_mapping=claim_role_mapping,
        name=name,
        allow_http=allow_http,
    )
    changes |= check_claim_fields(
        c,
        email_claim=email_claim,
        name_claim=name_claim,
        require_email_verified=require_email_verified,
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
