"""Helpers the suites share: GraphQL over real HTTP, unique names, statement counting."""

from __future__ import annotations

import asyncio
import os
import socket
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from typing import TYPE_CHECKING, Any

import httpx
import pytest
import uvicorn
from sqlalchemy import event, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from server.settings import Settings
from tenants.slugs import quote_ident

if TYPE_CHECKING:
    from tenants.registry import TenantRef

LOCAL_POSTGRES = "postgresql://postgres@127.0.0.1:5432/postgres"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@asynccontextmanager
async def serving_app(app: Any, *, port: int | None = None) -> AsyncIterator[str]:
    """Any ASGI app on a real uvicorn on a loopback port (free unless given); yields its URL."""
    port = port or free_port()
    # proxy_headers off as in server/serving.py: the app alone reads X-Forwarded-For.
    config = uvicorn.Config(
        app,
        host="127.0.0.1",
        port=port,
        log_config=None,
        lifespan="on",
        server_header=False,
        proxy_headers=False,
    )
    server = uvicorn.Server(config)
    server.install_signal_handlers = lambda: None  # type: ignore[method-assign]
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()
        await asyncio.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task


@asynccontextmanager
async def serving(settings: Settings, *, port: int | None = None) -> AsyncIterator[str]:
    """Steward for `settings`, served as by `serving_app`."""
    from server.app import create_app

    async with serving_app(create_app(settings), port=port) as url:
        yield url


@asynccontextmanager
async def scratch_database(prefix: str, server_url: str | None = None) -> AsyncIterator[str]:
    """A new database on `server_url`'s server (DATABASE_URL, else the local one).

    At exit the database is dropped whole, then the roles of the tenants registered in it
    (roles are cluster-wide and would outlive it). Dropping each tenant as `steward tenants
    drop` does would also drop every schema one by one first: that was most of a full
    run's last half minute, for schemas the database drop removes anyway.
    """
    raw = server_url or os.environ.get("DATABASE_URL") or LOCAL_POSTGRES
    if raw.startswith(("postgresql://", "postgres://")):
        raw = "postgresql+asyncpg://" + raw.split("://", 1)[1]
    base = make_url(raw)
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    admin = create_async_engine(base, isolation_level="AUTOCOMMIT")
    async with admin.connect() as conn:
        await conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = base.set(database=name).render_as_string(hide_password=False)
    try:
        yield url
    finally:
        roles: list[str] = []
        try:
            roles = await registered_roles(url)
        finally:
            async with admin.connect() as conn:
                await conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
                # Owning nothing once their database is gone, they drop without REASSIGN.
                for role in roles:
                    await conn.execute(text(f"DROP ROLE IF EXISTS {quote_ident(role)}"))
            await admin.dispose()


async def registered_tenants(engine: AsyncEngine) -> list[TenantRef]:
    """Every tenant registered in `engine`'s database (none before the registry exists)."""
    from tenants.registry import list_tenants

    async with engine.connect() as conn:
        registry = await conn.scalar(text("SELECT to_regclass('public.tenants')"))
        return await list_tenants(conn) if registry else []


async def registered_roles(url: str) -> list[str]:
    """The role of every tenant registered in `url`'s database."""
    engine = create_async_engine(url)
    try:
        return [tenant.role_name for tenant in await registered_tenants(engine)]
    finally:
        await engine.dispose()


async def drop_registered_tenants(url: str) -> None:
    """Drop every tenant registered in `url`'s database: their roles would outlive it."""
    from tenants.engine import make_engine
    from tenants.provisioning import drop_tenant

    engine = make_engine(url)
    try:
        for tenant in await registered_tenants(engine):
            await drop_tenant(engine, slug=tenant.slug)
    finally:
        await engine.dispose()


def unique_slug(prefix: str = "t") -> str:
    return f"{prefix}{uuid.uuid4().hex[:10]}"


