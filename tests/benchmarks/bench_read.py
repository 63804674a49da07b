"""Benchmark: the W1 read (a client's process map) on `steward serve` against a one-statement floor.

Run: `make bench-read` or `python -m tests.benchmarks.bench_read [--duration 5] [--warmup 1]
[--repeats 2] [--connections 8] [--sizes 5,50,100] [--no-end-cursor] [--show-statements]`
(DATABASE_URL, else the local server at 127.0.0.1:5432; REDIS_URL, else
redis://127.0.0.1:6379/0). Figures are printed, not asserted: they depend on the machine.
Exit status 0, or 1 when the floor's answer differed from Steward's (other than in
`endCursor`, see below) or a server failed.

What it does, all in one run:

1. A scratch database (tests/support.py `scratch_database`), shared migrations, one tenant,
   an admin API token (`issue_token`, as tests/conftest.py `make_token`).
2. Workload W1 seeded through Steward's services (read_seed.py): 20 clients, 30 owners
   each with 3 capability assessments (a score per default dimension), every process with
   a current accountable owner; one measured client per N (5, 50, 100 processes), the
   other 17 are fillers of 5 processes (seeding 20 x 100 processes through the services
   would take minutes).
3. Steward as a real subprocess, `steward serve`, production settings (STEWARD_ENV=production,
   a generated STEWARD_SECRET_KEY, an https STEWARD_PUBLIC_URL, log level INFO), the
   scratch database, local Redis, a free port, rate limits raised out of the way.
4. The floor (read_floor.py) as another subprocess: Starlette + asyncpg answering the same
   POST with ONE statement that builds the response JSON in PostgreSQL, inside a
   transaction with `SET LOCAL ROLE <tenant role>` (as Steward's requests), connecting as the
   same login role (postgres). Before measuring, each N's answer from the floor is compared
   with Steward's, parsed and byte for byte, and the result printed. `endCursor` is
   reproduced in SQL (schema/pagination.py `encode_cursor`); if only it differs (a changed
   cursor format), that is reported and the run goes on; `--no-end-cursor` drops it from
   the query.
5. SQL statements per request, counted on the PostgreSQL wire (tests/wire.py): a second
   Steward and a second floor are started with DATABASE_URL pointing at a counting TCP
   proxy in front of PostgreSQL, and answer K sequential requests per N after a warm-up.
   This counts what reaches PostgreSQL whichever library sent it (SQLAlchemy, the raw
   asyncpg connection of a compiled read path, ...), unlike SQLAlchemy's cursor events.
   pg_stat_statements is not used: it needs `shared_preload_libraries` and a restart.
   Split into `data` statements and `control` ones (BEGIN, SET LOCAL ROLE, set_config,
   COMMIT) plus pool pings; round trips (Sync and simple-query messages) are shown too.
6. Load: read_load.py in its own process, a closed loop over `--connections` keep-alive
   connections (raw asyncio streams, cheap enough to share two cores; wrk is not used and
   not needed). For each N, rounds alternate floor, Steward, floor, Steward
   (`--repeats`), each `--warmup` s then `--duration` s measured, so both see the same
   machine state. Under load every answer must be 200 with the length of that server's
   answer verified in step 4 (else it counts as an error). Before the rounds of each N,
   the median latency of sequential requests on one connection (no load) is taken too.
7. Per N and server: req/s, p50 and p99 latency, CPU per request of the server process
   (utime+stime from /proc, children included) and of the PostgreSQL backends of the
   scratch database (the floor moves work into PostgreSQL, so both are shown), statements
   per request; then Steward's ratios to the floor.

Subprocesses are stopped and the scratch database dropped at exit, on error or Ctrl-C too.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import hashlib
import json
import os
import shutil
import signal
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import asyncpg
import httpx
from rich.console import Console
from rich.table import Table
from sqlalchemy.engine import make_url

from tenants.engine import make_engine
from tenants.fleet import migrate_shared
from tenants.provisioning import create_tenant
from tenants.registry import TenantRef
from tenants.tokens import issue_token
from tests.benchmarks.processes import (
    ROOT,
    Children,
    Server,
    production_env,
    start_server,
    tail,
)
from tests.benchmarks.read_floor import W1_QUERY, W1_QUERY_NO_CURSOR
from tests.benchmarks.read_seed import Seeded, seed_w1
from tests.benchmarks.usage import (
    backend_cpu,
    backend_delta,
    machine_busy_seconds,
    tree_cpu_seconds,
)
from tests.support import free_port, scratch_database
from tests.wire import StatementCounter, summarize

STEWARD_BIN = Path(sys.executable).with_name("steward")
COUNT_REQUESTS = 10
console = Console(highlight=False, width=max(130, shutil.get_terminal_size((130, 24)).columns))


STEWARD_EXTRA: dict[str, str] = {}  # --steward-env KEY=VALUE, applied last


async def start_steward(
    children: Children, name: str, database_url: str, redis_url: str, tmp: Path
) -> Server:
    port = free_port()
    env = production_env(database_url, redis_url, port, tmp, log_level="INFO", **STEWARD_EXTRA)
    # cwd: a scratch folder, so no stray .env is read.
    argv = (str(STEWARD_BIN), "serve")
    return await start_server(children, name, argv, env=env, cwd=tmp, port=port, log_dir=tmp)


async def start_floor(
    children: Children, name: str, dsn: str, tenant: TenantRef, token: str, tmp: Path
) -> Server:
    port = free_port()
    env = dict(os.environ)
    env.update(
        FLOOR_DSN=dsn,
        FLOOR_SCHEMA=tenant.schema_name,
        FLOOR_ROLE=tenant.role_name,
        FLOOR_PORT=str(port),
        FLOOR_TOKEN_SHA256=hashlib.sha256(token.encode()).hexdigest(),
    )
    argv = (sys.executable, "-m", "tests.benchmarks.read_floor")
    return await start_server(children, name, argv, env=env, cwd=ROOT, port=port, log_dir=tmp)


# --- rounds -------------------------------------------------------------------------------


@dataclass
class Round:
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    errors: int
    server_cpu_s: float
    pg_cpu_s: float
    generator_cpu_s: float
    machine_cpu_s: float
    latencies_ms: list[float]

    @property
    def other_cores(self) -> float:
        """Cores busy with anything else: other processes, the kernel's loopback traffic."""
        ours = self.server_cpu_s + self.pg_cpu_s + self.generator_cpu_s
        return max(0.0, self.machine_cpu_s - ours) / self.seconds if self.seconds else 0.0

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


