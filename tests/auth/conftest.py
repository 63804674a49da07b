"""Login fixtures: real OpenID providers in their own processes, Steward on its own port.

Three providers run for the whole session: tenant A's staff IdP, the IdP of
tenant A's client organisation, and tenant B's staff IdP. Steward is served by
a uvicorn of its own (not the shared `base_url` one) because its redirect URIs
need STEWARD_PUBLIC_URL to name the port it listens on.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from pydantic import SecretStr
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from server.settings import Settings
from tenants.models import IdentityProvider
from tenants.provisioning import create_tenant
from tenants.services.audit import SYSTEM
from tenants.services.clients import create_client
from tenants.services.identity_providers import add_identity_provider
from tenants.services.secret_box import SecretBox
from tenants.session import tenant_session
from tests.auth.support import (
    SECRET_KEY,
    Browser,
    Provider,
    SsoTenant,
    World,
    start_provider,
)
from tests.support import free_port, serving, unique_slug


@pytest.fixture(scope="session")
async def providers() -> AsyncIterator[dict[str, Provider]]:
    names = ("staff", "client", "other")
    # Tenant B's provider offers no end_session_endpoint: its logout stays local.
    started = await asyncio.gather(
        *(start_provider(name, end_session=name != "other") for name in names)
    )
    try:
        yield dict(zip(names, started, strict=True))
    finally:
        for provider in started:
            provider.stop()


@pytest.fixture(scope="session")
def auth_port() -> int:
    return free_port()


@pytest.fixture(scope="session")
def auth_settings(settings: Settings, auth_port: int) -> Settings:
    return settings.model_copy(
        update={
            "public_url": f"http://127.0.0.1:{auth_port}",
            "secret_key": SecretStr(SECRET_KEY),
            # Small, so the rotation test need not wait long; the limiter itself is
            # tested with a fake clock in test_jwks.py.
            "jwks_min_refresh_seconds": 0.5,
        }
    )


@pytest.fixture(scope="session")
async def auth_url(
    auth_settings: Settings, auth_port: int, engine: AsyncEngine
) -> AsyncIterator[str]:
    async with serving(auth_settings, port=auth_port) as url:
        yield url


async def _add_idp(
    session: AsyncSession,
    provider: Provider,
    *,
    client_id: str,
    secret: str,
    domain: str,
    group_roles: dict[str, str],
    **options: Any,
) -> IdentityProvider:
    """`provider` as an identity provider of the session's tenant, roles from `groups`."""
    return await add_identity_provider(
        session,
        actor=SYSTEM,
        box=SecretBox([SECRET_KEY]),
        issuer=provider.issuer,
        client_id=client_id,
        client_secret=secret,
        allowed_domains=[domain],
        allow_http=True,  # the test providers are plain http on loopback
        claim_role_mapping={"claim": "groups", "values": group_roles},
        **options,
    )


async def _sso_tenant(
    engine: AsyncEngine, auth_url: str, staff: Provider, client: Provider | None, domain: str
) -> SsoTenant:
    tenant = await create_tenant(engine, slug=unique_slug("sso"), name="SSO Consultancy")
    staff_secret = f"secret-{tenant.slug}"
    async with tenant_session(engine, tenant) as session:
        staff_idp = await _add_idp(
            session,
            staff,
            client_id=f"steward-{tenant.slug}",
            secret=staff_secret,
            domain=domain,
            group_roles={"steward-admins": "admin", "consultants": "consultant"},
        )
        registrations = [(staff, staff_idp, staff_secret)]
        org = client_idp = None
        if client is not None:
            org = await create_client(session, actor=SYSTEM, name="Globex")
            client_idp = await _add_idp(
                session,
                client,
                client_id=f"steward-{tenant.slug}-globex",
                secret="globex-secret",
                domain="globex.test",
                group_roles={"ai-owners": "client_owner"},
                client_organisation_id=org.id,
            )
            registrations.append((client, client_idp, "globex-secret"))
    # Each provider learns Steward's redirect and logout URIs for the client it issued.
    auth = f"{auth_url}/auth/{tenant.slug}"
    for provider, idp, secret in registrations:
        await provider.register_client(
            idp.client_id,
            secret,
            f"{auth}/callback",
            post_logout_redirect_uri=f"{auth}/signed-out",
            backchannel_logout_uri=f"{auth}/backchannel-logout/{idp.id}",
        )
    return SsoTenant(
        tenant=tenant,
        staff_idp_id=staff_idp.id,
        client_idp_id=client_idp.id if client_idp else None,
        client_org_id=org.id if org else None,
    )


@pytest.fixture(scope="session")
async def world(engine: AsyncEngine, auth_url: str, providers: dict[str, Provider]) -> World:
    a = await _sso_tenant(
        engine, auth_url, providers["staff"], providers["client"], "consultancy.test"
    )
    b = await _sso_tenant(engine, auth_url, providers["other"], None, "other.test")
    return World(auth_url=auth_url, a=a, b=b, providers=providers)


@pytest.fixture
async def browser(world: World) -> AsyncIterator[Browser]:
    """A fresh browser (its own cookie jar); the providers forget earlier tests' knobs."""
    for provider in world.providers.values():
        await provider.control(reset=True)
    async with httpx.AsyncClient(timeout=30) as http:
        yield Browser(http, world.auth_url)


@pytest.fixture(params=["claims_in_id_token", "claims_in_userinfo"])
async def claims_mode(request: pytest.FixtureRequest, browser: Browser, world: World) -> str:
    """Run a login test twice: claims in the id token, then as OpenID Connect Core 5.4
    has it for the code flow (the id token carries only `sub`; e-mail and name come
    from UserInfo). After `browser`, whose reset would forget the knob."""
    mode: str = request.param
    if mode == "claims_in_userinfo":
        for provider in world.providers.values():
            await provider.knobs(claims_in_userinfo=True)
    return mode
