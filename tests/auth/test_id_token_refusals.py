"""A callback whose id token fails any check creates no session (OIDC Core 3.1.3.7)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.auth.refusals import assert_tampered_login_refused
from tests.auth.support import Browser, World, person

# knobs of the test provider (tests/oidc_provider/tampering.py) -> expected reason
BAD_TOKENS: dict[str, tuple[dict[str, Any], str]] = {
    "wrong_nonce": ({"nonce": "not-the-nonce-we-sent"}, "nonce_mismatch"),
    "wrong_iss": ({"iss": "https://evil.example"}, "id_token_issuer"),
    "wrong_aud": ({"aud": "some-other-client"}, "id_token_audience"),
    "expired": ({"expired": True}, "id_token_expired"),
    "issued_in_the_future": ({"iat_offset": 3600}, "id_token_iat"),
    "alg_none": ({"alg": "none"}, "algorithm_not_allowed"),
    "hs256_with_the_public_key": ({"alg": "HS256-public-key"}, "algorithm_not_allowed"),
    "unknown_kid": ({"unknown_kid": True}, "signing_key_unknown"),
    "forged_signature": ({"forged_signature": True}, "signature_invalid"),
    "no_nonce": ({"drop_claims": ["nonce"]}, "nonce_mismatch"),
    "no_sub": ({"drop_claims": ["sub"]}, "claims_invalid"),
}


@pytest.mark.parametrize("case", list(BAD_TOKENS))
async def test_a_bad_id_token_is_refused(
    case: str, browser: Browser, world: World, engine: AsyncEngine
) -> None:
    knobs, reason = BAD_TOKENS[case]
    await assert_tampered_login_refused(browser, world, engine, reason, status=400, **knobs)


async def test_several_audiences_without_our_client_as_azp_are_refused(
    browser: Browser, world: World, engine: AsyncEngine
) -> None:
    audiences = [f"steward-{world.a.tenant.slug}", "another-app"]
    await assert_tampered_login_refused(browser, world, engine, "id_token_azp", aud=audiences)


async def test_several_audiences_with_our_client_as_azp_are_accepted(
    browser: Browser, world: World
) -> None:
    client_id = f"steward-{world.a.tenant.slug}"
    staff = world.providers["staff"]
    await staff.next_user(**person())
    await staff.knobs(aud=[client_id, "another-app"], azp=client_id)
    assert (await browser.login(world.a.tenant.slug)).status_code == 303


async def test_an_azp_naming_another_party_is_refused(
    browser: Browser, world: World, engine: AsyncEngine
) -> None:
    await assert_tampered_login_refused(browser, world, engine, "id_token_azp", azp="another-app")
