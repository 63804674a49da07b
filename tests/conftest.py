"""Real PostgreSQL and Redis for every suite.

With DATABASE_URL / REDIS_URL set the suite uses those servers, otherwise it
starts the embedded ones (as `steward demo` does). Either way the run gets a
fresh database of its own and its own arq queue name, and drops both at the end.
"""

from __future__ import annotations

import json
import os
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import ExitStack
from pathlib import Path

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from server.embedded import embedded_services
from server.settings import Settings
from tenants.engine import make_engine
from tenants.fleet import migrate_shared
from tenants.provisioning import create_tenant
from tenants.registry import TenantRef
from tenants.tokens import issue_token
from tests.support import scratch_database, serving, unique_slug

RUN_ID = uuid.uuid4().hex[:8]


@pytest.fixture(scope="session")
def service_urls(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    with ExitStack() as stack:
        database_url = os.environ.get("DATABASE_URL") or None
        redis_url = os.environ.get("REDIS_URL") or None
        if database_url is None or redis_url is None:
            data_dir = Path(
                os.environ.get("STEWARD_TEST_DATA_DIR") or tmp_path_factory.mktemp("embedded")
            )
            database_url, redis_url = stack.enter_context(
                embedded_services(data_dir, database_url=database_url, redis_url=redis_url)
            )
        yield database_url, redis_url


@pytest.fixture(scope="session")
async def database_url(service_urls: tuple[str, str]) -> AsyncIterator[str]:
    async with scratch_database(f"steward_test_{RUN_ID}", service_urls[0]) as url:
        yield url


# Every query operation the suite sends runs on both read paths (server/compiled_reads.py);
# each difference is a line here, and the run fails at the end if there is any.
READ_PATH_DIFF_LOG = Path(
    os.environ.get("STEWARD_TEST_DIFF_LOG", f"/tmp/steward-read-diff-{RUN_ID}.jsonl")
)


@pytest.fixture(scope="session", autouse=True)
def read_paths_agree() -> Iterator[None]:
    """After the run: every compiled answer equalled the ordinary executor's."""
    READ_PATH_DIFF_LOG.unlink(missing_ok=True)
    yield
    if not READ_PATH_DIFF_LOG.exists():
        return
    records = [json.loads(line) for line in READ_PATH_DIFF_LOG.read_text().splitlines()]
    compiled = sum(1 for r in records if r["kind"] == "compiled")
    fallbacks = Counter(r["reason"] for r in records if r["kind"] == "fallback")
    print(
        f"\nread path: {compiled} query operations compiled, "
        f"{sum(fallbacks.values())} on the ordinary executor"
    )
    for reason, count in fallbacks.most_common():
        print(f"  {count:5d}  {reason}")
    differences = [r for r in records if r["kind"] == "difference"]
    assert not differences, f"compiled and ordinary answers differ: {differences[:3]}"


@pytest.fixture(scope="session")
def settings(database_url: str, service_urls: tuple[str, str]) -> Settings:
    return Settings(  # type: ignore[call-arg]
        STEWARD_READ_PATH="differential",
        STEWARD_READ_PATH_DIFF_LOG=READ_PATH_DIFF_LOG,
        DATABASE_URL=database_url,
        REDIS_URL=service_urls[1],
        STEWARD_ENV="test",
        STEWARD_QUEUE_NAME=f"steward:test:{RUN_ID}",
        STEWARD_LOG_LEVEL="WARNING",
        STEWARD_CORS_ORIGINS="https://app.consultancy.example",
        # Every test shares 127.0.0.1; tests/security/test_rate_limits.py tightens these.
        STEWARD_RATE_LIMIT_PER_PRINCIPAL=1_000_000,
        STEWARD_RATE_LIMIT_PER_ADDRESS=1_000_000,
    )


@pytest.fixture(scope="session")
async def engine(settings: Settings) -> AsyncIterator[AsyncEngine]:
    assert settings.database_url
    engine = make_engine(settings.database_url)
    await migrate_shared(engine)
    yield engine
    await engine.dispose()


@pytest.fixture(scope="session")
async def base_url(settings: Settings, engine: AsyncEngine) -> AsyncIterator[str]:
    """The app served by a real uvicorn on a free loopback port, for the whole run."""
    async with serving(settings) as url:
        yield url


@pytest.fixture
async def client(base_url: str) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=base_url, timeout=30) as c:
        yield c


TenantFactory = Callable[..., Awaitable[TenantRef]]
TokenFactory = Callable[..., Awaitable[str]]


@pytest.fixture
def make_tenant(engine: AsyncEngine) -> TenantFactory:
    async def factory(slug: str | None = None, name: str = "Test Consultancy") -> TenantRef:
        return await create_tenant(engine, slug=slug or unique_slug(), name=name)

    return factory


@pytest.fixture
def make_token(engine: AsyncEngine) -> TokenFactory:
    async def factory(
        tenant: TenantRef, role: str = "admin", client_organisation_id: uuid.UUID | None = None
    ) -> str:
        async with engine.connect() as conn, conn.begin():
            issued = await issue_token(
                conn,
                tenant=tenant,
                role=role,
                name=f"test {role}",
                client_organisation_id=client_organisation_id,
            )
        return issued.secret

    return factory


@pytest.fixture
async def token(make_tenant: TenantFactory, make_token: TokenFactory) -> str:
    """An admin token of a new tenant, for tests that only need to be let in."""
    return await make_token(await make_tenant())
