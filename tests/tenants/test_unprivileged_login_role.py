"""Steward on the login role a production deployment should give it: not a superuser.

The rest of the suite connects as the server's superuser. Here the application logs in
as a role with only LOGIN, CREATEROLE and NOINHERIT that owns its database, provisions
tenants, serves GraphQL, and still cannot read a tenant's tables without SET ROLE.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import httpx
import pytest
from sqlalchemy import make_url, select, text
from sqlalchemy.exc import ProgrammingError
from sqlalchemy.ext.asyncio import create_async_engine

from server.settings import Settings
from tenants.engine import make_engine
from tenants.fleet import migrate_all, migrate_shared
from tenants.migrate import TENANT, downgrade_tenant, head_of
from tenants.provisioning import create_tenant, drop_tenant
from tenants.registry import Tenant
from tenants.slugs import quote_ident
from tenants.tokens import issue_token
from tests.support import data, drop_registered_tenants, gql, serving, unique_slug

CREATE = """
mutation($name: String!) {
  createClientOrganisation(input: {name: $name}) { clientOrganisation { id } errors { code } }
}"""
COUNT = "{ clientOrganisations { totalCount } }"


@pytest.fixture
async def unprivileged_url(settings: Settings) -> AsyncIterator[str]:
    """A database owned by a fresh LOGIN CREATEROLE NOINHERIT role; its URL logs in as it."""
    assert settings.database_url
    suffix = uuid.uuid4().hex[:8]
    role, database = f"steward_app_{suffix}", f"steward_unpriv_{suffix}"
    admin_url = make_url(settings.database_url).set(drivername="postgresql+asyncpg")
    admin = create_async_engine(admin_url, isolation_level="AUTOCOMMIT")
    async with admin.connect() as conn:
        await conn.execute(
            text(f"CREATE ROLE {quote_ident(role)} LOGIN NOSUPERUSER CREATEROLE NOINHERIT")
        )
        await conn.execute(text(f"CREATE DATABASE {quote_ident(database)} OWNER {role}"))
    url = admin_url.set(username=role, password=None, database=database).render_as_string(
        hide_password=False
    )
    # On PostgreSQL 15+ `public` belongs to pg_database_owner, whose rights a NOINHERIT
    # role does not inherit: the deployment hands the schema over (README, Operating).
    setup = create_async_engine(admin_url.set(database=database), isolation_level="AUTOCOMMIT")
    async with setup.connect() as conn:
        await conn.execute(text(f"ALTER SCHEMA public OWNER TO {role}"))
    await setup.dispose()
    try:
        yield url
    finally:
        try:
            await drop_registered_tenants(url)
        finally:
            async with admin.connect() as conn:
                await conn.execute(text(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)"))
                await conn.execute(text(f"DROP ROLE IF EXISTS {role}"))
            await admin.dispose()


@pytest.mark.timeout(120)
async def test_a_non_superuser_login_role_provisions_serves_and_stays_isolated(
    settings: Settings, unprivileged_url: str
) -> None:
    engine = make_engine(unprivileged_url)
    try:
        async with engine.connect() as conn:
            assert await conn.scalar(text("SHOW is_superuser")) == "off"
        await migrate_shared(engine)
        a = await create_tenant(engine, slug=unique_slug("ua"), name="A")
        b = await create_tenant(engine, slug=unique_slug("ub"), name="B")
        # `steward tenants migrate` as this role: take A back one revision, then the
        # fleet (one child process per tenant) brings both to head again.
        async with engine.connect() as conn, conn.begin():
            await downgrade_tenant(conn, a, "-1")
        outcomes = await migrate_all(engine, concurrency=2)
        assert sorted((o.tenant, o.ok, o.error) for o in outcomes) == sorted(
            [(a.slug, True, None), (b.slug, True, None)]
        )
        async with engine.connect() as conn:
            revisions = dict(
                (await conn.execute(select(Tenant.slug, Tenant.schema_revision))).all()
            )
        assert revisions == {a.slug: head_of(TENANT), b.slug: head_of(TENANT)}

        async with engine.connect() as conn, conn.begin():
            token_a = (await issue_token(conn, tenant=a, role="admin", name="a")).secret
            token_b = (await issue_token(conn, tenant=b, role="admin", name="b")).secret

        local = settings.model_copy(update={"database_url": unprivileged_url})
        async with serving(local) as base, httpx.AsyncClient(base_url=base, timeout=30) as client:
            assert (await client.get("/readyz")).status_code == 200
            created = data(await gql(client, CREATE, {"name": "Northwind"}, token=token_a))
            assert created["createClientOrganisation"]["errors"] == []
            counts = [
                data(await gql(client, COUNT, token=t))["clientOrganisations"]["totalCount"]
                for t in (token_a, token_b)
            ]
            assert counts == [1, 0]

        # The login role is a member of each tenant role but inherits nothing: without
        # SET ROLE even schema-qualified SQL is refused.
        with pytest.raises(ProgrammingError, match="permission denied"):
            async with engine.connect() as conn:
                await conn.execute(
                    text(f"SELECT count(*) FROM {quote_ident(a.schema_name)}.client_organisations")
                )
        for tenant in (a, b):
            await drop_tenant(engine, slug=tenant.slug)
        async with engine.connect() as conn:
            left = await conn.scalar(
                text("SELECT count(*) FROM pg_roles WHERE rolname IN (:a, :b)").bindparams(
                    a=a.role_name, b=b.role_name
                )
            )
        assert left == 0
    finally:
        await engine.dispose()
