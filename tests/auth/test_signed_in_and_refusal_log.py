"""After login: the landing page, global ids, GraphiQL's CSRF header, and refusals in the log."""

from __future__ import annotations

import base64

import httpx
import pytest
from pydantic import ValidationError
from structlog.testing import capture_logs

from schema import build_schema
from server.auth.graphiql_page import GraphiQLPageChangedError, with_steward_csrf
from server.auth.signed_in_page import landing_path
from server.graphql_app import StewardGraphQL
from server.settings import Settings
from tests.auth.support import Browser, World, person, sign_in

VIEWER = "{ viewer { kind role } }"


def _decoded(global_id: str) -> str:
    return base64.b64decode(global_id).decode()


async def test_a_login_without_next_lands_on_the_signed_in_page_not_a_404(
    browser: Browser, world: World
) -> None:
    user = person()
    await world.providers["staff"].next_user(**user)
    response = await browser.login(world.a.tenant.slug)
    assert response.status_code == 303, response.text
    assert response.headers["location"] == f"/auth/{world.a.tenant.slug}/signed-in"
    page = await browser.http.get(f"{world.auth_url}{response.headers['location']}")
    assert page.status_code == 200
    assert f"Signed in as {user['name']}" in page.text
    assert page.headers["cache-control"] == "no-store"


async def test_the_signed_in_page_without_a_session_offers_the_login(
    world: World,
) -> None:
    async with httpx.AsyncClient() as http:
        page = await http.get(f"{world.auth_url}/auth/{world.a.tenant.slug}/signed-in")
    assert page.status_code == 200
    assert f'href="/auth/{world.a.tenant.slug}/login"' in page.text


async def test_the_session_endpoint_gives_the_member_as_a_global_id(
    browser: Browser, world: World
) -> None:
    await sign_in(browser, world)
    body = (await browser.http.get(f"{world.auth_url}/auth/session")).json()
    kind, _, raw = _decoded(body["member"]["id"]).partition(":")
    assert kind == "Member" and len(raw) == 36


async def test_graphiql_sends_the_header_and_cookie_the_csrf_check_reads(
    browser: Browser, world: World
) -> None:
    # The page as served in development must read steward_csrf into X-Steward-CSRF.
    ide = StewardGraphQL(build_schema(), development=True)
    html = await ide.render_graphql_ide(None)  # type: ignore[arg-type]
    text = bytes(html.body).decode()
    assert 'Cookies.get("steward_csrf")' in text and 'defaultHeaders["x-steward-csrf"]' in text
    assert "csrftoken" not in text
    # What GraphiQL then sends, a signed-in session accepts (and refuses without it).
    await sign_in(browser, world)
    assert (await browser.graphql(VIEWER)).status_code == 200
    assert (await browser.graphql(VIEWER, csrf=None)).status_code == 403


def test_a_changed_graphiql_page_fails_loudly() -> None:
    try:
        with_steward_csrf("<html>no csrf here</html>")
    except GraphiQLPageChangedError:
        return
    raise AssertionError("a page without the CSRF lines was accepted")


async def test_every_refusal_is_one_log_event_with_reason_tenant_and_provider_only(
    browser: Browser, world: World
) -> None:
    # Signed in at the provider as someone outside the tenant's domains: refused at callback.
    user = person(domain="elsewhere.test")
    await world.providers["staff"].next_user(**user)
    with capture_logs() as logs:
        refused = await browser.login(world.a.tenant.slug)
        unknown = await browser.go("/auth/no_such_tenant/login")
    assert refused.status_code >= 400 and unknown.status_code >= 400
    events = [e for e in logs if e["event"] == "login.refused"]
    assert [e["stage"] for e in events] == ["callback", "lookup"]
    at_callback, at_lookup = events
    assert at_callback["tenant"] == world.a.tenant.slug
    assert at_callback["reason"] == refused.json()["errors"][0]["extensions"]["reason"]
    assert at_callback["identity_provider_id"] is not None
    assert at_callback["email_domain"] == "elsewhere.test"
    assert at_lookup == {
        "event": "login.refused",
        "log_level": "warning",
        "reason": "tenant_unknown",
        "stage": "lookup",
        "status": unknown.status_code,
        "tenant": None,
        "identity_provider_id": None,
        "email_domain": None,
    }
    # Nothing personal beyond the domain, no secret: not the address, name, sub or any code.
    flat = repr(events)
    for secret in (user["email"], user["name"], user["sub"], "code=", "state="):
        assert secret not in flat


def test_without_next_the_front_end_url_wins_over_the_signed_in_page() -> None:
    assert landing_path("acme", "/", "https://app.example.com/") == "https://app.example.com/"
    assert landing_path("acme", "/", None) == "/auth/acme/signed-in"
    # An explicit `next` (already checked to be a same-origin path) always wins.
    assert landing_path("acme", "/app/clients", "https://app.example.com/") == "/app/clients"


def test_the_front_end_url_setting_must_be_an_http_url() -> None:
    dev = {"STEWARD_ENV": "development"}
    assert Settings(**dev, STEWARD_FRONTEND_URL="").frontend_url is None  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="STEWARD_FRONTEND_URL"):
        Settings(**dev, STEWARD_FRONTEND_URL="javascript:alert(1)")  # type: ignore[arg-type]
