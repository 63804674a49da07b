"""Process and folder helpers shared by the embedded PostgreSQL and Redis."""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import importlib.util
import logging
import os
import shutil
import signal
import tempfile
import time
from pathlib import Path

from server.pids import pid_alive

logger = logging.getLogger(__name__)


MAX_SOCKET_PATH = 100
# Name of the system user PostgreSQL runs as when we are root (same as pgserver's choice).
PG_SYSTEM_USER = "pgserver"
# The port only names the socket file (.s.PGSQL.<port>); TCP is disabled.
PG_PORT = 5432
# Environment variables that would silently change where pg_ctl/initdb/postgres look or listen.
PG_ENV_PREFIXES = ("PG",)


class EmbeddedServiceError(RuntimeError):
    """An embedded server could not be started or stopped; the message says why and where."""


# --------------------------------------------------------------------------------------------
# helpers shared by both servers
# --------------------------------------------------------------------------------------------


def package_dir(name: str) -> Path:
    """Directory of an installed package, found without importing it (no import side effects)."""
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise EmbeddedServiceError(
            f"the {name!r} package is not installed: embedded servers need the `embedded` "
            "extra (`make install`, or pip install -r requirements-dev.lock); "
            "or set DATABASE_URL / REDIS_URL to use external servers"
        )
    return Path(next(iter(spec.submodule_search_locations)))


class FolderLock:
    """An exclusive ``flock`` on ``<folder>/.steward.lock`` held while we own the server.

    The kernel drops it when our process dies, even on SIGKILL, so a lock we can take means any
    server still running in that folder is an orphan of a killed run. Subprocesses do not inherit
    it (``subprocess`` closes fds by default), so an orphaned server never keeps it held.
    """

    def __init__(self, folder: Path) -> None:
        self.path = folder / ".steward.lock"
        self._fd: int | None = None

    def acquire(self) -> bool:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            os.close(fd)
            if exc.errno in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                return False
            raise
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        self._fd = fd
        return True

    def release(self) -> None:
        if self._fd is not None:
            with contextlib.suppress(OSError):
                fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None

    def holder(self) -> str:
        with contextlib.suppress(OSError):
            return self.path.read_text().strip() or "?"
        return "?"


def processes_running(exe: Path, cwd: Path) -> list[int]:
    """Pids whose binary is ``exe`` and whose working directory is ``cwd`` (Linux ``/proc``).

    Both servers chdir into their data folder, so this finds a cluster's postmaster *and* any
    backend that outlived a SIGKILLed postmaster (those keep the shared memory attached and
    make the next start fail), without trusting a pid file. Matching the binary too means a
    shell that happens to sit in the folder is never touched. Elsewhere it returns [].
    """
    proc = Path("/proc")
    if not proc.is_dir():
        return []
    exe_real, cwd_real = os.path.realpath(exe), os.path.realpath(cwd)
    found: list[int] = []
    for entry in proc.iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            if os.readlink(entry / "exe") == exe_real and os.readlink(entry / "cwd") == cwd_real:
                found.append(int(entry.name))
        except OSError:  # gone meanwhile, or not ours to inspect
            continue
    return found


def kill_and_wait(pids: list[int], sig: signal.Signals, timeout: float) -> list[int]:
    """Send ``sig`` to each pid, wait up to ``timeout`` s; return the pids still alive."""
    for pid in pids:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, sig)
    deadline = time.monotonic() + timeout
    alive = pids
    while alive and time.monotonic() < deadline:
        time.sleep(0.05)
        alive = [pid for pid in alive if pid_alive(pid)]
    return alive


def choose_socket_dir(folder: Path, socket_name: str, tag: str) -> tuple[Path, bool]:
    """Where to put a unix socket: in ``folder`` when the path fits, else a private temp dir.

    Returns (directory, is_temporary). The temp dir is made with ``mkdtemp`` (0700, random
    name) so nobody can pre-create it, and is removed on stop.
    """
    if len(str(folder / socket_name)) <= MAX_SOCKET_PATH:
        return folder, False
    digest = hashlib.sha256(str(folder).encode()).hexdigest()[:8]
    tmp = Path(tempfile.mkdtemp(prefix=f"steward-{tag}-{digest}-"))
    if len(str(tmp / socket_name)) > MAX_SOCKET_PATH:  # absurd TMPDIR
        shutil.rmtree(tmp, ignore_errors=True)
        tmp = Path(tempfile.mkdtemp(prefix=f"stw-{tag}-", dir="/tmp"))
    logger.info("socket path under %s is too long; using %s", folder, tmp)
    return tmp, True


def tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def write_private(path: Path, text: str) -> None:
    path.write_text(text)
    path.chmod(0o600)


# --------------------------------------------------------------------------------------------
# PostgreSQL
# --------------------------------------------------------------------------------------------
