"""Servers of a fault test's own, which it may stop and start without harming the run's."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

import pytest

from server.embedded import EmbeddedPostgres, EmbeddedRedis
from server.embedded.server import EmbeddedServer

S = TypeVar("S", bound=EmbeddedServer)


@contextmanager
def _of_its_own(server: S, prefix: str) -> Iterator[tuple[S, Path, str]]:
    """`server` started in a fresh folder: it, the folder (to start it again) and its URL."""
    # A short path: the unix socket must stay in the same place across restarts.
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    url = server.start(folder)
    try:
        yield server, folder, url
    finally:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def own_postgres() -> Iterator[tuple[EmbeddedPostgres, Path, str]]:
    with _of_its_own(EmbeddedPostgres(), "stwpg") as started:
        yield started


@pytest.fixture
def own_redis() -> Iterator[tuple[EmbeddedRedis, Path, str]]:
    with _of_its_own(EmbeddedRedis(), "stwrd") as started:
        yield started