async def gql(
    client: httpx.AsyncClient,
    query: str,
    variables: dict[str, Any] | None = None,
    *,
    token: str | None,
    expect_status: int = 200,
) -> dict[str, Any]:
    """POST a GraphQL operation; asserts the HTTP status and returns the JSON body."""
    headers = {"content-type": "application/json"}
    if token is not None:
        headers["authorization"] = f"Bearer {token}"
    response = await client.post(
        "/graphql", json={"query": query, "variables": variables or {}}, headers=headers
    )
    assert response.status_code == expect_status, response.text
    body: dict[str, Any] = response.json()
    return body


async def post_raw(client: httpx.AsyncClient, content: Any, *, token: str) -> httpx.Response:
    """POST `content` (bytes, text or an async stream) to /graphql as it is, as JSON with a
    bearer token: for the bodies `gql` would not send (not an operation, malformed, huge)."""
    headers = {"authorization": f"Bearer {token}", "content-type": "application/json"}
    return await client.post("/graphql", content=content, headers=headers)


def data(body: dict[str, Any]) -> dict[str, Any]:
    """The `data` of a response that must have no errors."""
    assert "errors" not in body or not body["errors"], body.get("errors")
    result: dict[str, Any] = body["data"]
    return result


class StatementCounter:
    def __init__(self) -> None:
        self.statements: list[str] = []

    @property
    def count(self) -> int:
        return len(self.statements)


@contextmanager
def count_statements(engine: AsyncEngine | None = None) -> Iterator[StatementCounter]:
    """Counts the SQL statements sent while the block runs, by `engine` or by any engine.

    Without an engine it listens on the Engine class: the app served by the
    in-process uvicorn has its own engine, which a test never holds.
    """
    counter = StatementCounter()
    target: Any = engine.sync_engine if engine is not None else Engine

    def before(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        counter.statements.append(statement)

    event.listen(target, "before_cursor_execute", before)
    try:
        yield counter
    finally:
        event.remove(target, "before_cursor_execute", before)


async def assert_tenant_refused(
    engine: AsyncEngine, tenant: Any, statement: str, match: str = "permission denied"
) -> None:
    """`statement`, run on a connection bound to `tenant` (its role), fails in PostgreSQL
    with an error matching `match`: the database itself keeps the tenant out."""
    from tenants.session import tenant_connection

    with pytest.raises(DBAPIError, match=match):
        async with tenant_connection(engine, tenant) as conn:
            await conn.execute(text(statement))


async def race_uncommitted(
    engine: AsyncEngine,
    tenant: Any,
    first: Callable[[Any], Awaitable[Any]],
    second: Callable[[Any], Awaitable[Any]],
) -> tuple[Any, Any]:
    """Run `second` while `first`'s writes are flushed but not yet committed.

    Each gets a tenant session of its own. `first` runs, its transaction stays open
    half a second (time for `second` to reach the rows it reads or waits on), then
    commits. This makes a check-then-write race happen every time, not by luck.
    Returns what `first` returned, and what `second` returned or the DomainError it
    raised.
    """
    from tenants.errors import DomainError
    from tenants.session import tenant_session

    async def run_second() -> Any:
        try:
            async with tenant_session(engine, tenant) as two:
                return await second(two)
        except DomainError as exc:
            return exc

    async with tenant_session(engine, tenant) as one:
        held = await first(one)
        racing = asyncio.create_task(run_second())
        await asyncio.sleep(0.5)
    return held, await asyncio.wait_for(racing, 10)


async def add_active_admins(engine: AsyncEngine, tenant: Any, count: int = 2) -> list[uuid.UUID]:
    """Active admin members, as their first logins would have left them; their ids."""
    from tenants.models import Member, MemberStatus
    from tenants.principals import Role
    from tenants.session import tenant_session

    async with tenant_session(engine, tenant) as s:
        admins = [
            Member(
                email=f"admin{i}@consultancy.example",
                role=Role.ADMIN,
                status=MemberStatus.ACTIVE,
                issuer="https://idp.test",
                subject=f"admin-{i}",
            )
            for i in range(1, count + 1)
        ]
        s.add_all(admins)
    return [a.id for a in admins]
