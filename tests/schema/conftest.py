"""Fixtures of the schema suites: a tenant with its tokens, and the seeded World most
engagement suites start from."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from tenants.registry import TenantRef
from tests.conftest import TenantFactory, TokenFactory
from tests.schema.support import World, WorldFactory, add_client, seed


@pytest.fixture
async def tenant(make_tenant: TenantFactory) -> TenantRef:
    """A new tenant for this test alone."""
    return await make_tenant()


@pytest.fixture
async def token(tenant: TenantRef, make_token: TokenFactory) -> str:
    """An admin token of `tenant` (make_token's default role)."""
    return await make_token(tenant)


@pytest.fixture
async def consultant(tenant: TenantRef, make_token: TokenFactory) -> str:
    """A consultant's token of `tenant`: staff who write but do not administer."""
    return await make_token(tenant, "consultant")


@pytest.fixture
async def viewer(tenant: TenantRef, make_token: TokenFactory) -> str:
    """A viewer's token of `tenant`: reads all, may write nothing."""
    return await make_token(tenant, "viewer")


@pytest.fixture
async def stranger(make_tenant: TenantFactory, make_token: TokenFactory) -> str:
    """An admin token of another tenant, which must see none of `tenant`'s objects."""
    return await make_token(await make_tenant())


@pytest.fixture
async def globex(engine: AsyncEngine, tenant: TenantRef) -> uuid.UUID:
    """A client organisation of `tenant` named Globex, made through the service."""
    return await add_client(engine, tenant)


@pytest.fixture
def make_world(
    engine: AsyncEngine, make_tenant: TenantFactory, make_token: TokenFactory
) -> WorldFactory:
    """Seeds a new World on each call: for a second tenant, or a fresh one per round."""

    async def factory(*, role: str = "consultant") -> World:
        return await seed(engine, make_tenant, make_token, role=role)

    return factory


@pytest.fixture
async def world(make_world: WorldFactory) -> World:
    """A World seeded for this test alone (a consultant's token)."""
    return await make_world()
