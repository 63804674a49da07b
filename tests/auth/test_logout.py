"""Logout that ends the whole sign-in, against the real provider process: RP-initiated
logout (end_session_endpoint) and OpenID Back-Channel Logout 1.0."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from tenants.models import AuditEvent
from tenants.registry import BrowserSession
from tenants.session import tenant_session
from tests.auth.graphql_support import member_by_email
from tests.auth.support import Browser, World, person, sign_in

VIEWER = "{ viewer { role } }"


async def _login(browser: Browser, world: World, **claims: Any) -> dict[str, Any]:
    return await sign_in(browser, world, person(**claims))


async def _sid(world: World, user: dict[str, Any]) -> str:
    sessions = (await world.providers["staff"].control())["sessions"]
    return [sid for sid, (_, sub) in sessions.items() if sub == user["sub"]][-1]


async def _logout(browser: Browser, *, accept: str) -> httpx.Response:
    assert browser.csrf is not None
    return await browser.http.post(
        f"{browser.base}/auth/logout", headers={"x-steward-csrf": browser.csrf, "accept": accept}
    )


async def test_logout_sends_the_browser_to_the_providers_end_session_and_back(
    browser: Browser, world: World
) -> None:
    user = await _login(browser, world)
    sid = await _sid(world, user)
    response = await _logout(browser, accept="application/json")
    assert response.status_code == 200 and response.headers["cache-control"] == "no-store"
    url = response.json()["redirectTo"]
    assert url.startswith(f"{world.providers['staff'].issuer}/end_session?")
    query = {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}
    signed_out = f"{world.auth_url}/auth/{world.a.tenant.slug}/signed-out"
    assert query["post_logout_redirect_uri"] == signed_out
    assert query["client_id"] == f"steward-{world.a.tenant.slug}"
    assert query["id_token_hint"].count(".") == 2 and len(query["state"]) >= 32
    assert (await browser.graphql(VIEWER)).status_code == 401  # ended before the provider
    back = await browser.http.get(url)  # the provider checks the hint and the return address
    assert back.status_code == 302
    assert back.headers["location"] == f"{signed_out}?state={query['state']}"
    page = await browser.http.get(back.headers["location"])
    assert page.status_code == 200 and "and of your identity provider" in page.text
    logouts = (await world.providers["staff"].control())["logouts"]
    assert [entry["sid"] for entry in logouts if entry["sub"] == user["sub"]] == [sid]


async def _stored_id_tokens(engine: AsyncEngine, member_id: object) -> list[str | None]:
    async with engine.connect() as conn:
        rows = await conn.scalars(
            select(BrowserSession.id_token_encrypted).where(BrowserSession.member_id == member_id)
        )
        return list(rows)


async def test_a_form_logout_is_a_303_and_the_id_token_is_used_once(
    browser: Browser, world: World, engine: AsyncEngine
) -> None:
    user = await _login(browser, world)
    member = await member_by_email(engine, world.a.tenant, user["email"])
    [stored] = await _stored_id_tokens(engine, member.id)
    assert stored is not None and not stored.startswith("eyJ")  # encrypted, not the JWT
    response = await _logout(browser, accept="text/html")
    assert response.status_code == 303
    location = response.headers["location"]
    assert location.startswith(f"{world.providers['staff'].issuer}/end_session?")
    assert await _stored_id_tokens(engine, member.id) == [None]  # forgotten once used


async def test_the_signed_out_page_does_not_claim_a_provider_logout_without_the_state(
    browser: Browser, world: World
) -> None:
    page = await browser.http.get(
        f"{world.auth_url}/auth/{world.a.tenant.slug}/signed-out?state=made-up"
    )
    assert page.status_code == 200
    assert "signed out of Steward." in page.text and "identity provider" not in page.text


async def _backchannel(world: World, **options: Any) -> dict[str, Any]:
    client_id = f"steward-{world.a.tenant.slug}"
    return await world.providers["staff"].backchannel_logout(client_id=client_id, **options)


async def test_a_back_channel_logout_ends_that_sign_in_at_once(
    browser: Browser, world: World, engine: AsyncEngine
) -> None:
    user = await _login(browser, world)
    async with httpx.AsyncClient() as other_http:  # the same person, another sign-in
        other = Browser(other_http, world.auth_url)
        await sign_in(other, world, user)
        sid = (await world.providers["staff"].control())["sessions"]
        first_sid = next(s for s, (_, sub) in sid.items() if sub == user["sub"])
        sent = await _backchannel(world, sid=first_sid)
        assert sent["status"] == 200, sent
        assert sent["cache_control"] == "no-store"
        assert (await browser.graphql(VIEWER)).status_code == 401
        assert (await other.graphql(VIEWER)).status_code == 200  # another sid: stays
    member = await member_by_email(engine, world.a.tenant, user["email"])
    async with tenant_session(engine, world.a.tenant) as session:
        event = await session.scalar(
            select(AuditEvent).where(
                AuditEvent.action == "backchannel_logout", AuditEvent.object_id == member.id
            )
        )
    assert event is not None and event.actor_kind == "identity_provider"


async def test_a_back_channel_logout_by_sub_ends_all_of_that_providers_sessions(
    browser: Browser, world: World
) -> None:
    user = await _login(browser, world)
    sent = await _backchannel(world, sub=user["sub"])
    assert sent["status"] == 200, sent
    assert (await browser.graphql(VIEWER)).status_code == 401


async def test_a_replayed_logout_token_is_refused(browser: Browser, world: World) -> None:
    await _login(browser, world)
    first = await _backchannel(world)
    assert first["status"] == 200
    again = await _backchannel(world, token=first["token"])
    assert again["status"] == 400 and again["cache_control"] == "no-store"
    assert "already used" in again["body"]


async def _refused(browser: Browser, world: World, **options: Any) -> str:
    await _login(browser, world)
    sent = await _backchannel(world, **options)
    assert sent["status"] == 400, sent
    assert sent["cache_control"] == "no-store"
    assert (await browser.graphql(VIEWER)).status_code == 200  # nothing ended
    body: str = sent["body"]
    return body


async def test_a_logout_token_for_another_audience_is_refused(
    browser: Browser, world: World
) -> None:
    assert "aud" in await _refused(browser, world, claims={"aud": "someone-else"})


async def test_a_forged_logout_token_is_refused(browser: Browser, world: World) -> None:
    assert "signature" in await _refused(browser, world, forged_signature=True)


async def test_a_logout_token_from_another_issuer_is_refused(
    browser: Browser, world: World
) -> None:
    other = world.providers["other"].issuer
    assert "iss" in await _refused(browser, world, claims={"iss": other})


async def test_a_logout_token_with_a_nonce_is_refused(browser: Browser, world: World) -> None:
    assert "nonce" in await _refused(browser, world, claims={"nonce": "n"})


async def test_a_logout_token_without_the_logout_event_is_refused(
    browser: Browser, world: World
) -> None:
    assert "events" in await _refused(browser, world, claims={"events": {"other": {}}})


async def test_a_logout_token_naming_no_one_is_refused(browser: Browser, world: World) -> None:
    assert "neither" in await _refused(browser, world, drop=["sid", "sub"])


async def test_a_logout_token_without_jti_or_exp_is_refused(browser: Browser, world: World) -> None:
    assert "jti" in await _refused(browser, world, drop=["jti"])
    assert "exp" in await _refused(browser, world, drop=["exp"])


async def test_a_stale_logout_token_is_refused(browser: Browser, world: World) -> None:
    import time

    old = int(time.time()) - 3600
    assert "iat" in await _refused(browser, world, claims={"iat": old, "exp": old + 7200})


async def test_the_endpoint_refuses_what_is_not_a_logout_request(world: World) -> None:
    url = f"{world.auth_url}/auth/{world.a.tenant.slug}/backchannel-logout/{world.a.staff_idp_id}"
    async with httpx.AsyncClient() as http:
        as_json = await http.post(url, json={"logout_token": "x"})
        empty = await http.post(url, data={})
        garbage = await http.post(url, data={"logout_token": "not.a.jwt"})
        unknown = await http.post(
            f"{world.auth_url}/auth/{world.a.tenant.slug}/backchannel-logout/"
            "00000000-0000-0000-0000-000000000001",
            data={"logout_token": "x.y.z"},
        )
        # Tenant B's provider does not exist in tenant A: exactly like an unknown one.
        foreign = await http.post(
            f"{world.auth_url}/auth/{world.a.tenant.slug}/backchannel-logout/{world.b.staff_idp_id}",
            data={"logout_token": "x.y.z"},
        )
    assert foreign.json() == unknown.json()
    for response in (as_json, empty, garbage, unknown, foreign):
        assert response.status_code == 400, response.text
        assert response.headers["cache-control"] == "no-store"
        assert response.json()["error"] == "invalid_request"
