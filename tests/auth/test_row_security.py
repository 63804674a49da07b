"""Row-level security on the shared credential tables: a tenant role sees only its rows.

Hand-written SQL inside tenant A's transaction, the kind a bug in query
building would produce, still sees none of tenant B's tokens or sessions, cannot
write rows for B, and cannot read any digest.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine

from tenants.registry import TenantRef
from tenants.session import tenant_connection
from tenants.tokens import issue_token
from tests.conftest import TenantFactory
from tests.support import assert_tenant_refused


async def _tenant_with_credentials(engine: AsyncEngine, make_tenant: TenantFactory) -> TenantRef:
    tenant = await make_tenant()
    async with engine.begin() as conn:
        await issue_token(conn, tenant=tenant, role="admin", name="t")
        await conn.execute(
            text(
                "INSERT INTO public.browser_sessions (id, tenant_id, tenant_role, member_id,"
                " member_name, token_hash, csrf_hash, role, expires_at) VALUES (:id, :tenant,"
                " :role, :member, 'm', :hash, 'c', 'viewer', :expires)"
            ),
            {
                "id": uuid.uuid4(),
                "tenant": tenant.id,
                "role": tenant.role_name,
                "member": uuid.uuid4(),
                "hash": uuid.uuid4().hex,
                "expires": datetime.now(UTC) + timedelta(hours=1),
            },
        )
    return tenant


async def test_a_tenant_role_sees_zero_rows_of_another_tenants_tokens_and_sessions(
    engine: AsyncEngine, make_tenant: TenantFactory
) -> None:
    a = await _tenant_with_credentials(engine, make_tenant)
    b = await _tenant_with_credentials(engine, make_tenant)
    async with tenant_connection(engine, a) as conn:
        for table in ("api_tokens", "browser_sessions"):
            tenants = set(
                await conn.scalars(text(f"SELECT DISTINCT tenant_id FROM public.{table}"))
            )
            assert tenants == {a.id}
            of_b = await conn.scalar(
                text(f"SELECT count(*) FROM public.{table} WHERE tenant_id = :b"), {"b": b.id}
            )
            assert of_b == 0
        revoked = await conn.execute(
            text("UPDATE public.api_tokens SET revoked_at = now() WHERE tenant_id = :b"),
            {"b": b.id},
        )
        assert revoked.rowcount == 0  # type: ignore[attr-defined]


async def test_a_tenant_role_cannot_write_a_row_for_another_tenant(
    engine: AsyncEngine, make_tenant: TenantFactory
) -> None:
    a, b = await make_tenant(), await make_tenant()
    with pytest.raises(DBAPIError, match="row-level security"):
        async with tenant_connection(engine, a) as conn:
            await issue_token(conn, tenant=b, role="admin", name="forged for b")


async def test_a_tenant_role_issues_and_lists_its_own_tokens(
    engine: AsyncEngine, make_tenant: TenantFactory
) -> None:
    a = await make_tenant()
    async with tenant_connection(engine, a) as conn:
        await issue_token(conn, tenant=a, role="viewer", name="own")
        names = list(await conn.scalars(text("SELECT name FROM public.api_tokens")))
    assert names == ["own"]


@pytest.mark.parametrize(
    "column, table",
    [
        ("token_hash", "api_tokens"),
        ("token_hash", "browser_sessions"),
        ("csrf_hash", "browser_sessions"),
    ],
)
async def test_a_tenant_role_cannot_read_digests_even_of_its_own_rows(
    column: str, table: str, engine: AsyncEngine, make_tenant: TenantFactory
) -> None:
    a = await _tenant_with_credentials(engine, make_tenant)
    await assert_tenant_refused(engine, a, f"SELECT {column} FROM public.{table}")


async def test_a_tenant_role_cannot_reach_the_tenant_registry(
    engine: AsyncEngine, make_tenant: TenantFactory
) -> None:
    a = await make_tenant()
    await assert_tenant_refused(engine, a, "SELECT slug FROM public.tenants")
