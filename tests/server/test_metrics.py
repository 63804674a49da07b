"""The API's metrics port: Prometheus text over real HTTP, figures that follow real requests."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from server.observability.exposition import api_metrics_server
from server.observability.metrics import OperationNames
from server.settings import Settings
from tenants.engine import make_engine
from tenants.pool_stats import pool_stats
from tests.conftest import TenantFactory, TokenFactory
from tests.prometheus import scrape
from tests.support import data, free_port, gql, serving

ROOT = Path(__file__).resolve().parents[2]
REQUESTS = "steward_graphql_requests_total"
LATENCY = "steward_graphql_request_duration_seconds_count"
HTTP = "steward_http_requests_total"


@pytest.fixture
async def api(settings: Settings) -> AsyncIterator[tuple[str, str]]:
    """Steward on the compiled read path with its metrics port: (API URL, metrics URL)."""
    metered = settings.model_copy(
        update={"metrics_port": free_port(), "read_path": "compiled", "read_path_diff_log": None}
    )
    with api_metrics_server(metered) as port:
        async with serving(metered) as url:
            yield url, f"http://127.0.0.1:{port}/metrics"


async def test_requests_are_counted_by_operation_outcome_and_read_path(
    api: tuple[str, str], make_tenant: TenantFactory, make_token: TokenFactory
) -> None:
    url, metrics = api
    tenant = await make_tenant()
    token = await make_token(tenant, "admin")
    before = await scrape(metrics)
    async with httpx.AsyncClient(base_url=url, timeout=30) as client:
        for _ in range(2):
            data(
                await gql(
                    client,
                    "query MetricsClients { clientOrganisations { totalCount } }",
                    token=token,
                )
            )
        data(await gql(client, "{ viewer { role } }", token=token))
        mutation = """mutation MetricsCreate { createClientOrganisation(input: {name: "Northwind",
            industry: "Insurance", engagementStatus: ACTIVE}) { errors { code } } }"""
        data(await gql(client, mutation, token=token))
        await gql(client, "query MetricsBroken { nope }", token=token, expect_status=200)
        await gql(client, "{ viewer { role } }", token=None, expect_status=401)
    after = await scrape(metrics)

    def moved(name: str, **labels: str) -> float:
        return after[name, labels] - before[name, labels]

    compiled = {"operation": "MetricsClients", "outcome": "ok", "read_path": "compiled"}
    assert moved(REQUESTS, **compiled) == 2
    assert moved(LATENCY, operation="MetricsClients", read_path="compiled") == 2
    assert moved(REQUESTS, operation="anonymous", outcome="ok", read_path="compiled") == 1
    ordinary = {"operation": "MetricsCreate", "outcome": "ok", "read_path": "ordinary"}
    assert moved(REQUESTS, **ordinary) == 1
    # An invalid document is no known operation: its name folds into "anonymous".
    assert moved(REQUESTS, operation="anonymous", outcome="error", read_path="ordinary") == 1
    unauthenticated = {"operation": "anonymous", "outcome": "unauthenticated"}
    assert moved(REQUESTS, **unauthenticated, read_path="ordinary") == 1
    assert moved(HTTP, route="graphql", status="200") == 5
    assert moved(HTTP, route="graphql", status="401") == 1
    assert "MetricsBroken" not in after.text
    # No tenant is a label anywhere: no series tells one tenant's activity.
    assert tenant.slug not in after.text
    assert not [k for _name, labels in after.samples for k, _v in labels if "tenant" in k]


async def test_statement_timeouts_and_the_timeout_outcome_are_counted(
    settings: Settings, engine: AsyncEngine, make_tenant: TenantFactory, make_token: TokenFactory
) -> None:
    tenant = await make_tenant()
    token = await make_token(tenant, "admin")
    metered = settings.model_copy(
        update={
            "metrics_port": free_port(),
            "read_path": "compiled",
            "read_path_diff_log": None,
            "statement_timeout_ms": 150,
        }
    )
    with api_metrics_server(metered) as port:
        metrics = f"http://127.0.0.1:{port}/metrics"
        async with serving(metered) as url, httpx.AsyncClient(base_url=url, timeout=30) as client:
            before = await scrape(metrics)
            # A lock held elsewhere: reading the table waits past the statement timeout.
            async with engine.connect() as conn, conn.begin():
                table = f"{tenant.schema_name}.client_organisations"
                await conn.execute(text(f"LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE"))
                body = await gql(
                    client, "query Locked { clientOrganisations { totalCount } }", token=token
                )
            after = await scrape(metrics)
    assert body["errors"][0]["extensions"]["code"] == "TIMEOUT"
    timeouts = "steward_statement_timeouts_total"
    assert after[timeouts, {"path": "compiled"}] - before[timeouts, {"path": "compiled"}] == 1
    assert after[timeouts, {"path": "sqlalchemy"}] - before[timeouts, {"path": "sqlalchemy"}] >= 1
    labels = {"operation": "Locked", "outcome": "timeout", "read_path": "ordinary"}
    assert after[REQUESTS, labels] - before[REQUESTS, labels] == 1


async def test_rate_limited_requests_and_refused_logins_are_counted(
    settings: Settings, make_tenant: TenantFactory, make_token: TokenFactory
) -> None:
    token = await make_token(await make_tenant(), "viewer")
    metered = settings.model_copy(
        update={
            "metrics_port": free_port(),
            "rate_limit_per_principal": 1,
            "queue_name": f"{settings.queue_name}:limited:{free_port()}",
        }
    )
    with api_metrics_server(metered) as port:
        metrics = f"http://127.0.0.1:{port}/metrics"
        async with serving(metered) as url, httpx.AsyncClient(base_url=url, timeout=30) as client:
            before = await scrape(metrics)
            await gql(client, "{ viewer { role } }", token=token)
            await gql(client, "{ viewer { role } }", token=token, expect_status=429)
            refused = await client.get(
                "/auth/nosuchtenant/login", headers={"accept": "application/json"}
            )
            after = await scrape(metrics)
    assert refused.status_code == 404
    assert (
        after[HTTP, {"route": "graphql", "status": "429"}]
        - before[HTTP, {"route": "graphql", "status": "429"}]
        == 1
    )
    limited = {"operation": "anonymous", "outcome": "rate_limited", "read_path": "ordinary"}
    assert after[REQUESTS, limited] - before[REQUESTS, limited] == 1
    login = {"step": "start", "outcome": "refused", "reason": "tenant_unknown"}
    assert after["steward_logins_total", login] - before["steward_logins_total", login] == 1


async def test_a_database_outage_is_counted_as_503(settings: Settings) -> None:
    down = settings.model_copy(
        update={
            "metrics_port": free_port(),
            "database_url": f"postgresql+asyncpg://postgres@127.0.0.1:{free_port()}/none",
        }
    )
    with api_metrics_server(down) as port:
        metrics = f"http://127.0.0.1:{port}/metrics"
        async with serving(down) as url, httpx.AsyncClient(base_url=url, timeout=30) as client:
            before = await scrape(metrics)
            response = await client.post(
                "/graphql",
                json={"query": "{ viewer { role } }"},
                headers={"authorization": "Bearer stw_x"},
            )
            after = await scrape(metrics)
    assert response.status_code == 503
    key = {"route": "graphql", "status": "503"}
    assert after[HTTP, key] - before[HTTP, key] == 1


async def test_pool_gauges_follow_the_pool(api: tuple[str, str], settings: Settings) -> None:
    url, metrics = api
    async with httpx.AsyncClient(base_url=url, timeout=30) as client:
        await client.get("/readyz")  # opens a pooled connection
    await asyncio.sleep(1.2)  # the pool is sampled every second
    assert (await scrape(metrics))["steward_db_pool_open", {}] >= 1

    assert settings.database_url
    engine = make_engine(settings.database_url, pool_size=1, max_overflow=0)
    try:
        async with engine.connect() as held:
            await held.execute(text("SELECT 1"))
            waiter = asyncio.create_task(engine.connect().start())
            await asyncio.sleep(0.1)
            stats = pool_stats(engine)
            assert (stats.open, stats.in_use, stats.waiting) == (1, 1, 1)
        conn = await waiter
        await conn.close()
        assert pool_stats(engine).in_use == 0
    finally:
        await engine.dispose()


def test_operation_names_are_bounded() -> None:
    names = OperationNames(limit=2)
    assert [names.label(n) for n in ("A", "B", "C", "A", None, "", "no spaces", "B")] == [
        "A",
        "B",
        "other",
        "A",
        "anonymous",
        "anonymous",
        "other",
        "B",
    ]


# A server process as far as metrics go: the middleware records requests, the pool
# sampler's gauge is set; then it exits or waits for a line on stdin.
_SERVER_PROCESS = """
import asyncio, sys
from server.observability.metrics import _pool_gauges
from server.observability.middleware import MetricsMiddleware

