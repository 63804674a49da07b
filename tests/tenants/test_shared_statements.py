"""Tenants at one revision share prepared statements, and still see only their own rows.

A tenant session whose schema revision is known runs unqualified SQL under a
transaction-local search_path and role (tenants/session.py), so one prepared statement
on a pooled connection serves every tenant at that revision. These tests pin the two
promises of that: a connection alternating between tenants never hands one tenant's
rows (or role, or path) to another, and the number of statements a connection prepares
does not grow with the number of tenants it serves, which is what made round robin
over a thousand tenants slow (infra/SCALE_OUT.md).
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import select, text, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine

from schema import build_schema
from schema.compiled.documents import DocumentCache
from schema.compiled.runner import CompiledReads, Fallback
from schema.limits import SchemaLimits, limit_extensions
from server.settings import Settings
from tenants import models as m
from tenants.engine import make_engine
from tenants.models.audit import AuditActorKind
from tenants.principals import Principal, PrincipalKind, Role
from tenants.registry import Tenant, TenantRef, get_tenant
from tenants.services.audit import Actor
from tenants.services.clients import create_client
from tenants.session import tenant_connection, tenant_session
from tests.conftest import TenantFactory

ACTOR = Actor("shared statements test", AuditActorKind.SYSTEM)
LIST = "{ clientOrganisations(first: 5) { totalCount edges { node { name } } } }"


async def _tenants_with_a_client(
    make_tenant: TenantFactory, engine: AsyncEngine, n: int
) -> dict[str, TenantRef]:
    made = {}
    for i in range(n):
        tenant = await make_tenant()
        assert tenant.schema_revision is not None  # the shared path is the one under test
        name = f"Client of tenant {i}"
        async with tenant_session(engine, tenant) as db:
            await create_client(
                db, actor=ACTOR, name=name, engagement_status=m.EngagementStatus.ACTIVE
            )
        made[name] = tenant
    return made


async def _prepared(engine: AsyncEngine) -> int:
    async with engine.connect() as conn:
        return int(await conn.scalar(text("SELECT count(*) FROM pg_prepared_statements")) or 0)


async def _names(engine: AsyncEngine, tenant: TenantRef) -> list[str]:
    async with tenant_session(engine, tenant) as db:
        return list((await db.scalars(select(m.ClientOrganisation.name))).all())


@pytest.fixture
async def single(settings: Settings) -> AsyncIterator[AsyncEngine]:
    """One pooled connection: every transaction below runs on the same backend."""
    assert settings.database_url
    engine = make_engine(settings.database_url, pool_size=1, max_overflow=0)
    yield engine
    await engine.dispose()


async def test_tenants_alternating_on_one_connection_see_only_their_own_rows(
    engine: AsyncEngine, single: AsyncEngine, make_tenant: TenantFactory
) -> None:
    made = await _tenants_with_a_client(make_tenant, engine, 3)

    async def visit(name: str, tenant: TenantRef) -> None:
        assert await _names(single, tenant) == [name]
        async with tenant_connection(single, tenant) as conn:
            assert await conn.scalar(text("SELECT current_user")) == tenant.role_name

    await visit(*next(iter(made.items())))
    await _prepared(single)  # the count's own statement is prepared from here on
    after_one = await _prepared(single)
    for _ in range(3):
        for name, tenant in made.items():
            await visit(name, tenant)
    # Nine transactions over three tenants prepared nothing the first one had not.
    assert await _prepared(single) == after_one
    async with single.connect() as conn:  # and nothing of the last tenant is left on it
        assert await conn.scalar(text("SELECT current_user")) != tenant.role_name
        path = await conn.scalar(text("SELECT current_setting('search_path')"))
        assert tenant.schema_name not in str(path)


async def test_compiled_reads_share_statements_across_tenants(
    engine: AsyncEngine, single: AsyncEngine, make_tenant: TenantFactory
) -> None:
    made = await _tenants_with_a_client(make_tenant, engine, 3)
    schema = build_schema()
    reader = CompiledReads(schema, single)
    document = DocumentCache(schema, limit_extensions(SchemaLimits())).get(LIST)
    assert document is not None

    def principal(tenant: TenantRef) -> Principal:
        return Principal(
            kind=PrincipalKind.API_TOKEN,
            id=uuid.uuid4(),
            name="admin",
            role=Role.ADMIN,
            tenant=tenant,
        )

    async def read(tenant: TenantRef) -> bytes:
        plan = reader.plan(document, None, {}, principal(tenant))
        assert not isinstance(plan, Fallback)
        return await reader.execute(plan, principal(tenant))

    await read(next(iter(made.values())))
    await _prepared(single)
    after_one = await _prepared(single)
    for _ in range(3):
        for name, tenant in made.items():
            expected = (
                '{"data":{"clientOrganisations":{"totalCount":1,"edges":[{"node":{"name":"'
                + name
                + '"}}]}}}'
            )
            assert (await read(tenant)).decode() == expected
    assert await _prepared(single) == after_one


async def _skew(engine: AsyncEngine, tenant: TenantRef, revision: str | None) -> TenantRef:
    """Give `tenant`'s client names another type, as a migration in progress would."""
    async with engine.connect() as conn, conn.begin():
        await conn.execute(
            text(
                f'ALTER TABLE "{tenant.schema_name}".client_organisations'
                " ALTER COLUMN name TYPE text"
            )
        )
        if revision is not None:
            await conn.execute(
                update(Tenant).where(Tenant.id == tenant.id).values(schema_revision=revision)
            )
        ref = await get_tenant(conn, tenant.slug)
    assert ref is not None
    return ref


async def test_tenants_at_different_revisions_never_share_a_statement(
    engine: AsyncEngine, single: AsyncEngine, make_tenant: TenantFactory
) -> None:
    (a_name, a), (b_name, b) = (await _tenants_with_a_client(make_tenant, engine, 2)).items()
    await _names(single, b)  # prepared on the connection for B's shape
    a = await _skew(engine, a, "skewed")  # A's schema has moved on: another revision
    for _ in range(3):
        assert await _names(single, a) == [a_name]
        assert await _names(single, b) == [b_name]


async def test_the_revision_is_what_keeps_shapes_apart(
    engine: AsyncEngine, single: AsyncEngine, make_tenant: TenantFactory
) -> None:
    # The control for the test above: the same skew without a revision of its own makes
    # PostgreSQL refuse the shared statement (its result type changed), so the revision
    # in the statement text is what prevents it.
    (a_name, a), (_, b) = (await _tenants_with_a_client(make_tenant, engine, 2)).items()
    await _names(single, b)
    a = await _skew(engine, a, None)
    assert a.schema_revision == b.schema_revision
    with pytest.raises(
        DBAPIError, match=r"cached statement plan is invalid|must not change result"
    ):
        await _names(single, a)
    qualified = dataclasses.replace(a, schema_revision=None)  # own, schema-qualified SQL
    assert await _names(single, qualified) == [a_name]
