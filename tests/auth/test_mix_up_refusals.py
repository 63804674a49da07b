"""Mix-up defence: an answer from another provider than the one this attempt asked.

Tenant B's provider issues a real code for tenant B's client; an attacker
replays it at tenant A's callback with a state of A's login attempt. Whatever
the `iss` response parameter says, no session results.
"""

from __future__ import annotations

import httpx
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.auth.refusals import RefusalCheck
from tests.auth.support import Browser, World, callback_params, person


async def _callback_of(browser: Browser, world: World, slug: str, provider: str) -> dict[str, str]:
    await world.providers[provider].next_user(**person())
    response = await browser.go(f"/auth/{slug}/login", stop_before_callback=True)
    return callback_params(response)


async def _replay_b_at_a(browser: Browser, world: World, *, iss: str | None) -> httpx.Response:
    b_params = await _callback_of(browser, world, world.b.tenant.slug, "other")
    a_params = await _callback_of(browser, world, world.a.tenant.slug, "staff")
    forged = {"state": a_params["state"], "code": b_params["code"]}
    if iss is not None:
        forged["iss"] = iss
    return await browser.go(f"/auth/{world.a.tenant.slug}/callback?{httpx.QueryParams(forged)}")


async def test_a_code_from_tenant_bs_provider_naming_its_issuer_is_refused(
    browser: Browser, world: World, engine: AsyncEngine
) -> None:
    check = await RefusalCheck.start(engine, world.a.tenant)
    response = await _replay_b_at_a(browser, world, iss=world.providers["other"].issuer)
    await check.assert_refused(response, "issuer_mismatch")


async def test_a_code_from_tenant_bs_provider_without_iss_is_refused(
    browser: Browser, world: World, engine: AsyncEngine
) -> None:
    check = await RefusalCheck.start(engine, world.a.tenant)
    await check.assert_refused(await _replay_b_at_a(browser, world, iss=None), "issuer_missing")


async def test_a_code_from_tenant_bs_provider_with_a_forged_iss_fails_at_the_token_endpoint(
    browser: Browser, world: World, engine: AsyncEngine
) -> None:
    check = await RefusalCheck.start(engine, world.a.tenant)
    response = await _replay_b_at_a(browser, world, iss=world.providers["staff"].issuer)
    await check.assert_refused(response, "token_exchange_failed")


async def test_an_id_token_naming_tenant_bs_issuer_is_refused(
    browser: Browser, world: World, engine: AsyncEngine
) -> None:
    staff = world.providers["staff"]
    await staff.next_user(**person())
    await staff.knobs(iss=world.providers["other"].issuer)
    check = await RefusalCheck.start(engine, world.a.tenant)
    await check.assert_refused(await browser.login(world.a.tenant.slug), "id_token_issuer")


async def test_an_iss_response_parameter_of_another_issuer_is_refused(
    browser: Browser, world: World, engine: AsyncEngine
) -> None:
    staff = world.providers["staff"]
    await staff.next_user(**person())
    await staff.knobs(iss_param=world.providers["other"].issuer)
    check = await RefusalCheck.start(engine, world.a.tenant)
    await check.assert_refused(await browser.login(world.a.tenant.slug), "issuer_mismatch")


async def test_a_missing_iss_response_parameter_is_refused_when_the_provider_promises_it(
    browser: Browser, world: World, engine: AsyncEngine
) -> None:
    staff = world.providers["staff"]
    await staff.next_user(**person())
    await staff.knobs(omit_iss=True)
    check = await RefusalCheck.start(engine, world.a.tenant)
    await check.assert_refused(await browser.login(world.a.tenant.slug), "issuer_missing")


async def test_an_error_answer_from_the_provider_is_refused(
    browser: Browser, world: World, engine: AsyncEngine
) -> None:
    staff = world.providers["staff"]
    await staff.next_user(**person())
    await staff.knobs(error="access_denied")
    check = await RefusalCheck.start(engine, world.a.tenant)
    await check.assert_refused(await browser.login(world.a.tenant.slug), "idp_error")
