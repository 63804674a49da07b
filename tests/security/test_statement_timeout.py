"""A query that would run past the statement timeout ends with a clear TIMEOUT error."""

from __future__ import annotations

import time

import httpx
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from server.settings import Settings
from tests.conftest import TenantFactory, TokenFactory
from tests.support import gql, serving

LIST = "{ clientOrganisations { totalCount } }"


async def test_a_query_blocked_past_the_statement_timeout_fails_fast_and_clearly(
    settings: Settings, engine: AsyncEngine, make_tenant: TenantFactory, make_token: TokenFactory
) -> None:
    tenant = await make_tenant()
    token = await make_token(tenant, "viewer")
    quick = settings.model_copy(update={"statement_timeout_ms": 300})
    async with serving(quick) as url, httpx.AsyncClient(base_url=url, timeout=30) as client:
        assert "errors" not in await gql(client, LIST, token=token)
        # Another session holds a lock the query needs, for longer than the timeout.
        async with engine.connect() as blocker, blocker.begin():
            table = f'"{tenant.schema_name}".client_organisations'
            await blocker.execute(text(f"LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE"))
            started = time.perf_counter()
            body = await gql(client, LIST, token=token)
            elapsed = time.perf_counter() - started
        error = body["errors"][0]
        assert error["extensions"]["code"] == "TIMEOUT"
        assert "statement timeout" in error["message"]
        assert "client_organisations" not in str(body) and "LOCK" not in str(body)
        assert elapsed < 5
        # The pool recovers: the next query works once the lock is gone.
        assert "errors" not in await gql(client, LIST, token=token)
