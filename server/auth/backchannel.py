"""OpenID Back-Channel Logout 1.0 for one tenant's identity provider.

`POST /auth/{tenant}/backchannel-logout/{idp}` with the form field `logout_token`.
A verified token (server/auth/logout_token.py) whose `jti` was not seen before ends
that provider's sessions of its `sid` and/or `sub`; the answer is 200, or 400 with
an OAuth-style JSON error, always `Cache-Control: no-store` (section 2.8).
"""

from __future__ import annotations

import hashlib
import uuid
from urllib.parse import parse_qsl

import structlog
from redis.asyncio import Redis
from redis.exceptions import RedisError
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from server.auth.logout_token import (
    MAX_AGE_SECONDS,
    LogoutClaims,
    LogoutTokenError,
    verify_logout_token,
)
from server.auth.resources import AuthResources
from tenants.models import IdentityProvider
from tenants.registry import TenantRef, get_tenant
from tenants.services.login_refusals import LoginRefused
from tenants.services.member_sessions import end_sessions_at_provider_logout
from tenants.session import tenant_session
from tenants.slugs import SLUG_PATTERN

log = structlog.get_logger("steward.auth")
NO_STORE = {"cache-control": "no-store"}
FORM = "application/x-www-form-urlencoded"


class BadLogout(Exception):
    """Answer 400 with this description (never token content)."""


def _refused(reason: str) -> Response:
    body = {"error": "invalid_request", "error_description": reason}
    return JSONResponse(body, status_code=400, headers=NO_STORE)


async def _logout_token(request: Request) -> str:
    content_type = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if content_type != FORM:
        raise BadLogout(f"the request must be {FORM}")
    try:
        fields = parse_qsl((await request.body()).decode("ascii"), keep_blank_values=True)
    except (UnicodeError, ValueError) as exc:
        raise BadLogout("the request body is not a form") from exc
    tokens = [value for name, value in fields if name == "logout_token"]
    if len(tokens) != 1 or not tokens[0]:
        raise BadLogout("the request must carry exactly one logout_token")
    return tokens[0]


async def _provider(
    engine: AsyncEngine, slug: str, idp_id: uuid.UUID
) -> tuple[TenantRef, IdentityProvider]:
    tenant = None
    if SLUG_PATTERN.fullmatch(slug):
        async with engine.connect() as conn:
            tenant = await get_tenant(conn, slug)
    if tenant is None:
        raise BadLogout("there is no such consultancy here")
    async with tenant_session(engine, tenant) as session:
        idp = await session.get(IdentityProvider, idp_id)
    if idp is None:
        raise BadLogout("no such identity provider is configured")
    return tenant, idp


async def _first_use(
    redis: Redis,
    namespace: str,
    tenant: TenantRef,
    idp: IdentityProvider,
    claims: LogoutClaims,
    max_age: int,
) -> bool:
    """Remember the jti until the token could no longer be accepted; False for a repeat."""
    digest = hashlib.sha256(claims.jti.encode()).hexdigest()
    key = f"{namespace}:bcl-jti:{tenant.id}:{idp.id}:{digest}"
    try:
        return bool(await redis.set(key, "1", nx=True, ex=max_age))
    except (RedisError, OSError) as exc:
        # Without the replay check the token must not be honoured (fail closed): 400, and
        # the provider may retry.
        raise BadLogout("the logout cannot be checked for replay right now") from exc


async def backchannel_logout(request: Request) -> Response:
    engine: AsyncEngine = request.state.engine
    auth: AuthResources = request.state.auth
    slug: str = request.path_params["tenant"]
    idp_id: uuid.UUID = request.path_params["idp"]
    try:
        raw = await _logout_token(request)
        tenant, idp = await _provider(engine, slug, idp_id)
        metadata = await auth.oidc.metadata(idp.issuer)
        leeway = auth.settings.id_token_leeway_seconds
        claims = await verify_logout_token(
            raw,
            issuer=metadata.issuer,
            client_id=idp.client_id,
            jwks_uri=metadata.jwks_uri,
            keys=auth.oidc.jwks,
            leeway=leeway,
        )
        # Long enough that the token can no longer pass the iat check when it is forgotten.
        max_age = MAX_AGE_SECONDS + 2 * leeway
        if not await _first_use(
            request.state.redis, auth.settings.queue_name, tenant, idp, claims, max_age
        ):
            raise BadLogout("this logout token was already used")
    except (BadLogout, LogoutTokenError) as exc:
        log.warning(
            "logout.backchannel_refused",
            tenant=slug,
            identity_provider_id=str(idp_id),
            reason=str(exc),
        )
        return _refused(str(exc))
    except LoginRefused as exc:  # discovery failed
        log.warning(
            "logout.backchannel_refused",
            tenant=slug,
            identity_provider_id=str(idp_id),
            reason=exc.reason.value,
        )
        return _refused(exc.message)
    async with tenant_session(engine, tenant) as session:
        ended = await end_sessions_at_provider_logout(
            session, idp=idp, sid=claims.sid, subject=claims.sub
        )
    log.info(
        "logout.backchannel",
        tenant=tenant.slug,
        identity_provider_id=str(idp.id),
        sessions_ended=ended,
    )
    return Response(status_code=200, headers=NO_STORE)
