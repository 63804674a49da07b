"""Who is calling: a live SCIM token of the identity provider named in the path.

The tenant comes from the registry row for the path's slug and the provider from the
token's own row inside that tenant's schema, so a token can only ever act as the
provider it was issued for. An unknown tenant, provider or token all answer the same
401, so the endpoint tells a caller without a token nothing.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from scim2_models import SCIMException, UnauthorizedException
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession
from starlette.requests import Request

from server.auth.bearer import bearer_secret
from server.middleware.rate_limit import STATE_KEY, RateLimits, address_key, spend
from tenants.models import IdentityProvider
from tenants.registry import get_tenant
from tenants.services.scim import provider_for_token
from tenants.session import tenant_session
from tenants.slugs import SLUG_PATTERN


@asynccontextmanager
async def provider_session(
    request: Request,
) -> AsyncIterator[tuple[AsyncSession, IdentityProvider]]:
    """One tenant transaction as the provider the bearer token belongs to; commits when the
    block exits normally, rolls back on any error."""
    secret = bearer_secret(request.scope["headers"])
    slug: str = request.path_params["tenant"]
    provider_id: uuid.UUID = request.path_params["idp"]
    if secret is None or not SLUG_PATTERN.fullmatch(slug):
        raise UnauthorizedException()
    engine: AsyncEngine = request.state.engine
    async with engine.connect() as conn:
        tenant = await get_tenant(conn, slug)
    if tenant is None:
        await _spend(request, address_key(request.scope), per_address=True)
        raise UnauthorizedException()
    async with tenant_session(engine, tenant) as db:
        provider = await provider_for_token(db, identity_provider_id=provider_id, secret=secret)
        if provider is None:
            await _spend(request, address_key(request.scope), per_address=True)
            raise UnauthorizedException()
        await _spend(request, f"p:{tenant.id}:scim:{provider.id}", per_address=False)
        yield db, provider


class ScimRateLimited(SCIMException):
    """429: the provider's SCIM client sent more than STEWARD_RATE_LIMIT_PER_PRINCIPAL
    requests this minute (RFC 7644 §3.12 lets a service answer 429)."""

    status = 429
    _default_detail = "too many requests"

    def __init__(self, retry_after: int, limit: int) -> None:
        super().__init__(detail=f"at most {limit} requests a minute; retry after {retry_after}s")
        self.retry_after = retry_after


async def _spend(request: Request, key: str, *, per_address: bool) -> None:
    """One request of this provider's SCIM client (or, for a token that failed, of the
    address: guessing tokens spends the address's budget, which the address middleware
    then enforces before any lookup)."""
    limits: RateLimits | None = getattr(request.state, STATE_KEY, None)
    redis = getattr(request.state, "redis", None)
    if limits is None or redis is None:
        return
    limit = limits.per_address if per_address else limits.per_principal
    retry_after = await spend(redis, limits, key, limit)
    if retry_after is not None and not per_address:
        raise ScimRateLimited(retry_after, limit)
