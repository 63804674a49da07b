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

from scim2_models import UnauthorizedException
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession
from starlette.requests import Request

from server.auth.bearer import bearer_secret
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
        raise UnauthorizedException()
    async with tenant_session(engine, tenant) as db:
        provider = await provider_for_token(db, identity_provider_id=provider_id, secret=secret)
        if provider is None:
            raise UnauthorizedException()
        yield db, provider