async def run_round(
    children: Children,
    server: Server,
    files: dict[str, Path],
    pg: asyncpg.Connection,
    args: argparse.Namespace,
) -> Round:
    argv = [
        sys.executable, "-m", "tests.benchmarks.read_load",
        "--port", str(server.port),
        "--body-file", str(files["body"]),
        "--token-file", str(files["token"]),
        "--expect-file", str(files["expect"]),
        "--connections", str(args.connections),
        "--warmup", str(args.warmup),
        "--duration", str(args.duration),
    ]  # fmt: skip
    proc = await children.start(*argv, env=dict(os.environ), cwd=ROOT, log=None, stdout_pipe=True)
    assert proc.stdout is not None
    try:
        line = await asyncio.wait_for(proc.stdout.readline(), args.warmup + 60)
        if line.strip() != b"measuring":
            raise RuntimeError(f"load generator: unexpected output {line!r}")
        busy0 = machine_busy_seconds()
        cpu0, pg0 = tree_cpu_seconds(server.proc.pid), await backend_cpu(pg)
        result_line = await asyncio.wait_for(proc.stdout.readline(), args.duration + 120)
        cpu1, pg1 = tree_cpu_seconds(server.proc.pid), await backend_cpu(pg)
        busy1 = machine_busy_seconds()
        await proc.wait()
    finally:
        await children.stop(proc)
    if not result_line:
        raise RuntimeError(f"load generator against {server.name} failed")
    r = json.loads(result_line)
    return Round(
        requests=r["requests"],
        seconds=r["seconds"],
        p50_ms=r["p50_ms"],
        p99_ms=r["p99_ms"],
        errors=r["errors"],
        server_cpu_s=cpu1 - cpu0,
        pg_cpu_s=backend_delta(pg0, pg1),
        generator_cpu_s=r["generator_cpu_s"],
        machine_cpu_s=busy1 - busy0,
        latencies_ms=r["latencies_ms"],
    )


