"""The claim mapping per provider: which claim is the e-mail and the name, and whether
`email_verified` is required; real logins, in both claim modes (id token / UserInfo)."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from server.auth.claims import ClaimMapping, identity_from
from tenants.models import Member
from tenants.provisioning import create_tenant
from tenants.registry import TenantRef
from tenants.services.audit import SYSTEM
from tenants.services.identity_providers import add_identity_provider
from tenants.services.secret_box import SecretBox
from tenants.session import tenant_session
from tests.auth.refusals import assert_login_refused
from tests.auth.support import SECRET_KEY, Browser, World, person
from tests.support import unique_slug

pytestmark = pytest.mark.usefixtures("claims_mode")


async def _entra_like_tenant(engine: AsyncEngine, world: World) -> TenantRef:
    """A tenant whose staff provider maps the e-mail from preferred_username, no
    email_verified required (as Entra ID must be configured)."""
    provider = world.providers["other"]
    tenant = await create_tenant(engine, slug=unique_slug("entra"), name="Entra-like")
    async with tenant_session(engine, tenant) as session:
        idp = await add_identity_provider(
            session,
            actor=SYSTEM,
            box=SecretBox([SECRET_KEY]),
            issuer=provider.issuer,
            client_id=f"steward-{tenant.slug}",
            client_secret="entra-secret",
            allowed_domains=["entra.test"],
            allow_http=True,
            email_claim="preferred_username",
            name_claim="given_name",
            require_email_verified=False,
        )
    redirect = f"{world.auth_url}/auth/{tenant.slug}/callback"
    await provider.register_client(idp.client_id, "entra-secret", redirect)
    return tenant


async def test_a_mapped_email_claim_without_email_verified_signs_in(
    browser: Browser, world: World, engine: AsyncEngine
) -> None:
    tenant = await _entra_like_tenant(engine, world)
    upn = f"u{uuid.uuid4().hex[:8]}@entra.test"
    sub = f"sub-{uuid.uuid4().hex[:8]}"
    await world.providers["other"].next_user(sub=sub, preferred_username=upn, given_name="Ada")
    response = await browser.login(tenant.slug, next_path="/app")
    assert response.status_code == 303, response.text
    async with tenant_session(engine, tenant) as session:
        member = await session.scalar(select(Member).where(Member.email == upn))
    assert member is not None and member.display_name == "Ada"


async def test_by_default_a_missing_email_verified_is_refused(
    browser: Browser, world: World, engine: AsyncEngine
) -> None:
    user = person()
    del user["email_verified"]
    await world.providers["staff"].next_user(**user)
    await assert_login_refused(browser, world, engine, "email_unverified", status=403)


def test_the_mapping_reads_the_named_claims() -> None:
    claims = {"iss": "https://i", "sub": "s", "upn": " a@b.test ", "display": "A", "email": "x"}
    identity = identity_from(claims, ClaimMapping(email_claim="upn", name_claim="display"))
    assert (identity.email, identity.name) == ("a@b.test", "A")
