"""Rate limits per principal and per client address, backed by Redis: 429 with Retry-After."""

from __future__ import annotations

import asyncio
import time
import uuid

import httpx
import pytest

from server.middleware.rate_limit import WINDOW_S
from server.settings import Settings
from tests.conftest import TenantFactory, TokenFactory
from tests.support import serving

VIEWER = {"query": "{ viewer { name } }"}


@pytest.fixture(autouse=True)
async def _away_from_a_window_boundary() -> None:
    """Counters reset each minute; start a burst with time to spare before the next one."""
    remaining = WINDOW_S - time.time() % WINDOW_S
    if remaining < 5:
        await asyncio.sleep(remaining + 0.1)


async def test_a_principal_over_its_limit_gets_429_and_others_do_not(
    settings: Settings, make_tenant: TenantFactory, make_token: TokenFactory
) -> None:
    tenant = await make_tenant()
    noisy, quiet = await make_token(tenant), await make_token(tenant)
    tight = settings.model_copy(
        update={"rate_limit_per_principal": 5, "queue_name": f"rl:{uuid.uuid4().hex}"}
    )
    async with serving(tight) as url, httpx.AsyncClient(base_url=url) as client:
        statuses = [
            (
                await client.post(
                    "/graphql", json=VIEWER, headers={"authorization": f"Bearer {noisy}"}
                )
            ).status_code
            for _ in range(7)
        ]
        assert statuses == [200] * 5 + [429] * 2
        limited = await client.post(
            "/graphql", json=VIEWER, headers={"authorization": f"Bearer {noisy}"}
        )
        assert limited.status_code == 429
        assert 1 <= int(limited.headers["retry-after"]) <= 61
        assert limited.json()["errors"][0]["extensions"]["code"] == "RATE_LIMITED"
        other = await client.post(
            "/graphql", json=VIEWER, headers={"authorization": f"Bearer {quiet}"}
        )
        assert other.status_code == 200


async def test_the_login_routes_are_limited_per_client_address(settings: Settings) -> None:
    tight = settings.model_copy(
        update={"rate_limit_per_address": 3, "queue_name": f"rl:{uuid.uuid4().hex}"}
    )
    async with serving(tight) as url, httpx.AsyncClient(base_url=url) as client:
        statuses = [(await client.get("/auth/nosuchtenant/login")).status_code for _ in range(5)]
    assert statuses[3:] == [429, 429]
    assert 429 not in statuses[:3]


async def test_unauthenticated_guessing_is_limited_per_address(settings: Settings) -> None:
    tight = settings.model_copy(
        update={"rate_limit_per_address": 3, "queue_name": f"rl:{uuid.uuid4().hex}"}
    )
    async with serving(tight) as url, httpx.AsyncClient(base_url=url) as client:
        statuses = [
            (
                await client.post(
                    "/graphql", json=VIEWER, headers={"authorization": f"Bearer stw_guess{i}"}
                )
            ).status_code
            for i in range(5)
        ]
    assert statuses == [401, 401, 401, 429, 429]
