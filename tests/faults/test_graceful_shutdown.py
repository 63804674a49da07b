"""SIGTERM, as a rolling deploy sends it: no accepted request is lost, no report is lost.

Real `steward serve` and `steward worker` processes; STEWARD_SHUTDOWN_GRACE_S bounds both.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import signal
import subprocess
import time
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from arq.jobs import JobStatus
from sqlalchemy.ext.asyncio import AsyncEngine

from jobs.enqueue import enqueue_readiness, job_status, readiness_job_id
from server.settings import Settings
from tenants import models as m
from tests.conftest import TenantFactory, TokenFactory
from tests.jobs.seed import queue_report, report_row, seed_queued_report
from tests.jobs.workers import make_worker, new_queue, pool, run_burst, wait_for_report
from tests.processes import NO_RATE_LIMITS, STEWARD, steward_env, steward_worker
from tests.support import free_port

VIEWER = json.dumps({"query": "{ viewer { name role } }"}).encode()
REQUESTS, CONNECTIONS = 100, 8


async def _stopped(process: subprocess.Popen[bytes], within_s: float) -> int:
    return await asyncio.to_thread(process.wait, within_s)


async def _slow_body() -> AsyncIterator[bytes]:
    """The headers go out at once and the body over 50 ms: the request is in flight."""
    yield VIEWER[:8]
    await asyncio.sleep(0.05)
    yield VIEWER[8:]


@pytest.mark.timeout(60)
async def test_sigterm_under_load_loses_no_accepted_request(
    settings: Settings, make_tenant: TenantFactory, make_token: TokenFactory, tmp_path: Path
) -> None:
    token = await make_token(await make_tenant(), "viewer")
    port = free_port()
    env = steward_env(
        settings,
        STEWARD_PORT=str(port),
        STEWARD_SHUTDOWN_GRACE_S="10",
        STEWARD_LOG_LEVEL="INFO",  # one `http.request` line per request the app handled
        STEWARD_QUEUE_NAME=new_queue(),
        **NO_RATE_LIMITS,
    )
    log_path = tmp_path / "serve.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen([str(STEWARD), "serve"], env=env, stdout=log, stderr=log)
    base_url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            assert process.poll() is None, log_path.read_text()
            try:
                if httpx.get(f"{base_url}/readyz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "steward serve never became ready"
            await asyncio.sleep(0.1)

        outcomes: dict[str, int | str] = {}
        answered_after_sigterm = 0
        sigterm_at: float | None = None
        issued = itertools.count()
        headers = {"authorization": f"Bearer {token}", "content-type": "application/json"}

        async def one_connection() -> None:
            nonlocal answered_after_sigterm
            limits = httpx.Limits(max_connections=1)
            async with httpx.AsyncClient(base_url=base_url, timeout=20, limits=limits) as c:
                while (i := next(issued)) < REQUESTS:
                    request_id = f"shutdown-{i:03d}-{uuid.uuid4().hex[:8]}"
                    started = time.monotonic()
                    try:
                        response = await c.post(
                            "/graphql",
                            content=_slow_body(),
                            headers=headers | {"x-request-id": request_id},
                        )
                    except httpx.TransportError as exc:
                        outcomes[request_id] = type(exc).__name__
                        continue
                    outcomes[request_id] = response.status_code
                    if sigterm_at is not None and started < sigterm_at:
                        answered_after_sigterm += 1

        load = [asyncio.create_task(one_connection()) for _ in range(CONNECTIONS)]
        while sum(v == 200 for v in outcomes.values()) < 30:
            assert not any(t.done() for t in load), outcomes
            await asyncio.sleep(0.005)
        sigterm_at = time.monotonic()
        process.send_signal(signal.SIGTERM)
        await asyncio.gather(*load)
        assert await _stopped(process, 20) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(10)

    handled = {}
    for line in log_path.read_text().splitlines():
        if line.startswith("{") and '"http.request"' in line:
            entry = json.loads(line)
            if entry.get("path") == "/graphql":
                handled[entry["request_id"]] = entry["status"]
    assert len(outcomes) == REQUESTS
    # Every request the server took in was answered, with 200, and the client got it.
    assert handled and set(handled.values()) == {200}
    assert {rid for rid, status in outcomes.items() if status == 200} == set(handled)
    # Requests in flight when SIGTERM came were finished, not dropped.
    assert answered_after_sigterm >= 1
    # The rest never reached the app: refused once it stopped accepting.
    failed = {rid: kind for rid, kind in outcomes.items() if kind != 200}
    assert failed, "SIGTERM came too late to test anything"
    assert not set(failed) & set(handled)
    assert "ConnectError" in failed.values()
    assert set(failed.values()) <= {"ConnectError", "RemoteProtocolError", "ReadError"}


def _worker(
    settings: Settings, queue: str, *, grace_s: int, delay_s: float
) -> subprocess.Popen[bytes]:
    return steward_worker(
        settings,
        STEWARD_QUEUE_NAME=queue,
        STEWARD_SHUTDOWN_GRACE_S=str(grace_s),
        STEWARD_TEST_JOB_DELAY_S=str(delay_s),  # the job sleeps this long once RUNNING
    )


@pytest.mark.timeout(90)
async def test_sigterm_mid_report_finishes_it_within_the_grace_or_hands_it_on(
    engine: AsyncEngine, settings: Settings, make_tenant: TenantFactory
) -> None:
    """Two workers at once (their start-up is most of the time): one whose job ends within
    the grace, one whose job outlasts it; each report ends SUCCEEDED exactly once."""
    tenant = await make_tenant()
    seeded, finished = await seed_queued_report(engine, tenant, processes=4)
    handed_on = await queue_report(engine, tenant, seeded.client_id)
    quick_queue, slow_queue = new_queue(), new_queue()
    async with pool(settings, quick_queue) as quick, pool(settings, slow_queue) as slow:
        assert await enqueue_readiness(quick, tenant=tenant.slug, report_id=finished)
        assert await enqueue_readiness(slow, tenant=tenant.slug, report_id=handed_on)
        workers = [
            _worker(settings, quick_queue, grace_s=20, delay_s=2),
            _worker(settings, slow_queue, grace_s=1, delay_s=120),
        ]
        try:
            await wait_for_report(engine, tenant, finished, m.ReportStatus.RUNNING)
            await wait_for_report(engine, tenant, handed_on, m.ReportStatus.RUNNING)
            for worker in workers:
                worker.send_signal(signal.SIGTERM)
            assert [await _stopped(worker, 20) for worker in workers] == [0, 0]
        finally:
            for worker in workers:
                if worker.poll() is None:
                    worker.kill()

        # The first finished its job before it stopped.
        row = await report_row(engine, tenant, finished)
        assert row.status is m.ReportStatus.SUCCEEDED and row.attempts == 1
        assert await job_status(quick, readiness_job_id(tenant.slug, finished)) is (
            JobStatus.complete
        )
        # The second gave its job back to the queue at once (not after arq's in-progress
        # key expires, job timeout + 10 s), and the next worker finishes it.
        job = readiness_job_id(tenant.slug, handed_on)
        assert await job_status(slow, job) is JobStatus.queued
        assert (await report_row(engine, tenant, handed_on)).status is m.ReportStatus.RUNNING
        await run_burst(make_worker(settings, slow_queue))
        row = await report_row(engine, tenant, handed_on)
        assert row.status is m.ReportStatus.SUCCEEDED
        assert row.attempts == 2 and row.pdf.startswith(b"%PDF")
        assert await job_status(slow, job) is JobStatus.complete
