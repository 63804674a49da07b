"""A SCIM world: two tenants; in tenant A a staff provider and two client organisations,
each with its own provider; every provider with a SCIM token. Served over real HTTP by
the session's uvicorn (`base_url`)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from tenants.provisioning import create_tenant
from tenants.registry import TenantRef
from tenants.services.audit import SYSTEM
from tenants.services.clients import create_client
from tenants.services.identity_providers import add_identity_provider
from tenants.services.scim import issue_scim_token
from tenants.services.secret_box import SecretBox
from tenants.session import tenant_session
from tests.support import unique_slug

# A test key: nothing here is ever decrypted.
BOX = SecretBox(["NSEE6U2X0iE1Q3OeC3zHLgBgQ31bDCe8GcCR8H2dgT4="])


@dataclass(frozen=True)
class ScimProvider:
    """One identity provider's SCIM endpoint, as its SCIM client is given it."""

    tenant: TenantRef
    idp_id: uuid.UUID
    client_organisation_id: uuid.UUID | None
    token: str
    base: str  # the SCIM base URL

    def headers(self) -> dict[str, str]:
        return {"authorization": f"Bearer {self.token}", "content-type": "application/scim+json"}


@dataclass(frozen=True)
class ScimWorld:
    staff: ScimProvider  # tenant A's staff provider
    globex: ScimProvider  # tenant A, client organisation Globex
    initech: ScimProvider  # tenant A, client organisation Initech
    other: ScimProvider  # tenant B's staff provider


async def add_scim_provider(
    engine: AsyncEngine, base_url: str, tenant: TenantRef, client: str | None
) -> ScimProvider:
    async with tenant_session(engine, tenant) as session:
        org = await create_client(session, actor=SYSTEM, name=client) if client else None
        idp = await add_identity_provider(
            session,
            actor=SYSTEM,
            box=BOX,
            issuer=f"https://{client or 'staff'}.idp.test/{tenant.slug}",
            client_id=f"steward-{uuid.uuid4().hex[:8]}",
            client_secret="not-used-here",
            allowed_domains=[f"{(client or 'staff').lower()}.test"],
            client_organisation_id=org.id if org else None,
            name=f"{client or 'Staff'} IdP",
        )
        issued = await issue_scim_token(session, actor=SYSTEM, identity_provider_id=idp.id)
    return ScimProvider(
        tenant,
        idp.id,
        org.id if org else None,
        issued.secret,
        f"{base_url}/scim/v2/{tenant.slug}/{idp.id}",
    )


@pytest.fixture(scope="session")
async def scim_world(engine: AsyncEngine, base_url: str) -> ScimWorld:
    a = await create_tenant(engine, slug=unique_slug("scima"), name="SCIM A")
    b = await create_tenant(engine, slug=unique_slug("scimb"), name="SCIM B")
    return ScimWorld(
        staff=await add_scim_provider(engine, base_url, a, None),
        globex=await add_scim_provider(engine, base_url, a, "Globex"),
        initech=await add_scim_provider(engine, base_url, a, "Initech"),
        other=await add_scim_provider(engine, base_url, b, None),
    )


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(timeout=30) as c:
        yield c


def new_user(domain: str = "example.com", **extra: object) -> dict[str, object]:
    name = f"u{uuid.uuid4().hex[:10]}"
    return {
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
        "userName": f"{name}@{domain}",
        "displayName": f"User {name}",
        "name": {"givenName": "Ada", "familyName": name},
        "externalId": f"ext-{name}",
        "emails": [{"value": f"{name}@{domain}", "type": "work", "primary": True}],
        "active": True,
    } | extra
