"""A provider that rotates its signing key keeps working: the new kid triggers a re-fetch."""

from __future__ import annotations

import asyncio

from tests.auth.support import Browser, World, person, sign_in


async def test_a_rotated_signing_key_is_picked_up(browser: Browser, world: World) -> None:
    staff = world.providers["staff"]
    await sign_in(browser, world)
    old_kid = (await staff.control())["kid"]
    rotated = await staff.control(rotate_key=True)
    assert rotated["kid"] != old_kid
    # The suite's server re-fetches at most every 0.5 s (STEWARD_JWKS_MIN_REFRESH_SECONDS).
    await asyncio.sleep(0.6)
    await staff.next_user(**person())
    browser.http.cookies.clear()
    response = await browser.login(world.a.tenant.slug)
    assert response.status_code == 303, response.text
    assert (await staff.control())["jwks_requests"] == rotated["jwks_requests"] + 1


async def test_a_known_key_is_served_from_the_cache(browser: Browser, world: World) -> None:
    staff = world.providers["staff"]
    await staff.next_user(**person())
    await browser.login(world.a.tenant.slug)
    fetched = (await staff.control())["jwks_requests"]
    await staff.next_user(**person())
    browser.http.cookies.clear()
    assert (await browser.login(world.a.tenant.slug)).status_code == 303
    assert (await staff.control())["jwks_requests"] == fetched
