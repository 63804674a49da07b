"""Mix-up defence: an answer from another provider than the one this attempt asked.

Tenant B's provider issues a real code for tenant B's client; an attacker
replays it at tenant A's callback with a state of A's login attempt. Whatever
the `iss` response parameter says, no session results.
"""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.auth.refusals import RefusalCheck, assert_tampered_login_refused
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


# The `iss` the attacker sends along with B's code: B's issuer (honest), none, or A's
# own (forged, so only the token endpoint can tell the code is not A's).
@pytest.mark.parametrize(
    ("iss_of", "reason"),
    [
        pytest.param("other", "issuer_mismatch", id="naming_its_issuer"),
        pytest.param(None, "issuer_missing", id="without_iss"),
        pytest.param("staff", "token_exchange_failed", id="forged_iss_fails_at_token_endpoint"),
    ],
)
async def test_a_code_from_tenant_bs_provider_is_refused(
    browser: Browser, world: World, engine: AsyncEngine, iss_of: str | None, reason: str
) -> None:
    check = await RefusalCheck.start(engine, world.a.tenant)
    iss = None if iss_of is None else world.providers[iss_of].issuer
    await check.assert_refused(await _replay_b_at_a(browser, world, iss=iss), reason)


def _other_issuer(world: World) -> str:
    return world.providers["other"].issuer


# How A's own provider misbehaves on an ordinary login, and the refusal that follows.
# Knobs are built from the world, since the providers' issuers are known only at run time.
@pytest.mark.parametrize(
    ("knobs", "reason"),
    [
        pytest.param(
            lambda world: {"iss": _other_issuer(world)},
            "id_token_issuer",
            id="an_id_token_naming_tenant_bs_issuer",
        ),
        pytest.param(
            lambda world: {"iss_param": _other_issuer(world)},
            "issuer_mismatch",
            id="an_iss_response_parameter_of_another_issuer",
        ),
        pytest.param(
            lambda world: {"omit_iss": True},
            "issuer_missing",
            id="a_missing_iss_response_parameter_when_the_provider_promises_it",
        ),
        pytest.param(
            lambda world: {"error": "access_denied"},
            "idp_error",
            id="an_error_answer_from_the_provider",
        ),
    ],
)
async def test_a_misbehaving_provider_answer_is_refused(
    browser: Browser,
    world: World,
    engine: AsyncEngine,
    knobs: Callable[[World], dict[str, object]],
    reason: str,
) -> None:
    await assert_tampered_login_refused(browser, world, engine, reason, **knobs(world))
