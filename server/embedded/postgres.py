"""Embedded PostgreSQL 16 from the pgserver wheel's binaries (see server/embedded.py)."""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import signal
import stat
import subprocess
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import quote

from server.embedded.server import EmbeddedServer
from server.embedded.support import (
    PG_ENV_PREFIXES,
    PG_PORT,
    PG_SYSTEM_USER,
    EmbeddedServiceError,
    choose_socket_dir,
    kill_and_wait,
    package_dir,
    processes_running,
    tail,
    write_private,
)

logger = logging.getLogger(__name__)


class EmbeddedPostgres(EmbeddedServer):
    """PostgreSQL 16 from the ``pgserver`` wheel, in a folder that survives restarts.

    ``start(folder)`` returns ``postgresql+asyncpg://postgres@/postgres?host=<socket dir>``;
    ``stop()`` shuts it down with ``pg_ctl stop -m fast`` (open sessions are rolled back, data is
    checkpointed) and waits until every backend has exited. If another live process already owns
    the folder, ``start`` returns that server's URL and ``stop`` leaves it running.
    """

    kind = "PostgreSQL"

    def __init__(self, settings: Mapping[str, str] | None = None, *, timeout: float = 60.0) -> None:
        super().__init__()
        # Extra postgresql.conf settings, e.g. {"max_connections": "200"}; values are quoted.
        self.settings: dict[str, str] = dict(settings or {})
        self.timeout = timeout
        self.bin_dir = package_dir("pgserver") / "pginstall" / "bin"
        self._ids: tuple[int, int] | None = None  # (uid, gid) to run as when we are root

    # -- paths ------------------------------------------------------------------------------

    @property
    def pgdata(self) -> Path:
        assert self.folder is not None
        return self.folder / "pgdata"

    @property
    def _log_file(self) -> Path:
        assert self.folder is not None
        return self.folder / "postgres.log"

    # -- lifecycle (start, stop and attaching are in EmbeddedServer) -------------------------

    def _stop_owned(self) -> None:
        if self.owned and self.folder is not None:
            self._stop_cluster()
            self._state_file.unlink(missing_ok=True)

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
        write_private(self._state_file, self.url + "\n")
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
            entry = pwd.getpwnam(PG_SYSTEM_USER)
        except KeyError:
            logger.info("creating system user %r to run PostgreSQL as", PG_SYSTEM_USER)
            useradd = shutil.which("useradd") or "/usr/sbin/useradd"
            subprocess.run(  # noqa: S603 -- fixed argv, no shell
                [
                    useradd,
                    "--system",
                    "--no-create-home",
                    "--shell",
                    "/usr/sbin/nologin",
                    PG_SYSTEM_USER,
                ],
                check=True,
                capture_output=True,
            )
            entry = pwd.getpwnam(PG_SYSTEM_USER)
        self._ids = (entry.pw_uid, entry.pw_gid)
        # That user must be able to reach the binaries and the cluster: add o+x (traverse only,
        # not list) on every ancestor that lacks it, as pgserver does (it also adds o+r).
        self.folder.chmod(0o711)
        for path in (self.folder, self.bin_dir):
            for parent in path.parents:
                mode = parent.stat().st_mode
                if not mode & stat.S_IXOTH:
                    logger.warning("adding o+x to %s so %r can reach it", parent, PG_SYSTEM_USER)
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
        pids = processes_running(postgres, self.pgdata)
        if pids:
            logger.warning(
                "found PostgreSQL processes %s left by a previous run; stopping them", pids
            )
            if pid_file.exists():
                with contextlib.suppress(EmbeddedServiceError):
                    self._pg_ctl(["stop", "-m", "fast", "-w", "-t", "30", "-s"], what="stop orphan")
            left = [p for p in processes_running(postgres, self.pgdata) if p in pids]
            if left and kill_and_wait(left, signal.SIGKILL, 10):
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
            for leftover in (f".s.PGSQL.{PG_PORT}.lock", f".s.PGSQL.{PG_PORT}"):
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
        socket_dir, temporary = choose_socket_dir(run, f".s.PGSQL.{PG_PORT}", "pg")
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
            "port": str(PG_PORT),
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
            pids = processes_running(self.bin_dir / "postgres", self.pgdata)
            logger.warning("fast shutdown failed; killing PostgreSQL processes %s", pids)
            kill_and_wait(kill_and_wait(pids, signal.SIGQUIT, 5), signal.SIGKILL, 5)

    def _pg_ctl(self, args: list[str], *, what: str) -> None:
        self._run("pg_ctl", ["-D", str(self.pgdata), *args], what=what)

    def _run(self, program: str, args: list[str], *, what: str) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith(PG_ENV_PREFIXES)}
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
                f"--- {self._log_file} ---\n{tail(self._log_file)}"
            )
        if output:
            logger.debug("%s: %s", program, output)


# --------------------------------------------------------------------------------------------
# Redis
# --------------------------------------------------------------------------------------------
