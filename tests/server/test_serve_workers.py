"""`steward serve [--workers N]`: one port, N worker processes, a clean stop on SIGTERM."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from server import serving
from server.settings import Settings
from tests.conftest import TenantFactory, TokenFactory
from tests.processes import steward_env
from tests.support import data, free_port, gql

ROOT = Path(__file__).resolve().parents[2]


def _workers_of(pid: int) -> list[int]:
    """The spawned worker processes under the supervisor `pid` (Linux /proc)."""
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    workers = []
    for child in map(int, children):
        with Path(f"/proc/{child}/cmdline").open("rb") as f:
            if b"spawn_main" in f.read():
                workers.append(child)
    return workers


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.fixture(params=[1, 2], ids=["one-process", "two-workers"])
def workers(request: pytest.FixtureRequest) -> int:
    return int(request.param)


@pytest.fixture
def served(
    settings: Settings, tmp_path: Path, workers: int
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    port = free_port()
    env = steward_env(settings, STEWARD_LOG_LEVEL="WARNING", STEWARD_PORT=str(port))
    with (tmp_path / "serve.log").open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "server.cli", "serve", "--workers", str(workers)],
            env=env,
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            yield f"http://127.0.0.1:{port}", process
        finally:
            if process.poll() is None:
                process.kill()
                process.wait(10)
    print((tmp_path / "serve.log").read_text())


def _wait_healthy(base_url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert process.poll() is None, "steward serve exited early"
        try:
            if httpx.get(f"{base_url}/healthz", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise AssertionError("steward serve never became healthy")


@pytest.mark.timeout(120)
async def test_the_workers_share_the_port_answer_graphql_and_stop_on_sigterm(
    served: tuple[str, subprocess.Popen[bytes]],
    workers: int,
    make_tenant: TenantFactory,
    make_token: TokenFactory,
) -> None:
    base_url, process = served
    tenant = await make_tenant()
    token = await make_token(tenant, role="viewer")
    _wait_healthy(base_url, process)
    spawned = _workers_of(process.pid)
    # One worker is the process itself; more are spawned processes under a supervisor.
    assert len(spawned) == (0 if workers == 1 else workers), spawned

    async with httpx.AsyncClient(base_url=base_url, timeout=30) as client:
        body = await gql(client, "{ viewer { role tenant { slug } } }", token=token)
    assert data(body)["viewer"] == {"role": "VIEWER", "tenant": {"slug": tenant.slug}}

    process.send_signal(signal.SIGTERM)
    assert process.wait(30) == 0
    deadline = time.monotonic() + 10
    while any(_alive(w) for w in spawned) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(_alive(w) for w in spawned)


def test_the_server_runs_on_uvloop_with_the_httptools_parser() -> None:
    async def loop_module() -> str:
        return type(asyncio.get_running_loop()).__module__

    assert (serving.LOOP, serving.HTTP) == ("uvloop", "httptools")
    assert serving.run_on_fast_loop(loop_module()).startswith("uvloop")
