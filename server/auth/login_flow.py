"""The login flow: start an authorization request, then accept or refuse its callback.

Database work happens in short tenant transactions and never while waiting on
the provider. The callback's state is consumed and committed first, so however
the rest goes the attempt cannot be used again; a refusal at any later step
rolls back whatever that step wrote (no member, no session) and leaves one
`login_failed` audit event, written in a transaction of its own.
"""

from __future__ import annotations

import re
import secrets
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine

from server.auth.claims import ClaimMapping, identity_from
from server.auth.discovery import ProviderMetadata
from server.auth.next_url import UnsafeNextError, safe_next
from server.auth.refusal_log import log_refusal
from server.auth.resources import AuthResources
from tenants.models import IdentityProvider
from tenants.registry import TenantRef
from tenants.services.browser_sessions import OpenedSession, SessionOrigin, open_browser_session
from tenants.services.identity_providers import client_secret_of, provider_for_login
from tenants.services.login import (
    VerifiedIdentity,
    complete_login,
    record_login,
    record_login_failure,
)
from tenants.services.login_attempts import (
    check_browser_binding,
    consume_login_attempt,
    start_login_attempt,
)
from tenants.services.login_refusals import LoginRefused, Refusal
from tenants.services.secret_box import UndecryptableSecretError
from tenants.services.sign_in_attempts import member_of_identity, record_sign_in_attempt
from tenants.session import tenant_session

_BINDING = re.compile(r"^[A-Za-z0-9_-]{43}$")
CALLBACK_PARAMS = ("state", "code", "iss", "error", "error_description")
_ERROR_CODE = re.compile(r"^[a-z_]{1,64}$")


@dataclass
class Trail:
    """What is known about a login so far, for the audit entry if it is refused."""

    attempt_id: uuid.UUID | None = None
    identity_provider_id: uuid.UUID | None = None
    issuer: str | None = None
    identity: VerifiedIdentity | None = None


@dataclass(frozen=True, slots=True)
class Browser:
    """The browser finishing the login, as the request shows it."""

    address: str | None
    user_agent: str | None


@dataclass(frozen=True, slots=True)
class LoginStart:
    url: str
    browser_binding: str


@dataclass(frozen=True, slots=True)
class LoginDone:
    next_path: str
    session: OpenedSession
    member_id: uuid.UUID


async def _audit_refusal(
    engine: AsyncEngine, tenant: TenantRef, refusal: LoginRefused, trail: Trail, stage: str
) -> None:
    log_refusal(
        refusal,
        stage=stage,
        tenant=tenant.slug,
        identity_provider_id=trail.identity_provider_id,
        email=trail.identity.email if trail.identity else None,
    )
    identity = trail.identity
    async with tenant_session(engine, tenant) as session:
        await record_login_failure(
            session,
            refusal=refusal,
            attempt_id=trail.attempt_id,
            identity_provider_id=trail.identity_provider_id,
            issuer=trail.issuer,
            identity=identity,
        )
        member = (
            await member_of_identity(session, issuer=identity.issuer, subject=identity.subject)
            if identity
            else None
        )
        await record_sign_in_attempt(
            session,
            reason=refusal.reason,
            identity_provider_id=trail.identity_provider_id,
            member=member,
            email=identity.email if identity else None,
        )


async def begin_login(
    engine: AsyncEngine,
    auth: AuthResources,
    tenant: TenantRef,
    *,
    identity_provider_id: uuid.UUID | None,
    next_value: str | None,
    browser_binding: str | None,
    redirect_uri: str,
) -> LoginStart:
    """Record a login attempt and return the provider URL; refusals are audited and raised."""
    trail = Trail(identity_provider_id=identity_provider_id)
    try:
        return await _begin(engine, auth, tenant, trail, next_value, browser_binding, redirect_uri)
    except LoginRefused as refusal:
        await _audit_refusal(engine, tenant, refusal, trail, "start")
        raise


async def _begin(
    engine: AsyncEngine,
    auth: AuthResources,
    tenant: TenantRef,
    trail: Trail,
    next_value: str | None,
    browser_binding: str | None,
    redirect_uri: str,
) -> LoginStart:
    try:
        next_path = safe_next(next_value)
    except UnsafeNextError as exc:
        raise LoginRefused(Refusal.INVALID_NEXT, str(exc)) from exc
    async with tenant_session(engine, tenant) as session:
        idp = await provider_for_login(session, identity_provider_id=trail.identity_provider_id)
    if idp is None:
        raise LoginRefused(Refusal.IDP_UNKNOWN, "no such identity provider is configured")
    trail.identity_provider_id, trail.issuer = idp.id, idp.issuer
    metadata = await auth.oidc.metadata(idp.issuer)
    binding = browser_binding if browser_binding and _BINDING.fullmatch(browser_binding) else None
    binding = binding or secrets.token_urlsafe(32)
    state, nonce, verifier = (secrets.token_urlsafe(n) for n in (32, 24, 48))
    async with tenant_session(engine, tenant) as session:
        attempt = await start_login_attempt(
            session,
            idp=idp,
            state=state,
            nonce=nonce,
            code_verifier=verifier,
            next_path=next_path,
            browser_binding=binding,
            ttl=auth.login_ttl,
        )
        trail.attempt_id = attempt.id
    url = auth.oidc.authorization_url(
        metadata,
        client_id=idp.client_id,
        scopes=idp.scopes,
        redirect_uri=redirect_uri,
        state=state,
        nonce=nonce,
        code_verifier=verifier,
    )
    return LoginStart(url, binding)