# --- correctness and statement counts ------------------------------------------------------


def _without_end_cursor(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_end_cursor(v) for k, v in value.items() if k != "endCursor"}
    if isinstance(value, list):
        return [_without_end_cursor(v) for v in value]
    return value


def first_difference(a: Any, b: Any, path: str = "$") -> str | None:
    if type(a) is not type(b):
        return f"{path}: {a!r} != {b!r}"
    if isinstance(a, dict):
        if list(a) != list(b):
            return f"{path}: keys {list(a)} != {list(b)}"
        for k in a:
            if (d := first_difference(a[k], b[k], f"{path}.{k}")) is not None:
                return d
        return None
    if isinstance(a, list):
        if len(a) != len(b):
            return f"{path}: {len(a)} items != {len(b)}"
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            if (d := first_difference(x, y, f"{path}[{i}]")) is not None:
                return d
        return None
    return None if a == b else f"{path}: {a!r} != {b!r}"


async def one_connection_p50(server: Server, body: bytes, token: str) -> float:
    """Median latency (ms) of sequential requests on one keep-alive connection, unloaded."""
    headers = {"content-type": "application/json", "authorization": f"Bearer {token}"}
    samples: list[float] = []
    async with httpx.AsyncClient(base_url=server.url, timeout=60) as client:
        await client.post("/graphql", content=body, headers=headers)
        deadline = time.perf_counter() + 1.5
        while len(samples) < 5 or (time.perf_counter() < deadline and len(samples) < 200):
            started = time.perf_counter()
            response = await client.post("/graphql", content=body, headers=headers)
            samples.append(1000 * (time.perf_counter() - started))
            if response.status_code != 200:
                raise RuntimeError(f"{server.name}: HTTP {response.status_code}")
    return sorted(samples)[len(samples) // 2]


async def post(server: Server, body: bytes, token: str) -> bytes:
    async with httpx.AsyncClient(base_url=server.url, timeout=60) as client:
        response = await client.post(
            "/graphql",
            content=body,
            headers={"content-type": "application/json", "authorization": f"Bearer {token}"},
        )
    if response.status_code != 200:
        raise RuntimeError(f"{server.name}: HTTP {response.status_code}: {response.text[:500]}")
    return response.content


async def compare(
    steward: Server, floor: Server, body: bytes, token: str
) -> tuple[str, bool, bytes, bytes]:
    """(what was found, whether it matched, Steward's body, the floor's body)."""
    ours, theirs = await post(steward, body, token), await post(floor, body, token)
    s, f = json.loads(ours), json.loads(theirs)
    if "errors" in s:
        return f"Steward answered errors: {s['errors']}", False, ours, theirs
    if s == f:
        same = "byte-identical" if ours == theirs else "bytes differ (whitespace/escaping)"
        return f"MATCH (parsed JSON equal; {same}; {len(ours):,} bytes)", True, ours, theirs
    if _without_end_cursor(s) == _without_end_cursor(f):
        cursors = (
            s["data"]["node"]["processes"]["pageInfo"]["endCursor"],
            f["data"]["node"]["processes"]["pageInfo"]["endCursor"],
        )
        return (
            "MATCH except pageInfo.endCursor (cursor format changed?): Steward "
            f"{_b64url_text(cursors[0])!r}, floor {_b64url_text(cursors[1])!r}",
            True,
            ours,
            theirs,
        )
    return f"NO MATCH: {first_difference(s, f)}", False, ours, theirs


def _b64url_text(cursor: Any) -> str:
    if not isinstance(cursor, str):
        return repr(cursor)
    try:
        return base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except ValueError:
        return cursor


async def count_statements(
    children: Children,
    url: str,
    redis_url: str,
    tenant: TenantRef,
    token: str,
    bodies: dict[int, bytes],
    tmp: Path,
) -> tuple[dict[tuple[int, str], dict[str, float]], dict[int, list[str]]]:
    base = make_url(url)
    counts: dict[tuple[int, str], dict[str, float]] = {}
    listing: dict[int, list[str]] = {}
    async with StatementCounter(base.host or "127.0.0.1", base.port or 5432) as counter:
        proxied = base.set(host="127.0.0.1", port=counter.port)
        steward_url = proxied.render_as_string(hide_password=False)
        floor_dsn = proxied.set(drivername="postgresql").render_as_string(hide_password=False)
        steward = await start_steward(children, "steward-count", steward_url, redis_url, tmp)
        floor = await start_floor(children, "floor-count", floor_dsn, tenant, token, tmp)
        try:
            for n, body in bodies.items():
                for server in (floor, steward):
                    for _ in range(3):  # warm: pools, type introspection, statement caches
                        await post(server, body, token)
                    await asyncio.sleep(0.2)
                    mark = counter.tally.mark()
                    for _ in range(COUNT_REQUESTS):
                        await post(server, body, token)
                    await asyncio.sleep(0.2)  # anything sent after the response
                    statements, trips = counter.tally.since(mark)
                    kind = "floor" if server is floor else "steward"
                    counts[(n, kind)] = summarize(statements, trips, COUNT_REQUESTS)
                    if kind == "steward":
                        listing[n] = statements[: len(statements) // COUNT_REQUESTS]
        finally:
            await children.stop(steward.proc)
            await children.stop(floor.proc)
    return counts, listing


# --- the run ------------------------------------------------------------------------------


def _fmt(value: float, digits: int = 1) -> str:
    return f"{value:,.{digits}f}"


def _percentile(sorted_ms: list[float], q: float) -> float:
    if not sorted_ms:
        return float("nan")
    return sorted_ms[min(len(sorted_ms) - 1, max(0, round(q * (len(sorted_ms) - 1))))]


def report(
    results: dict[tuple[int, str], list[Round]],
    counts: dict[tuple[int, str], dict[str, float]],
    idle: dict[tuple[int, str], float],
    sizes: tuple[int, ...],
) -> None:
    table = Table(title="W1 process map: Steward vs one-statement floor")
    for column in (
        "N", "server", "req/s (each round)", "p50 ms", "p99 ms", "1-conn p50 ms",
        "server CPU ms/req", "PG CPU ms/req", "SQL/req data+control", "PG round trips/req",
        "rest of machine",
        "errors",
    ):  # fmt: skip
        table.add_column(column, justify="left" if column == "server" else "right")
    ratios = Table(title="Steward / floor")
    for column in (
        "N", "throughput", "p99 latency", "1-conn p50", "server CPU/req", "server+PG CPU/req",
    ):  # fmt: skip
        ratios.add_column(column, justify="right")
    for n in sizes:
        agg: dict[str, dict[str, float]] = {}
        for kind in ("floor", "steward"):
            rounds = results[(n, kind)]
            requests = sum(r.requests for r in rounds)
            seconds = sum(r.seconds for r in rounds)
            latencies = sorted(x for r in rounds for x in r.latencies_ms)
            agg[kind] = {
                "rps": requests / seconds,
                "p50": _percentile(latencies, 0.50),
                "p99": _percentile(latencies, 0.99),
                "idle": idle[(n, kind)],
                "cpu": 1000 * sum(r.server_cpu_s for r in rounds) / max(requests, 1),
                "pg": 1000 * sum(r.pg_cpu_s for r in rounds) / max(requests, 1),
            }
            c = counts.get((n, kind))
            stmts = f"{c['data']:.1f} + {c['control']:.1f}" if c else "-"
            if c and c["ping"]:
                stmts += f" + {c['ping']:.1f} ping"
            a = agg[kind]
            table.add_row(
                str(n),
                kind,
                f"{_fmt(a['rps'])} ({' / '.join(_fmt(r.rps) for r in rounds)})",
                _fmt(a["p50"]),
                _fmt(a["p99"]),
                _fmt(a["idle"]),
                _fmt(a["cpu"], 2),
                _fmt(a["pg"], 2),
                stmts,
                f"{c['round_trips']:.1f}" if c else "-",
                " / ".join(f"{r.other_cores:.2f}" for r in rounds),
                str(sum(r.errors for r in rounds)),
            )
        s, f = agg["steward"], agg["floor"]
        ratios.add_row(
            str(n),
            f"{s['rps'] / f['rps']:.3f}x",
            f"{s['p99'] / f['p99']:.1f}x",
            f"{s['idle'] / f['idle']:.1f}x",
            f"{s['cpu'] / f['cpu']:.1f}x" if f["cpu"] else "-",
            f"{(s['cpu'] + s['pg']) / (f['cpu'] + f['pg']):.1f}x" if f["cpu"] + f["pg"] else "-",
        )
    console.print(table)
    console.print(ratios)
    console.print(
        "p50/p99: over every request of the rounds, closed loop, so under load they are mostly "
        "queueing (connections / throughput); 1-conn p50: sequential requests, no load. CPU per "
        "request: utime+stime over the measured window / requests (10 ms ticks). PG CPU: the "
        "scratch database's backends. Rest of machine: cores busy with anything else in each "
        "round (other processes, kernel loopback work); high values mean a noisy neighbour. "
        "SQL/req counted on the wire (control: BEGIN, SET LOCAL ROLE, COMMIT, ...)."
    )


async def run(url: str, args: argparse.Namespace, tmp: Path, children: Children) -> int:
    sizes = tuple(int(s) for s in args.sizes.split(","))
    redis_url = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
    engine = make_engine(url, statement_timeout_ms=600_000)
    try:
        await migrate_shared(engine)
        tenant = await create_tenant(engine, slug=f"benchr{uuid.uuid4().hex[:8]}", name="Bench")
        seeded: Seeded = await seed_w1(engine, tenant, sizes)
        async with engine.connect() as conn, conn.begin():
            token = (await issue_token(conn, tenant=tenant, role="admin", name="bench")).secret
    finally:
        await engine.dispose()
    console.print(f"Seeded {seeded.describe()}.")
    console.print("Each round: N processes asked with first=N (one page, hasNextPage false).")

    query = W1_QUERY_NO_CURSOR if args.no_end_cursor else W1_QUERY
    (tmp / "token").write_text(token)
    bodies: dict[int, bytes] = {}
    for n in sizes:
        gid = base64.b64encode(f"ClientOrganisation:{seeded.measured[n].client_id}".encode())
        bodies[n] = json.dumps(
            {"query": query, "variables": {"id": gid.decode(), "first": n}}
        ).encode()
        (tmp / f"body{n}.json").write_bytes(bodies[n])

    floor_dsn = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    steward = await start_steward(children, "steward", url, redis_url, tmp)
    floor = await start_floor(children, "floor", floor_dsn, tenant, token, tmp)
    extra = " ".join(f"{k}={v}" for k, v in STEWARD_EXTRA.items()) or "none"
    console.print(
        f"Steward (steward serve, pid {steward.proc.pid}, extra environment: {extra}) "
        f"on :{steward.port}; "
        f"floor (read_floor, pid {floor.proc.pid}) on :{floor.port}."
    )

    status = 0
    for n in sizes:
        verdict, ok, expected, floor_body = await compare(steward, floor, bodies[n], token)
        # Under load each server's answers are checked against its own, verified above.
        (tmp / f"expect-steward{n}.json").write_bytes(expected)
        (tmp / f"expect-floor{n}.json").write_bytes(floor_body)
        if args.save_answers:
            folder = Path(args.save_answers)
            folder.mkdir(parents=True, exist_ok=True)
            (folder / f"steward-{n}.json").write_bytes(expected)
            (folder / f"floor-{n}.json").write_bytes(floor_body)
        console.print(f"N={n}: floor vs Steward: {verdict}")
        if not ok:
            status = 1

    counts, listing = await count_statements(children, url, redis_url, tenant, token, bodies, tmp)
    if args.show_statements:
        for n, statements in listing.items():
            console.print(f"Statements of one Steward request, N={n}:")
            for sql in statements:
                console.print("  " + " ".join(sql.split())[:160])

    async with contextlib.AsyncExitStack() as stack:
        pg = await asyncpg.connect(make_url(floor_dsn).render_as_string(hide_password=False))
        stack.push_async_callback(pg.close)
        results: dict[tuple[int, str], list[Round]] = {}
        idle: dict[tuple[int, str], float] = {}
        for n in sizes:
            for kind, server in (("floor", floor), ("steward", steward)):
                idle[(n, kind)] = await one_connection_p50(server, bodies[n], token)
            for _ in range(args.repeats):
                for kind, server in (("floor", floor), ("steward", steward)):
                    files = {
                        "body": tmp / f"body{n}.json",
                        "token": tmp / "token",
                        "expect": tmp / f"expect-{kind}{n}.json",
                    }
                    r = await run_round(children, server, files, pg, args)
                    results.setdefault((n, kind), []).append(r)
                    console.print(
                        f"  N={n:<4} {kind:<8} {r.rps:9.1f} req/s  p50 {r.p50_ms:8.1f} ms  "
                        f"p99 {r.p99_ms:8.1f} ms  errors {r.errors}  "
                        f"load generator {1000 * r.generator_cpu_s / max(r.requests, 1):.2f} "
                        f"ms/req, rest of machine {r.other_cores:.2f} cores"
                    )
                    if r.errors:
                        status = 1
    for server in (steward, floor):
        if server.proc.returncode is not None:
            console.print(f"{server.name} exited early:\n{tail(server.log)}")
            status = 1
    report(results, counts, idle, sizes)
    return status


async def main(args: argparse.Namespace) -> int:
    task = asyncio.current_task()
    assert task is not None
    loop = asyncio.get_running_loop()
    loop.add_signal_handler(signal.SIGTERM, task.cancel)
    tmp = Path(tempfile.mkdtemp(prefix="bench_read_"))
    children = Children()
    try:
        async with scratch_database("steward_bench_read") as url:
            try:
                return await run(url, args, tmp, children)
            finally:
                await children.stop_all()  # before the database is dropped
    finally:
        await children.stop_all()
        shutil.rmtree(tmp, ignore_errors=True)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=5.0, help="measured seconds a round")
    parser.add_argument("--warmup", type=float, default=1.0, help="seconds before measuring")
    parser.add_argument("--repeats", type=int, default=2, help="rounds per server and N")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--sizes", default="5,50,100", help="processes of the measured clients")
    parser.add_argument("--no-end-cursor", action="store_true", help="W1 without endCursor")
    parser.add_argument("--show-statements", action="store_true", help="list Steward's SQL")
    parser.add_argument("--save-answers", metavar="DIR", help="write both answers per N there")
    parser.add_argument(
        "--steward-env",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="extra environment for steward serve, e.g. STEWARD_READ_PATH=ordinary",
    )
    args = parser.parse_args()
    for item in args.steward_env:
        key, sep, value = item.partition("=")
        if not sep or not key:
            parser.error(f"--steward-env wants KEY=VALUE, got {item!r}")
        STEWARD_EXTRA[key] = value
    return args


if __name__ == "__main__":
    try:
        sys.exit(asyncio.run(main(parse_args())))
    except (KeyboardInterrupt, asyncio.CancelledError):  # Ctrl-C, SIGTERM: cleaned up already
        print("interrupted: subprocesses stopped, scratch database dropped", file=sys.stderr)
        sys.exit(130)
