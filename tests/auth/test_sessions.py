"""Browser sessions: cookie flags, CSRF defence, renewal, logout."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncEngine

from server.auth.cookies import cookie_header, session_cookies
from tenants.registry import BrowserSession
from tenants.tokens import digest
from tests.auth.support import Browser, World, person

VIEWER = "{ viewer { kind role } }"


async def _logged_in(browser: Browser, world: World) -> httpx.Response:
    await world.providers["staff"].next_user(**person())
    response = await browser.login(world.a.tenant.slug)
    assert response.status_code == 303, response.text
    return response


def _cookie(response: httpx.Response, name: str) -> str:
    for value in response.headers.get_list("set-cookie"):
        if value.startswith(f"{name}="):
            return value
    raise AssertionError(f"no {name} cookie in {response.headers.get_list('set-cookie')}")


async def test_the_session_cookie_is_httponly_lax_and_short_lived(
    browser: Browser, world: World
) -> None:
    response = await _logged_in(browser, world)
    flags = [part.strip().lower() for part in _cookie(response, "steward_session").split(";")]
    assert "httponly" in flags and "samesite=lax" in flags and "path=/" in flags
    assert "max-age=1800" in flags  # STEWARD_SESSION_IDLE_MINUTES defaults to 30
    assert "secure" not in flags  # STEWARD_ENV=test serves plain http
    csrf_flags = _cookie(response, "steward_csrf").lower()
    assert "httponly" not in csrf_flags and "samesite=lax" in csrf_flags


async def test_the_login_binding_cookie_is_httponly_and_scoped_to_auth(
    browser: Browser, world: World
) -> None:
    await world.providers["staff"].next_user(**person())
    response = await browser.go(f"/auth/{world.a.tenant.slug}/login", stop_before_callback=True)
    login = browser.history[0]
    flags = _cookie(login, "steward_login").lower()
    assert "httponly" in flags and "path=/auth/" in flags and "max-age=600" in flags
    assert response.status_code == 302


def test_cookies_are_secure_outside_development_and_test() -> None:
    for cookie in session_cookies("sts_x", "csrf", max_age=60, secure=True):
        assert "Secure" in cookie and "SameSite=Lax" in cookie
    assert "HttpOnly" in cookie_header("steward_session", "v", max_age=1, secure=True)


async def test_a_cookie_post_without_the_csrf_header_is_refused(
    browser: Browser, world: World
) -> None:
    await _logged_in(browser, world)
    response = await browser.graphql(VIEWER, csrf=None)
    assert response.status_code == 403
    assert response.json()["errors"][0]["extensions"]["code"] == "CSRF_FAILED"


async def test_a_cookie_post_with_a_wrong_csrf_header_is_refused(
    browser: Browser, world: World
) -> None:
    await _logged_in(browser, world)
    assert (await browser.graphql(VIEWER, csrf="guessed")).status_code == 403


async def test_a_cookie_post_that_is_not_json_is_refused(browser: Browser, world: World) -> None:
    await _logged_in(browser, world)
    response = await browser.graphql(VIEWER, content_type="text/plain")
    assert response.status_code == 403


async def test_a_cookie_post_with_the_csrf_header_is_served(browser: Browser, world: World) -> None:
    await _logged_in(browser, world)
    response = await browser.graphql(VIEWER)
    assert response.json()["data"]["viewer"] == {"kind": "MEMBER", "role": "VIEWER"}


async def test_the_session_endpoint_gives_a_cross_origin_front_end_the_csrf_token(
    browser: Browser, world: World
) -> None:
    await _logged_in(browser, world)
    body = (await browser.http.get(f"{world.auth_url}/auth/session")).json()
    assert body["csrfToken"] == browser.csrf
    assert body["tenant"]["slug"] == world.a.tenant.slug and body["member"]["role"] == "VIEWER"


async def test_logout_ends_the_session_at_once(browser: Browser, world: World) -> None:
    # Tenant B's provider offers no RP-initiated logout: the logout is local, 204.
    await world.providers["other"].next_user(**person("other.test"))
    assert (await browser.login(world.b.tenant.slug)).status_code == 303
    csrf = browser.csrf
    assert csrf is not None
    cookie = browser.http.cookies.get("steward_session")
    response = await browser.http.post(
        f"{world.auth_url}/auth/logout", headers={"x-steward-csrf": csrf}
    )
    assert response.status_code == 204
    assert "steward_session=" in _cookie(response, "steward_session")
    # Even a client that keeps the old cookie is no longer signed in.
    browser.http.cookies.set("steward_session", str(cookie))
    assert (await browser.graphql(VIEWER, csrf=csrf)).status_code == 401


async def test_logout_needs_the_csrf_header(browser: Browser, world: World) -> None:
    await _logged_in(browser, world)
    response = await browser.http.post(f"{world.auth_url}/auth/logout")
    assert response.status_code == 403
    assert (await browser.graphql(VIEWER)).status_code == 200


async def test_a_used_session_is_renewed_and_an_expired_one_is_refused(
    browser: Browser, world: World, engine: AsyncEngine
) -> None:
    await _logged_in(browser, world)
    mine = BrowserSession.token_hash == digest(str(browser.http.cookies.get("steward_session")))
    past = datetime.now(UTC) - timedelta(minutes=5)
    async with engine.begin() as conn:
        await conn.execute(update(BrowserSession).where(mine).values(last_seen_at=past))
    renewed = await browser.graphql(VIEWER)
    assert renewed.status_code == 200
    assert "max-age=" in _cookie(renewed, "steward_session").lower()
    async with engine.begin() as conn:
        await conn.execute(update(BrowserSession).where(mine).values(expires_at=past))
    expired = await browser.graphql(VIEWER)
    assert expired.status_code == 401
    assert "max-age=0" in _cookie(expired, "steward_session").lower()


async def test_a_bearer_token_needs_no_csrf_header_and_outranks_a_cookie(
    browser: Browser, world: World, make_token: object
) -> None:
    await _logged_in(browser, world)
    token = await make_token(world.a.tenant, role="consultant")  # type: ignore[operator]
    response = await browser.http.post(
        f"{world.auth_url}/graphql",
        json={"query": VIEWER},
        headers={"authorization": f"Bearer {token}"},
    )
    assert response.json()["data"]["viewer"] == {"kind": "API_TOKEN", "role": "CONSULTANT"}


async def test_logging_in_over_a_stale_session_cookie_keeps_the_new_session(
    browser: Browser, world: World
) -> None:
    browser.http.cookies.set("steward_session", "sts_long-expired-or-revoked")
    await _logged_in(browser, world)
    assert (await browser.graphql(VIEWER)).status_code == 200
