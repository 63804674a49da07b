"""The API's metrics port: Prometheus text, for the operator's network only.

With `steward serve --workers N` the supervisor process answers the port from
prometheus-client's multiprocess files (PROMETHEUS_MULTIPROC_DIR, a private
temporary directory unless set), which each server process writes; counters and
histograms are summed over processes, pool gauges over live processes.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from prometheus_client import REGISTRY, CollectorRegistry, multiprocess, start_http_server
from prometheus_client.metrics_core import Metric

from server.pids import pid_alive
from server.settings import Settings

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"


class _LiveProcesses(multiprocess.MultiProcessCollector):
    """Drops the live gauges of server processes that died (uvicorn restarts them); an
    unreaped zombie has died too (`pid_alive`)."""

    def __init__(self, registry: CollectorRegistry, path: str) -> None:
        super().__init__(registry, path)  # type: ignore[no-untyped-call]
        self.directory = path

    def collect(self) -> Iterable[Metric]:
        for file in Path(self.directory).glob("gauge_live*_*.db"):
            pid = file.stem.rsplit("_", 1)[-1]
            if pid.isdigit() and not pid_alive(int(pid)):
                multiprocess.mark_process_dead(int(pid), self.directory)  # type: ignore[no-untyped-call]
        metrics: Iterable[Metric] = super().collect()  # type: ignore[no-untyped-call]
        return metrics


def multiprocess_registry(directory: str) -> CollectorRegistry:
    registry = CollectorRegistry()
    _LiveProcesses(registry, directory)
    return registry


@contextmanager
def api_metrics_server(settings: Settings, *, workers: int = 1) -> Iterator[int | None]:
    """Serve /metrics on STEWARD_METRICS_PORT (nothing when unset) while the block runs."""
    port = settings.metrics_port
    if port is None:
        yield None
        return
    private: str | None = None
    directory = os.environ.get(MULTIPROC_ENV) or None
    if workers > 1:
        if directory is None:
            directory = private = tempfile.mkdtemp(prefix="steward-metrics-")
        else:
            # Files left by an earlier run would be counted again (their pids may be reused).
            Path(directory).mkdir(parents=True, exist_ok=True)
            for stale in Path(directory).glob("*.db"):
                stale.unlink()
        # Read by prometheus-client as each spawned server process imports it.
        os.environ[MULTIPROC_ENV] = directory
    registry = multiprocess_registry(directory) if directory else REGISTRY
    server, _thread = start_http_server(port, addr=settings.host, registry=registry)
    try:
        yield port
    finally:
        server.shutdown()
        server.server_close()
        if private is not None:
            os.environ.pop(MULTIPROC_ENV, None)
            shutil.rmtree(private, ignore_errors=True)
