"""API token services run inside the tenant transaction (what the GraphQL mutations call)."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from tenants.errors import DomainError
from tenants.principals import Role
from tenants.services.api_tokens import create_api_token, list_api_tokens, revoke_api_token
from tenants.services.audit import SYSTEM
from tenants.session import tenant_session
from tenants.tokens import resolve_token
from tests.conftest import TenantFactory


async def test_a_token_is_issued_listed_without_secrets_and_revoked(
    engine: AsyncEngine, make_tenant: TenantFactory
) -> None:
    tenant = await make_tenant()
    expires = datetime.now(UTC) + timedelta(days=30)
    async with tenant_session(engine, tenant) as session:
        issued = await create_api_token(
            session,
            actor=SYSTEM,
            tenant=tenant,
            name="reporting",
            role=Role.VIEWER,
            scopes=["reports:read"],
            expires_at=expires,
        )
        [view] = await list_api_tokens(session, tenant=tenant)
    fields = {f.name for f in dataclasses.fields(view)}
    assert "secret" not in fields and "token_hash" not in fields
    assert view.scopes == ("reports:read",) and view.expires_at == expires
    async with engine.connect() as conn:
        assert await resolve_token(conn, issued.secret) is not None
    async with tenant_session(engine, tenant) as session:
        revoked = await revoke_api_token(session, actor=SYSTEM, tenant=tenant, token_id=issued.id)
    assert revoked.revoked_at is not None
    async with engine.connect() as conn:
        assert await resolve_token(conn, issued.secret) is None


async def test_invalid_token_requests_are_collected(
    engine: AsyncEngine, make_tenant: TenantFactory
) -> None:
    tenant = await make_tenant()
    with pytest.raises(DomainError) as error:
        async with tenant_session(engine, tenant) as session:
            await create_api_token(
                session,
                actor=SYSTEM,
                tenant=tenant,
                name=" ",
                role=Role.CLIENT_VIEWER,
                scopes=["Not A Scope"],
                expires_at=datetime.now(UTC) - timedelta(days=1),
            )
    assert {e.field for e in error.value.errors} == {
        "name",
        "scopes[0]",
        "expiresAt",
        "clientOrganisationId",
    }


async def test_another_tenants_token_cannot_be_revoked(
    engine: AsyncEngine, make_tenant: TenantFactory
) -> None:
    a, b = await make_tenant(), await make_tenant()
    async with tenant_session(engine, b) as session:
        issued = await create_api_token(
            session, actor=SYSTEM, tenant=b, name="b's", role=Role.ADMIN
        )
    with pytest.raises(DomainError) as error:
        async with tenant_session(engine, a) as session:
            await revoke_api_token(session, actor=SYSTEM, tenant=a, token_id=issued.id)
    assert error.value.errors[0].code == "NOT_FOUND"
