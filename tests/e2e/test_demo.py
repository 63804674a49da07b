"""`steward demo` from an empty data folder, over real HTTP, then again on the same folder."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from tests.support import free_port

ROOT = Path(__file__).resolve().parents[2]


class Demo:
    def __init__(self, data_dir: Path) -> None:
        self.port = free_port()
        env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
        env.update(
            STEWARD_DATA_DIR=str(data_dir), STEWARD_PORT=str(self.port), PYTHONUNBUFFERED="1"
        )
        self.started = time.perf_counter()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "server.cli", "demo"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        self.output: list[str] = []

        self.token: queue.Queue[str] = queue.Queue()
        # Drain the output all along: a full pipe would block the demo's logging.
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.output.append(line)
            if line.startswith("API token: "):
                self.token.put(line.removeprefix("API token: ").strip())

    def wait_for_token(self, timeout: float = 120) -> str:
        try:
            return self.token.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError(
                "demo never printed a token:\n" + "".join(self.output[-40:])
            ) from None

    def stop(self) -> int:
        os.killpg(self.process.pid, signal.SIGINT)
        try:
            return self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            raise
        finally:
            self.reader.join(timeout=10)
            assert self.process.stdout is not None
            self.process.stdout.close()


def _query(port: int, token: str) -> dict[str, object]:
    response = httpx.post(
        f"http://127.0.0.1:{port}/graphql",
        json={"query": "{ viewer { role tenant { slug } } clientOrganisations { totalCount } }"},
        headers={"authorization": f"Bearer {token}"},
        timeout=30,
    )
    assert response.status_code == 200, response.text
    body: dict[str, object] = response.json()
    return body


def _leftover_servers(data_dir: Path) -> list[str]:
    ps = subprocess.run(["ps", "-eo", "args"], capture_output=True, text=True).stdout
    return [line for line in ps.splitlines() if str(data_dir) in line and "ps -eo" not in line]


@pytest.mark.timeout(300)
def test_demo_starts_from_empty_serves_graphql_stops_cleanly_and_restarts(tmp_path: Path) -> None:
    data_dir = tmp_path / "demo-data"
    demo = Demo(data_dir)
    try:
        token = demo.wait_for_token()
        cold = time.perf_counter() - demo.started
        body = _query(demo.port, token)
        assert body["data"] == {
            "viewer": {"role": "ADMIN", "tenant": {"slug": "demo"}},
            "clientOrganisations": {
                "totalCount": body["data"]["clientOrganisations"]["totalCount"]
            },  # type: ignore[index]
        }
        assert body["data"]["clientOrganisations"]["totalCount"] >= 3  # type: ignore[index]
        assert httpx.get(f"http://127.0.0.1:{demo.port}/readyz", timeout=10).status_code == 200
    finally:
        code = demo.stop()
    assert code == 0, "".join(demo.output[-40:])
    assert _leftover_servers(data_dir) == []

    again = Demo(data_dir)
    try:
        second_token = again.wait_for_token()
        warm = time.perf_counter() - again.started
        assert "existing data" in "".join(again.output)
        assert _query(again.port, second_token)["data"]["viewer"]["tenant"]["slug"] == "demo"  # type: ignore[index]
        # Only the newest demo token works: each run revokes the previous one.
        old = httpx.post(
            f"http://127.0.0.1:{again.port}/graphql",
            json={"query": "{ viewer { role } }"},
            headers={"authorization": f"Bearer {token}"},
            timeout=30,
        )
        assert old.status_code == 401
    finally:
        assert again.stop() == 0
    print(f"demo ready: cold {cold:.1f}s, warm {warm:.1f}s")
