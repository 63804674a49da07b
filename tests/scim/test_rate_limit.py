"""SCIM is rate limited per identity provider (its SCIM client), and token guessing per
address, like GraphQL's principals and bogus credentials (server/middleware/rate_limit.py)."""

from __future__ import annotations

import asyncio
import time
import uuid

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from server.middleware.rate_limit import WINDOW_S
from server.settings import Settings
from tenants.provisioning import create_tenant
from tests.scim.conftest import ScimProvider, add_scim_provider
from tests.support import serving, unique_slug


@pytest.fixture(autouse=True)
async def _away_from_a_window_boundary() -> None:
    """Counters reset each minute; start a burst with time to spare before the next one."""
    remaining = WINDOW_S - time.time() % WINDOW_S
    if remaining < 5:
        await asyncio.sleep(remaining + 0.1)


def _tight(settings: Settings, **update: object) -> Settings:
    return settings.model_copy(update={"queue_name": f"rl:{uuid.uuid4().hex}", **update})


async def _users(
    http: httpx.AsyncClient, provider: ScimProvider, token: str | None = None
) -> httpx.Response:
    """GET the provider's /Users (with its own token unless given): the request each test
    repeats until it is limited."""
    headers = provider.headers() if token is None else {"authorization": f"Bearer {token}"}
    return await http.get(f"{provider.base}/Users", headers=headers)


async def test_a_providers_scim_client_over_its_limit_gets_429_and_another_provider_not(
    settings: Settings, engine: AsyncEngine
) -> None:
    async with serving(_tight(settings, rate_limit_per_principal=4)) as url:
        tenant = await create_tenant(engine, slug=unique_slug("scimrl"), name="SCIM RL")
        noisy = await add_scim_provider(engine, url, tenant, None)
        quiet = await add_scim_provider(engine, url, tenant, "Globex")
        async with httpx.AsyncClient() as http:
            statuses = [(await _users(http, noisy)).status_code for _ in range(6)]
            assert statuses == [200] * 4 + [429] * 2
            limited = await _users(http, noisy)
            assert limited.status_code == 429
            assert 1 <= int(limited.headers["retry-after"]) <= WINDOW_S + 1
            body = limited.json()
            assert body["status"] == "429" and "at most 4 requests a minute" in body["detail"]
            other = await _users(http, quiet)
            assert other.status_code == 200


async def test_guessing_scim_tokens_spends_the_address_budget(
    settings: Settings, engine: AsyncEngine
) -> None:
    async with serving(_tight(settings, rate_limit_per_address=3)) as url:
        tenant = await create_tenant(engine, slug=unique_slug("scimrg"), name="SCIM RG")
        provider = await add_scim_provider(engine, url, tenant, None)
        async with httpx.AsyncClient() as http:
            statuses = [(await _users(http, provider, f"guess{i}")).status_code for i in range(5)]
    assert statuses == [401, 401, 401, 429, 429]
