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
from tests.wire import counter_for, through_proxy

VIEWER = {"query": "{ viewer { name } }"}


def _limited(settings: Settings, **limits: object) -> Settings:
    """`settings` with `limits`, and a queue name of their own, which keys the counters:
    no other test's requests count against them."""
    return settings.model_copy(update={"queue_name": f"rl:{uuid.uuid4().hex}", **limits})


def _tight(settings: Settings, **update: object) -> Settings:
    return _limited(settings, rate_limit_per_address=3, **update)


async def _viewer(client: httpx.AsyncClient, token: str) -> httpx.Response:
    return await client.post("/graphql", json=VIEWER, headers={"authorization": f"Bearer {token}"})


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
    tight = _limited(settings, rate_limit_per_principal=5)
    async with serving(tight) as url, httpx.AsyncClient(base_url=url) as client:
        statuses = [(await _viewer(client, noisy)).status_code for _ in range(7)]
        assert statuses == [200] * 5 + [429] * 2
        limited = await _viewer(client, noisy)
        assert limited.status_code == 429
        assert 1 <= int(limited.headers["retry-after"]) <= 61
        assert limited.json()["errors"][0]["extensions"]["code"] == "RATE_LIMITED"
        assert (await _viewer(client, quiet)).status_code == 200


async def test_the_login_routes_are_limited_per_client_address(settings: Settings) -> None:
    async with serving(_tight(settings)) as url, httpx.AsyncClient(base_url=url) as client:
        statuses = [(await client.get("/auth/nosuchtenant/login")).status_code for _ in range(5)]
    assert statuses[3:] == [429, 429]
    assert 429 not in statuses[:3]


async def test_unauthenticated_guessing_is_limited_per_address(settings: Settings) -> None:
    async with serving(_tight(settings)) as url, httpx.AsyncClient(base_url=url) as client:
        statuses = [(await _viewer(client, f"stw_guess{i}")).status_code for i in range(5)]
    assert statuses == [401, 401, 401, 429, 429]


async def _logins(client: httpx.AsyncClient, forwarded_for: str, n: int) -> list[int]:
    headers = {"x-forwarded-for": forwarded_for}
    return [
        (await client.get("/auth/nosuchtenant/login", headers=headers)).status_code
        for _ in range(n)
    ]


async def test_a_flood_of_bogus_tokens_is_refused_before_any_database_lookup(
    settings: Settings,
) -> None:
    assert settings.database_url
    async with counter_for(settings.database_url) as wire:
        counted = _tight(settings, database_url=through_proxy(settings.database_url, wire.port))
        async with serving(counted) as url, httpx.AsyncClient(base_url=url) as client:

            async def guess(i: int) -> int:
                return (await _viewer(client, f"stw_guess{i}")).status_code

            assert [await guess(i) for i in range(3)] == [401] * 3
            looked_up = len(wire.tally.statements)
            assert looked_up >= 3  # each of those cost a token lookup
            assert [await guess(i) for i in range(3, 23)] == [429] * 20
            assert wire.tally.statements[looked_up:] == []


async def test_authenticated_requests_spend_their_principal_budget_not_the_address(
    settings: Settings, token: str
) -> None:
    async with serving(_tight(settings)) as url, httpx.AsyncClient(base_url=url) as client:
        statuses = [(await _viewer(client, token)).status_code for _ in range(6)]
        assert statuses == [200] * 6
        assert (await client.post("/graphql", json=VIEWER)).status_code != 429


async def test_behind_a_trusted_proxy_each_client_address_has_its_own_budget(
    settings: Settings,
) -> None:
    trusted = _tight(settings, trusted_proxies="127.0.0.1, 10.0.0.0/8")
    async with serving(trusted) as url, httpx.AsyncClient(base_url=url) as client:
        assert (await _logins(client, "203.0.113.5", 5))[3:] == [429, 429]
        # Another client behind the same proxy is not refused for the first one's flood.
        assert 429 not in await _logins(client, "203.0.113.6", 3)
        # Through two trusted hops the client is still the right-most untrusted address.
        assert 429 not in await _logins(client, "203.0.113.7, 10.1.2.3", 3)
        assert await _logins(client, "203.0.113.7, 10.1.2.3", 1) == [429]
        # Entries left of it are the client's own words: prepending one changes nothing.
        assert await _logins(client, "198.51.100.9, 203.0.113.5", 1) == [429]


async def test_an_untrusted_forwarder_cannot_choose_its_address(settings: Settings) -> None:
    # The test client connects from 127.0.0.1, which is not among the trusted proxies.
    untrusted = _tight(settings, trusted_proxies="10.0.0.0/8")
    async with serving(untrusted) as url, httpx.AsyncClient(base_url=url) as client:
        statuses = [(await _logins(client, f"203.0.113.{i}", 1))[0] for i in range(1, 6)]
    assert statuses[3:] == [429, 429]


async def test_by_default_no_forwarder_is_trusted(settings: Settings) -> None:
    async with serving(_tight(settings)) as url, httpx.AsyncClient(base_url=url) as client:
        statuses = [(await _logins(client, f"203.0.113.{i}", 1))[0] for i in range(1, 6)]
    assert statuses[3:] == [429, 429]
