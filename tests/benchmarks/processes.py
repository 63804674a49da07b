"""The benchmarks' subprocesses: Steward (or a stand-in) started, awaited, and stopped.

bench_read and bench_tenants start `steward serve` the same way, with production settings
on a free port; a run's children are stopped together at exit, on error or Ctrl-C too.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Server:
    name: str
    proc: asyncio.subprocess.Process
    port: int
    log: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


@dataclass
class Children:
    """Every subprocess this run started, each in its own process group, stopped at exit."""

    procs: list[asyncio.subprocess.Process] = field(default_factory=list)

    async def start(
        self,
        *argv: str,
        env: dict[str, str],
        cwd: Path,
        log: Path | None,
        stdout_pipe: bool = False,
    ) -> asyncio.subprocess.Process:
        out: Any = asyncio.subprocess.PIPE if stdout_pipe else None
        handle = open(log, "wb") if log is not None else None  # noqa: SIM115  (closed below)
        try:
            proc = await asyncio.create_subprocess_exec(
                *argv,
                env=env,
                cwd=cwd,
                stdin=asyncio.subprocess.DEVNULL,
                stdout=out if stdout_pipe else (handle or asyncio.subprocess.DEVNULL),
                stderr=handle or asyncio.subprocess.DEVNULL,
                start_new_session=True,  # Ctrl-C reaches this process only; we stop them
                # The load generator's result line lists every latency: past asyncio's
                # 64 KiB line limit at a few thousand requests a round.
                limit=1 << 26,
            )
        finally:
            if handle is not None:
                handle.close()
        self.procs.append(proc)
        return proc

    async def stop(self, proc: asyncio.subprocess.Process) -> None:
        if proc.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)
            try:
                await asyncio.wait_for(proc.wait(), 10)
            except TimeoutError:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
                await proc.wait()
        with contextlib.suppress(ValueError):
            self.procs.remove(proc)

    async def stop_all(self) -> None:
        for proc in list(reversed(self.procs)):
            await self.stop(proc)


def tail(path: Path, lines: int = 15) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


async def wait_healthy(server: Server, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    async with httpx.AsyncClient(base_url=server.url, timeout=2) as client:
        while time.monotonic() < deadline:
            if server.proc.returncode is not None:
                break
            with contextlib.suppress(httpx.HTTPError):
                if (await client.get("/healthz")).status_code == 200:
                    return
            await asyncio.sleep(0.1)
    raise RuntimeError(f"{server.name} did not become healthy; its log ends:\n{tail(server.log)}")


async def start_server(
    children: Children,
    name: str,
    argv: tuple[str, ...],
    *,
    env: dict[str, str],
    cwd: Path,
    port: int,
    log_dir: Path,
) -> Server:
    """Start `argv` (an HTTP server on `port`, logging to `log_dir`/<name>.log) and wait
    until it answers /healthz."""
    log = log_dir / f"{name}.log"
    proc = await children.start(*argv, env=env, cwd=cwd, log=log)
    server = Server(name, proc, port, log)
    await wait_healthy(server)
    return server


def production_env(
    database_url: str, redis_url: str, port: int, tmp: Path, *, log_level: str, **extra: str
) -> dict[str, str]:
    """`steward serve` as in production (a generated secret key, an https public URL) on
    `port`, with no STEWARD_ setting of the caller's leaking in and rate limits out of
    the way of the load; `extra` last."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("STEWARD_")}
    env.update(
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        STEWARD_ENV="production",
        STEWARD_SECRET_KEY=Fernet.generate_key().decode(),
        STEWARD_PUBLIC_URL="https://steward.bench.invalid",
        STEWARD_HOST="127.0.0.1",
        STEWARD_PORT=str(port),
        STEWARD_LOG_LEVEL=log_level,
        STEWARD_DATA_DIR=str(tmp / "data"),
        STEWARD_RATE_LIMIT_PER_PRINCIPAL="100000000",
        STEWARD_RATE_LIMIT_PER_ADDRESS="100000000",
    )
    env.update(extra)  # may override any of the above (bench_read's --steward-env)
    return env
