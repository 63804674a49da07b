"""Redis stopped: reads keep working, report requests get a clear answer, the worker recovers.

Runs against an embedded Redis of its own and a real `steward worker` process.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from pathlib import Path

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from schema.ids import global_id
from server.embedded import EmbeddedRedis
from server.settings import Settings
from tenants import models as m
from tests.conftest import TenantFactory, TokenFactory
from tests.jobs.seed import report_row, seed_client
from tests.processes import steward_worker
from tests.support import data, gql, serving

REQUEST = """
mutation($id: ID!) {
  requestReadinessReport(input: {clientOrganisationId: $id}) {
    readinessReport { id status } errors { field code message }
  }
}"""
READ = "{ clientOrganisations { totalCount edges { node { name } } } }"


@pytest.mark.timeout(240)
async def test_reads_work_requests_are_kept_and_the_worker_finishes_them_after_redis_returns(
    settings: Settings,
    engine: AsyncEngine,
    make_tenant: TenantFactory,
    make_token: TokenFactory,
    own_redis: tuple[EmbeddedRedis, Path, str],
) -> None:
    redis, folder, redis_url = own_redis
    tenant = await make_tenant()
    token = await make_token(tenant, "consultant")
    seeded = await seed_client(engine, tenant, processes=5)
    queue = f"steward:outage:{uuid.uuid4().hex[:8]}"
    local = settings.model_copy(update={"redis_url": redis_url, "queue_name": queue})
    worker = steward_worker(settings, REDIS_URL=redis_url, STEWARD_QUEUE_NAME=queue)
    try:
        async with serving(local) as base, httpx.AsyncClient(base_url=base, timeout=30) as client:
            await asyncio.to_thread(redis.stop)

            # Reads do not need Redis.
            listed = data(await gql(client, READ, token=token))["clientOrganisations"]
            assert listed["totalCount"] == 1
            ready = await client.get("/readyz")
            # Degraded, not unready: the pod stays in service.
            assert (ready.status_code, ready.json()) == (200, {"status": "degraded"})

            # A report request is recorded, answered at once, and honest about its state.
            started = time.perf_counter()
            variables = {"id": global_id("ClientOrganisation", seeded.client_id)}
            payload = data(await gql(client, REQUEST, variables, token=token))
            payload = payload["requestReadinessReport"]
            assert time.perf_counter() - started < 5
            assert payload["errors"] == []
            assert payload["readinessReport"]["status"] == "QUEUED"
            report_id = uuid.UUID(
                __import__("base64")
                .b64decode(payload["readinessReport"]["id"])
                .decode()
                .split(":")[1]
            )

            assert await asyncio.to_thread(redis.start, folder) == redis_url
            # The worker reconnects and its sweeper enqueues the recorded request.
            deadline = time.monotonic() + 150
            while (
                await report_row(engine, tenant, report_id)
            ).status is not m.ReportStatus.SUCCEEDED:
                assert worker.poll() is None, "the worker died while Redis was down"
                assert time.monotonic() < deadline, "the request never ran after Redis returned"
                await asyncio.sleep(1)
            assert (await client.get("/readyz")).status_code == 200
    finally:
        worker.terminate()
        worker.wait(timeout=30)
