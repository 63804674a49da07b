"""`Authorization: Bearer` resolves tenant and role; the tenant comes from the token only."""

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from tenants.errors import DomainError
from tenants.services.api_tokens import revoke_api_token
from tenants.services.audit import SYSTEM
from tenants.session import tenant_session
from tenants.tokens import issue_token
from tests.conftest import TenantFactory, TokenFactory
from tests.support import data, gql

VIEWER = "{ viewer { name role kind tenant { slug name } } }"


async def test_a_valid_token_resolves_its_tenant_and_role(
    client: httpx.AsyncClient, make_tenant: TenantFactory, make_token: TokenFactory
) -> None:
    tenant = await make_tenant(name="Acme Advisory")
    token = await make_token(tenant, role="consultant")
    viewer = data(await gql(client, VIEWER, token=token))["viewer"]
    assert viewer["role"] == "CONSULTANT"
    assert viewer["kind"] == "API_TOKEN"
    assert viewer["tenant"] == {"slug": tenant.slug, "name": "Acme Advisory"}


async def test_no_credentials_get_401_with_a_json_error(client: httpx.AsyncClient) -> None:
    response = await client.post("/graphql", json={"query": VIEWER})
    assert response.status_code == 401
    assert response.headers["content-type"].startswith("application/json")
    assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_an_unknown_token_gets_401(client: httpx.AsyncClient) -> None:
    body = await gql(client, VIEWER, token="stw_not-a-real-token", expect_status=401)
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_a_non_bearer_scheme_gets_401(client: httpx.AsyncClient, token: str) -> None:
    response = await client.post(
        "/graphql", json={"query": VIEWER}, headers={"authorization": f"Basic {token}"}
    )
    assert response.status_code == 401


async def test_a_revoked_token_gets_401_at_once(
    client: httpx.AsyncClient, engine: AsyncEngine, make_tenant: TenantFactory
) -> None:
    tenant = await make_tenant()
    async with engine.connect() as conn, conn.begin():
        issued = await issue_token(conn, tenant=tenant, role="admin", name="to revoke")
    data(await gql(client, VIEWER, token=issued.secret))
    async with tenant_session(engine, tenant) as session:
        await revoke_api_token(session, actor=SYSTEM, tenant=tenant, token_id=issued.id)
    await gql(client, VIEWER, token=issued.secret, expect_status=401)


async def test_a_token_cannot_be_revoked_through_another_tenant(
    engine: AsyncEngine, make_tenant: TenantFactory
) -> None:
    a, b = await make_tenant(), await make_tenant()
    async with engine.connect() as conn, conn.begin():
        issued = await issue_token(conn, tenant=a, role="admin", name="a's")
    with pytest.raises(DomainError) as refused:
        async with tenant_session(engine, b) as session:
            await revoke_api_token(session, actor=SYSTEM, tenant=b, token_id=issued.id)
    assert [e.code.value for e in refused.value.errors] == ["NOT_FOUND"]


async def test_another_tenants_token_sees_only_its_own_tenant_whatever_the_headers_say(
    client: httpx.AsyncClient, make_tenant: TenantFactory, make_token: TokenFactory
) -> None:
    a, b = await make_tenant(), await make_tenant()
    token_b = await make_token(b)
    response = await client.post(
        "/graphql",
        json={"query": VIEWER},
        headers={
            "authorization": f"Bearer {token_b}",
            "x-tenant": a.slug,
            "host": f"{a.slug}.example",
        },
    )
    assert response.json()["data"]["viewer"]["tenant"]["slug"] == b.slug