async def answer(scope, receive, send):
    scope["state"].update(graphql_operation="Spread", read_path="compiled")
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": b"{}"})

async def main(requests):
    app = MetricsMiddleware(answer)
    for _ in range(requests):
        scope = {"type": "http", "method": "POST", "path": "/graphql", "state": {}}
        await app(scope, None, lambda message: asyncio.sleep(0))
    _pool_gauges()[0].set(requests)

asyncio.run(main(int(sys.argv[1])))
print("recorded", flush=True)
if sys.argv[2] == "stay":
    sys.stdin.readline()
"""


@pytest.mark.timeout(60)
async def test_several_server_processes_are_counted_together(settings: Settings) -> None:
    """As under `steward serve --workers N`: each process writes multiprocess files, the
    supervisor's port sums them, and a dead process's pool figures are dropped."""
    metered = settings.model_copy(update={"metrics_port": free_port()})
    with api_metrics_server(metered, workers=2) as port:
        assert os.environ["PROMETHEUS_MULTIPROC_DIR"]
        command = [sys.executable, "-c", _SERVER_PROCESS]
        leaving = subprocess.run([*command, "7", "leave"], cwd=ROOT, capture_output=True)
        assert leaving.returncode == 0, leaving.stderr
        with subprocess.Popen(
            [*command, "5", "stay"], cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE
        ) as staying:
            assert staying.stdout is not None and staying.stdout.readline() == b"recorded\n"
            after = await scrape(f"http://127.0.0.1:{port}/metrics")
            staying.communicate(b"\n", timeout=30)
    labels = {"operation": "Spread", "outcome": "ok", "read_path": "compiled"}
    assert after[REQUESTS, labels] == 12
    assert after.total(LATENCY, operation="Spread") == 12
    assert after[HTTP, {"route": "graphql", "status": "200"}] == 12
    assert after["steward_db_pool_open", {}] == 5  # the process that left is not counted
    assert "PROMETHEUS_MULTIPROC_DIR" not in os.environ