async def finish_login(
    engine: AsyncEngine,
    auth: AuthResources,
    tenant: TenantRef,
    *,
    params: Sequence[tuple[str, str]],
    browser_binding: str | None,
    redirect_uri: str,
    client: Browser,
) -> LoginDone:
    """Check a callback (its query items) and open a session; refusals are audited and raised."""
    trail = Trail()
    try:
        return await _finish(
            engine, auth, tenant, trail, params, browser_binding, redirect_uri, client
        )
    except LoginRefused as refusal:
        await _audit_refusal(engine, tenant, refusal, trail, "callback")
        raise


async def _load_provider(engine: AsyncEngine, tenant: TenantRef, trail: Trail) -> IdentityProvider:
    async with tenant_session(engine, tenant) as session:
        idp = await provider_for_login(session, identity_provider_id=trail.identity_provider_id)
    if idp is None:
        raise LoginRefused(Refusal.IDP_UNKNOWN, "the identity provider was removed; start again")
    if idp.issuer != trail.issuer:
        raise LoginRefused(Refusal.ISSUER_MISMATCH, "the identity provider was reconfigured")
    return idp


def _single(items: Sequence[tuple[str, str]]) -> dict[str, str]:
    """The callback's parameters; a repeated one is refused, not guessed between."""
    params: dict[str, str] = {}
    for name, value in items:
        if name not in CALLBACK_PARAMS:
            continue
        if name in params:
            reason = Refusal.STATE_UNKNOWN if name == "state" else Refusal.ISSUER_MISMATCH
            raise LoginRefused(reason, f"the sign-in response repeats the {name} parameter")
        params[name] = value
    return params


def _check_response(params: dict[str, str], issuer: str, metadata: ProviderMetadata) -> None:
    """The authorization response names the provider asked (RFC 9207), is no error, has a code."""
    iss = params.get("iss")
    if iss is not None and iss != issuer:
        raise LoginRefused(
            Refusal.ISSUER_MISMATCH,
            "the sign-in response comes from another identity provider than the one asked",
            detail=f"iss={iss!r}",
        )
    if iss is None and metadata.iss_parameter_supported:
        raise LoginRefused(Refusal.ISSUER_MISSING, "the sign-in response does not name its issuer")
    if "error" in params:
        # Only a well-formed error code is echoed: the page must not repeat arbitrary text.
        code_name = params["error"] if _ERROR_CODE.fullmatch(params["error"]) else "unknown"
        raise LoginRefused(
            Refusal.IDP_ERROR,
            f"the identity provider refused the sign-in ({code_name})",
            detail=f"{params['error'][:64]}: {params.get('error_description', '')[:200]}",
        )
    if not params.get("code"):
        raise LoginRefused(Refusal.CODE_MISSING, "the sign-in response carries no code")


async def _finish(
    engine: AsyncEngine,
    auth: AuthResources,
    tenant: TenantRef,
    trail: Trail,
    items: Sequence[tuple[str, str]],
    browser_binding: str | None,
    redirect_uri: str,
    client: Browser,
) -> LoginDone:
    params = _single(items)
    state = params.get("state")
    if not state:
        raise LoginRefused(Refusal.STATE_MISSING, "the sign-in response carries no state")
    async with tenant_session(engine, tenant) as session:
        attempt = await consume_login_attempt(session, state=state)
    trail.attempt_id = attempt.id
    trail.identity_provider_id, trail.issuer = attempt.identity_provider_id, attempt.issuer
    check_browser_binding(attempt, browser_binding)
    metadata = await auth.oidc.metadata(attempt.issuer)
    _check_response(params, attempt.issuer, metadata)
    code = params["code"]
    idp = await _load_provider(engine, tenant, trail)
    try:
        secret = client_secret_of(idp, auth.box)
    except UndecryptableSecretError as exc:
        raise LoginRefused(
            Refusal.IDP_MISCONFIGURED, "this sign-in is misconfigured; tell an administrator"
        ) from exc
    token = await auth.oidc.exchange_code(
        metadata,
        client_id=idp.client_id,
        client_secret=secret,
        code=code,
        redirect_uri=redirect_uri,
        code_verifier=attempt.code_verifier,
    )
    claims = await auth.oidc.verify(
        metadata, token.get("id_token"), client_id=idp.client_id, nonce=attempt.nonce
    )
    mapping = ClaimMapping.of(idp)
    claims = await auth.oidc.identity_claims(metadata, token, claims, mapping)
    trail.identity = identity_from(claims, mapping)
    origin = _origin(auth, idp, client, claims, token.get("id_token"))
    async with tenant_session(engine, tenant) as session:
        member = await complete_login(session, idp=idp, identity=trail.identity)
        opened = await open_browser_session(
            session, tenant=tenant, member=member, idle=auth.session_idle, origin=origin
        )
        await record_login(session, member=member, idp=idp, session_id=opened.id)
        await record_sign_in_attempt(
            session, reason=None, identity_provider_id=idp.id, member=member
        )
    return LoginDone(attempt.next_path, opened, member.id)


def _origin(
    auth: AuthResources,
    idp: IdentityProvider,
    client: Browser,
    claims: dict[str, Any],
    id_token: object,
) -> SessionOrigin:
    """What the session keeps of its login: for Member.sessions and both kinds of logout."""
    sid = claims.get("sid")
    return SessionOrigin(
        identity_provider_id=idp.id,
        client_address=(client.address or "")[:64] or None,
        user_agent=(client.user_agent or "")[:256] or None,
        sid=sid if isinstance(sid, str) and 0 < len(sid) <= 255 else None,
        # Encrypted: it is a bearer of the user's identity at the provider (id_token_hint).
        id_token_encrypted=auth.box.encrypt(id_token) if isinstance(id_token, str) else None,
    )
