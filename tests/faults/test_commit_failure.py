"""A transaction that fails at COMMIT: the client is told, nothing is kept, nothing leaks.

The resolver has already built a success payload when the commit fails, so this is the
one failure that could be reported as a success. Each case plants a real deferred
constraint trigger that fires inside PostgreSQL's COMMIT: one raises an error, the other
terminates its own backend (the connection dies mid-commit, as in a database restart).
"""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.requests import Request
from starlette.responses import Response

from schema import build_schema
from schema.context import Context
from tenants import models as m
from tenants.engine import make_engine
from tenants.principals import Principal, PrincipalKind, Role
from tenants.registry import TenantRef
from tenants.session import tenant_session
from tenants.slugs import quote_ident
from tests.conftest import TenantFactory, TokenFactory
from tests.support import free_port, gql

CREATE = """
mutation($name: String!) {
  createClientOrganisation(input: {name: $name}) {
    clientOrganisation { id name }
    errors { code }
  }
}"""

FAILING_AT_COMMIT = {
    # An integrity failure only COMMIT can see; the message must never reach the client.
    "error": "RAISE EXCEPTION 'secret_table_name violated at commit' USING ERRCODE = '23514';",
    # The connection dies during COMMIT, as when the server restarts at that moment.
    "disconnect": "PERFORM pg_terminate_backend(pg_backend_pid()); PERFORM pg_sleep(5);",
}


async def plant_commit_trigger(engine: AsyncEngine, tenant: TenantRef, body: str) -> None:
    schema = quote_ident(tenant.schema_name)
    async with engine.begin() as conn:
        # SECURITY DEFINER: the function runs as the test's superuser, so it may
        # terminate the (tenant role's) backend; the tenant role could not.
        await conn.execute(
            text(
                f"CREATE FUNCTION {schema}.fail_at_commit() RETURNS trigger "
                f"LANGUAGE plpgsql SECURITY DEFINER AS $$ BEGIN {body} RETURN NULL; END $$"
            )
        )
        await conn.execute(
            text(
                f"CREATE CONSTRAINT TRIGGER fail_at_commit AFTER INSERT "
                f"ON {schema}.client_organisations DEFERRABLE INITIALLY DEFERRED "
                f"FOR EACH ROW EXECUTE FUNCTION {schema}.fail_at_commit()"
            )
        )


async def remove_commit_trigger(engine: AsyncEngine, tenant: TenantRef) -> None:
    schema = quote_ident(tenant.schema_name)
    async with engine.begin() as conn:
        await conn.execute(text(f"DROP TRIGGER fail_at_commit ON {schema}.client_organisations"))


async def stored(engine: AsyncEngine, tenant: TenantRef) -> tuple[int, int]:
    async with tenant_session(engine, tenant) as s:
        clients = await s.scalar(select(func.count()).select_from(m.ClientOrganisation))
        audits = await s.scalar(select(func.count()).select_from(m.AuditEvent))
    return clients or 0, audits or 0


@pytest.mark.parametrize(
    ("failure", "status", "code"),
    [("error", 200, "INTERNAL_SERVER_ERROR"), ("disconnect", 503, "SERVICE_UNAVAILABLE")],
)
async def test_a_commit_that_fails_is_reported_as_a_failure_and_keeps_nothing(
    client: httpx.AsyncClient,
    engine: AsyncEngine,
    make_tenant: TenantFactory,
    make_token: TokenFactory,
    failure: str,
    status: int,
    code: str,
) -> None:
    tenant = await make_tenant()
    token = await make_token(tenant)
    before = await stored(engine, tenant)
    await plant_commit_trigger(engine, tenant, FAILING_AT_COMMIT[failure])

    body: dict[str, Any] = await gql(
        client, CREATE, {"name": "Lost at commit"}, token=token, expect_status=status
    )

    # No success payload survives a failed commit, and the error is the masked one.
    assert body["data"] is None, body
    assert [e["extensions"]["code"] for e in body["errors"]] == [code], body
    assert "secret_table_name" not in str(body)
    if failure == "error":
        assert body["errors"][0]["extensions"]["errorId"]
    assert await stored(engine, tenant) == before

    # The pool recovers by itself: the next write, with the trigger gone, goes through.
    await remove_commit_trigger(engine, tenant)
    ok = await gql(client, CREATE, {"name": "Kept"}, token=token)
    assert ok["data"]["createClientOrganisation"]["clientOrganisation"]["name"] == "Kept"
    assert await stored(engine, tenant) == (before[0] + 1, before[1] + 1)


async def test_a_session_that_cannot_connect_is_a_503_and_no_resolver_runs(
    make_tenant: TenantFactory,
) -> None:
    # Authentication succeeded (the principal exists) but the database went away before
    # the operation's own connection: a real refused connection on a port nobody serves.
    tenant = await make_tenant()
    principal = Principal(
        kind=PrincipalKind.API_TOKEN, id=uuid.uuid4(), name="t", role=Role.ADMIN, tenant=tenant
    )
    engine = make_engine(f"postgresql+asyncpg://postgres@127.0.0.1:{free_port()}/postgres")
    response = Response()
    context = Context(
        request=Request({"type": "http", "method": "POST", "headers": []}),
        response=response,
        principal=principal,
        engine=engine,
        redis=None,
    )
    try:
        result = await build_schema().execute(
            CREATE, variable_values={"name": "Never"}, context_value=context
        )
    finally:
        await engine.dispose()
    assert result.data is None
    assert result.errors is not None
    assert [e.extensions.get("code") if e.extensions else None for e in result.errors] == [
        "SERVICE_UNAVAILABLE"
    ]
    assert response.status_code == 503 and response.headers["retry-after"] == "2"
