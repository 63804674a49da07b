"""GraphQL over bearer tokens for the login suites (the browser's own calls use Browser),
and the members and tokens those calls act as."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from tenants.models import Member
from tenants.principals import Role
from tenants.registry import TenantRef
from tenants.services.api_tokens import create_api_token
from tenants.services.audit import SYSTEM
from tenants.session import tenant_session
from tests.auth.support import Browser, World, sign_in


async def token(
    engine: AsyncEngine,
    tenant: TenantRef,
    role: Role,
    member_id: uuid.UUID | None = None,
    *,
    name: str = "t",
) -> str:
    """The secret of a new API token; with `member_id`, one that member holds."""
    async with tenant_session(engine, tenant) as session:
        issued = await create_api_token(
            session, actor=SYSTEM, tenant=tenant, name=name, role=role, member_id=member_id
        )
    return issued.secret


async def bearer_gql(
    url: str, secret: str, query: str, variables: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The response body of one operation; asserts HTTP 200."""
    async with httpx.AsyncClient() as http:
        response = await http.post(
            f"{url}/graphql",
            json={"query": query, "variables": variables or {}},
            headers={"authorization": f"Bearer {secret}"},
        )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def member_by_email(engine: AsyncEngine, tenant: TenantRef, email: str) -> Member:
    async with tenant_session(engine, tenant) as session:
        member = await session.scalar(select(Member).where(Member.email == email))
    assert member is not None
    return member


async def login_member(browser: Browser, world: World, engine: AsyncEngine) -> Member:
    """A new person signed in to tenant A through its staff provider: the member it made."""
    user = await sign_in(browser, world)
    return await member_by_email(engine, world.a.tenant, user["email"])
