"""The callback accepts only the state of a login this browser started here, once."""

from __future__ import annotations

import httpx
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.auth.refusals import RefusalCheck, assert_callback_refused
from tests.auth.support import Browser, World, callback_params, person


async def _to_callback(browser: Browser, world: World, provider: str = "staff") -> str:
    """Start a login and return the callback URL the provider sent the browser to."""
    await world.providers[provider].next_user(**person())
    tenant = world.a if provider != "other" else world.b
    response = await browser.go(f"/auth/{tenant.tenant.slug}/login", stop_before_callback=True)
    assert response.status_code == 302, response.text
    location: str = response.headers["location"]
    return location


async def test_a_callback_without_state_is_refused(
    browser: Browser, world: World, engine: AsyncEngine
) -> None:
    await assert_callback_refused(browser, world, engine, "code=abc", "state_missing", status=400)


async def test_a_replayed_state_is_refused(
    browser: Browser, world: World, engine: AsyncEngine
) -> None:
    callback = await _to_callback(browser, world)
    assert (await browser.go(callback)).status_code == 303
    check = await RefusalCheck.start(engine, world.a.tenant)
    await check.assert_refused(await browser.go(callback), "state_replayed")


async def test_a_state_from_another_browser_is_refused(
    browser: Browser, world: World, engine: AsyncEngine, auth_url: str
) -> None:
    callback = await _to_callback(browser, world)
    check = await RefusalCheck.start(engine, world.a.tenant)
    async with httpx.AsyncClient() as other_http:
        response = await Browser(other_http, auth_url).go(callback)
    await check.assert_refused(response, "browser_mismatch")
    # ...and it is burnt: the right browser cannot use it afterwards either.
    await check.assert_refused(await browser.go(callback), "state_replayed")


async def test_a_state_of_another_tenant_is_unknown_here(
    browser: Browser, world: World, engine: AsyncEngine
) -> None:
    callback_b = await _to_callback(browser, world, provider="other")
    params = callback_params(_fake_redirect(callback_b))
    query = str(httpx.QueryParams(params))
    await assert_callback_refused(browser, world, engine, query, "state_unknown")


async def test_a_made_up_state_is_unknown(
    browser: Browser, world: World, engine: AsyncEngine
) -> None:
    await assert_callback_refused(browser, world, engine, "state=guess&code=x", "state_unknown")


async def test_a_repeated_state_parameter_is_refused(
    browser: Browser, world: World, engine: AsyncEngine
) -> None:
    callback = await _to_callback(browser, world)
    check = await RefusalCheck.start(engine, world.a.tenant)
    response = await browser.http.get(callback + "&state=other")
    await check.assert_refused(response, "state_unknown")


def _fake_redirect(location: str) -> httpx.Response:
    return httpx.Response(302, headers={"location": location})
