"""Refusals before the browser is sent to a provider: next, tenant, provider, discovery."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from tenants.provisioning import create_tenant
from tenants.services.audit import SYSTEM
from tenants.services.identity_providers import add_identity_provider
from tenants.services.secret_box import SecretBox
from tenants.session import tenant_session
from tests.auth.refusals import RefusalCheck, assert_login_refused
from tests.auth.support import (
    SECRET_KEY,
    Browser,
    Provider,
    World,
    person,
    refusal_reason,
    start_provider,
)
from tests.support import unique_slug

OPEN_REDIRECTS = [
    "//evil.example/",
    "https://evil.example/",
    "/\\evil.example",
    "\\\\evil.example",
    "/%2F%2Fevil.example",
    "/%5Cevil.example",
    "/ok\r\nLocation: https://evil.example",
    "/ok%0d%0aSet-Cookie:x=y",
    "javascript:alert(1)",
    "evil.example/path",
    "/\tevil",
]


@pytest.mark.parametrize("next_path", OPEN_REDIRECTS)
async def test_an_open_redirect_next_is_refused_before_the_provider_is_asked(
    next_path: str, browser: Browser, world: World, engine: AsyncEngine
) -> None:
    check = await RefusalCheck.start(engine, world.a.tenant)
    response = await browser.http.get(
        f"{world.auth_url}/auth/{world.a.tenant.slug}/login",
        params={"next": next_path},
        headers={"accept": "application/json"},
    )
    await check.assert_refused(response, "invalid_next", status=400)


async def test_a_refusal_page_is_html_for_a_browser(browser: Browser, world: World) -> None:
    response = await browser.http.get(
        f"{world.auth_url}/auth/{world.a.tenant.slug}/login",
        params={"next": "//evil.example"},
        headers={"accept": "text/html,application/xhtml+xml"},
    )
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("text/html")
    assert "invalid_next" in response.text and "<script" not in response.text


async def test_an_unknown_tenant_is_404(browser: Browser, world: World) -> None:
    response = await browser.go("/auth/nosuchtenant/login")
    assert response.status_code == 404 and refusal_reason(response) == "tenant_unknown"


async def test_an_unknown_identity_provider_is_refused(
    browser: Browser, world: World, engine: AsyncEngine
) -> None:
    unknown = uuid.uuid4()
    await assert_login_refused(browser, world, engine, "idp_unknown", idp_id=unknown, status=404)


async def test_another_tenants_identity_provider_is_unknown_here(
    browser: Browser, world: World
) -> None:
    response = await browser.go(f"/auth/{world.a.tenant.slug}/login?idp={world.b.staff_idp_id}")
    assert refusal_reason(response) == "idp_unknown"


@pytest.fixture
async def liar() -> AsyncIterator[Provider]:
    """A provider whose discovery document names another issuer than its own."""
    provider = await start_provider("liar")
    try:
        yield provider
    finally:
        provider.stop()


async def test_a_discovery_document_for_another_issuer_is_not_used(
    liar: Provider, engine: AsyncEngine, auth_url: str
) -> None:
    tenant = await create_tenant(engine, slug=unique_slug("liar"), name="Liar's client")
    async with tenant_session(engine, tenant) as session:
        await add_identity_provider(
            session,
            actor=SYSTEM,
            box=SecretBox([SECRET_KEY]),
            issuer=liar.issuer,
            client_id="steward",
            client_secret="secret",
            allowed_domains=["liar.test"],
            allow_http=True,  # the test provider is plain http on loopback
        )
    await liar.register_client("steward", "secret", f"{auth_url}/auth/{tenant.slug}/callback")
    await liar.next_user(**person("liar.test"))
    await liar.knobs(discovery_issuer="https://accounts.example")
    async with httpx.AsyncClient() as http:
        response = await Browser(http, auth_url).login(tenant.slug)
    assert response.status_code == 502 and refusal_reason(response) == "discovery_failed"
