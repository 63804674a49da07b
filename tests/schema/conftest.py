"""Fixtures of the schema suites: the seeded World most engagement suites start from."""

from __future__ import annotations

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.conftest import TenantFactory, TokenFactory
from tests.schema.support import World, WorldFactory, seed


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
