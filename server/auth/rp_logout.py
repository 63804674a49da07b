"""OpenID Connect RP-Initiated Logout 1.0: ending the sign-in at the provider too.

When the session's provider publishes `end_session_endpoint`, logout sends the browser
there with `id_token_hint` (the session's id token, kept encrypted and cleared here so
it is used once), `client_id`, `post_logout_redirect_uri` (Steward's own
`/auth/{tenant}/signed-out`, which must be registered at the provider) and a random
`state`, which the signed-out page checks against the `steward_logout` cookie. Anything
missing (no id token, no endpoint, discovery down, an undecryptable token) falls back to
the local logout alone: the Steward session is already ended either way.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import structlog
from authlib.common.urls import add_params_to_uri
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from server.auth.resources import AuthResources
from tenants.models import IdentityProvider
from tenants.registry import BrowserSession, TenantRef
from tenants.services.login_refusals import LoginRefused
from tenants.services.secret_box import UndecryptableSecretError
from tenants.session import tenant_session

log = structlog.get_logger("steward.auth")
LOGOUT_COOKIE = "steward_logout"


@dataclass(frozen=True, slots=True)
class SessionLogin:
    identity_provider_id: uuid.UUID
    id_token: str


async def take_id_token(
    engine: AsyncEngine, auth: AuthResources, session_id: uuid.UUID
) -> SessionLogin | None:
    """The session's provider and id token, which are forgotten in the same transaction."""
    s = BrowserSession
    async with engine.connect() as conn, conn.begin():
        row = (
            await conn.execute(
                select(s.identity_provider_id, s.id_token_encrypted)
                .where(s.id == session_id)
                .with_for_update()
            )
        ).first()
        if row is None or row[0] is None or row[1] is None:
            return None
        await conn.execute(update(s).where(s.id == session_id).values(id_token_encrypted=None))
    try:
        return SessionLogin(row[0], auth.box.decrypt(row[1]))
    except UndecryptableSecretError:  # the secret key was rotated away since the login
        return None


async def end_session_url(
    engine: AsyncEngine,
    auth: AuthResources,
    tenant: TenantRef,
    login: SessionLogin,
    *,
    post_logout_redirect_uri: str,
    state: str,
) -> str | None:
    """The provider's logout URL for this sign-in, or None when it offers none."""
    async with tenant_session(engine, tenant) as session:
        idp = await session.get(IdentityProvider, login.identity_provider_id)
        found = (idp.issuer, idp.client_id) if idp is not None else None
    if found is None:
        return None
    try:
        metadata = await auth.oidc.metadata(found[0])
    except LoginRefused:
        log.warning(
            "logout.provider_unreachable",
            tenant=tenant.slug,
            identity_provider_id=str(login.identity_provider_id),
        )
        return None
    if metadata.end_session_endpoint is None:
        return None
    params = [
        ("id_token_hint", login.id_token),
        ("client_id", found[1]),
        ("post_logout_redirect_uri", post_logout_redirect_uri),
        ("state", state),
    ]
    return str(add_params_to_uri(metadata.end_session_endpoint, params))
