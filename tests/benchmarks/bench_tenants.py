"""Benchmark: a thousand tenants on one PostgreSQL server and one API process.

Run: `make bench-tenants` or `python -m tests.benchmarks.bench_tenants [--tenants 1000]
[--duration 20] [--warmup 5] [--connections 8] [--concurrency 2] [--max-minutes 30]
[--statements qualified --statements shared] [--warm-passes 2]`
(DATABASE_URL, else the local server at 127.0.0.1:5432; REDIS_URL, else
redis://127.0.0.1:6379/0). Figures are printed, not asserted: they depend on the machine.

In one run, in a scratch database (tests/support.py `scratch_database`):

1. **Provisioning.** `create_tenant` N times, one after the other, as `steward tenants
   create` does: seconds per tenant (mean, and of the first and last tenth, to show whether
   the cost grows with the number of tenants already there).
2. **Mixed workload over HTTP.** `steward serve` as a real subprocess (production settings,
   as bench_read), an admin API token per tenant, each tenant seeded through the services
   with one client organisation and two processes. A closed loop of `--connections` keep-alive
   connections sends a cycle of five operations per tenant visit: three queries (a client
   list with coverage, a client's process map, the viewer with a process page) and two
   mutations (createOwner, reportIncident). The same load runs on one tenant (the baseline)
   and round robin over all N tenants (each tenant gets a whole cycle, then the next
   tenant), each `--warmup` s then `--duration` s measured. Reported: requests/s, p50/p99,
   the N-tenant ratio to the baseline, and resident memory after each phase: the API
   process (VmRSS) and the anonymous memory of the database's PostgreSQL backends (RssAnon;
   prepared statements live there).
   `--statements qualified` serves as the code did before tenants shared statements
   (tests/benchmarks/tenants_serve.py), `shared` as it does now; given both, both run on the
   same tenants, one server after the other.
   Before the measured round robin, `--warm-passes` K whole passes over all N tenants run
   unmeasured, each printed with its rate: the first is the cold regime (every tenant new
   to the backend that serves it), the later ones show how far the backends have warmed.
3. **Migration.** An additive migration (a nullable column on `client_organisations`)
   applied to every tenant by the real `steward tenants migrate --concurrency C`: the tenant
   history is copied to a temporary folder with one extra revision, and the CLI is run
   through tests/benchmarks/tenants_migrate_cli.py, which points Alembic at the copy. No
   migration is committed. Seconds per schema (CLI wall time / N, process start included).

Time is bounded by `--max-minutes` (provisioning stops early and the run goes on with the
tenants made, or the run ends), and cleanup always runs, on error or Ctrl-C too: the API
subprocess is stopped, the scratch database dropped, and every role of its tenants (named
`st_<digest of the database><incarnation>_<slug>`) dropped by name from `pg_roles`, so a run
interrupted halfway through provisioning leaves no role behind either. Dropping 1,000 tenants
one by one would take minutes, so the registry is emptied first and the database dropped whole.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import hashlib
import itertools
import os
import shutil
import signal
import statistics
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import asyncpg
import orjson
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine

import tenants.engine
import tenants.provisioning
from schema.ids import global_id
from tenants import models as m
from tenants.engine import make_engine
from tenants.fleet import migrate_shared
from tenants.migrate import TENANT, head_of, upgrade_tenant
from tenants.provisioning import create_tenant, drop_tenant
from tenants.registry import TenantRef
from tenants.services.clients import create_client
from tenants.services.processes import create_process
from tenants.session import tenant_session
from tenants.tokens import issue_token
from tests.benchmarks.processes import ROOT, Children, Server, production_env, start_server
from tests.benchmarks.read_load import build_request, read_response
from tests.benchmarks.read_seed import ACTOR
from tests.benchmarks.usage import (
    api_rss_mib,
    backend_cpu,
    backend_delta,
    backends_anon_mib,
    tree_cpu_seconds,
)
from tests.support import LOCAL_POSTGRES, free_port, scratch_database

SERVE_MODULE = "tests.benchmarks.tenants_serve"
DEFAULT_CACHES = ",".join(
    str(n)
    for n in (tenants.engine.STATEMENT_CACHE_SIZE, tenants.engine.DRIVER_STATEMENT_CACHE_SIZE, 1024)
)

LIST = """query { viewer { name } clientOrganisations(first: 10) { totalCount edges { node {
  id name engagementStatus ownershipCoverage { liveProcesses coveredProcesses ratio } } } } }"""
MAP = """query($client: ID!) { node(id: $client) { ... on ClientOrganisation { name
  processes(first: 20) { totalCount edges { node { id name riskTier lifecycleStage
  accountableOwner { name } } } } } } }"""
VIEWER = """query { viewer { name role tenant { slug name } }
  clientOrganisations(first: 5, orderBy: {field: NAME, direction: ASC}) { edges { node {
  name processes(first: 5) { edges { node { name riskTier } } } } } } }"""
CREATE_OWNER = """mutation($client: ID!, $name: String!) { createOwner(input: {
  clientOrganisationId: $client, name: $name, title: "Head of claims"}) {
  owner { id name } errors { field code message } } }"""
REPORT_INCIDENT = """mutation($process: ID!, $at: DateTime!) { reportIncident(input: {
  processId: $process, title: "Drift on invoices", severity: LOW, occurredAt: $at}) {
  incident { id } errors { field code message } } }"""


QUERY_NAMES = ("list", "createOwner", "map", "reportIncident", "viewer")  # one cycle


@dataclass
class Seeded:
    tenant: TenantRef
    token: str
    client: str = ""
    process: str = ""
    requests: list[bytes] = field(default_factory=list)  # one cycle, built once


def body(query: str, variables: dict[str, Any] | None = None) -> bytes:
    return orjson.dumps({"query": query, "variables": variables or {}})


def cycle(seeded: Seeded, port: int) -> list[bytes]:
    """The five requests of one tenant visit: three queries, two mutations."""
    at = datetime.now(UTC).isoformat()
    bodies = [
        body(LIST),
        body(CREATE_OWNER, {"client": seeded.client, "name": "Dana Reyes"}),
        body(MAP, {"client": seeded.client}),
        body(REPORT_INCIDENT, {"process": seeded.process, "at": at}),
        body(VIEWER),
    ]
    return [build_request("127.0.0.1", port, "/graphql", b, seeded.token) for b in bodies]


# --- HTTP --------------------------------------------------------------------------------


async def post_json(port: int, payload: bytes, token: str) -> dict[str, Any]:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(build_request("127.0.0.1", port, "/graphql", payload, token))
        await writer.drain()
        head = await reader.readuntil(b"\r\n\r\n")
        length = 0
        for line in head.decode("latin-1").split("\r\n")[1:]:
            name, _, value = line.partition(":")
            if name.strip().lower() == "content-length":
                length = int(value)
        answer: dict[str, Any] = orjson.loads(await reader.readexactly(length))
    finally:
        writer.close()
    if answer.get("errors"):
        raise RuntimeError(f"GraphQL errors: {answer['errors']}")
    return answer


async def seed(engine: AsyncEngine, seeded: Seeded) -> None:
    """One client organisation and two processes, through the services (as read_seed)."""
    async with tenant_session(engine, seeded.tenant) as db:
        client = await create_client(
            db,
            actor=ACTOR,
            name="Northwind",
            industry="Insurance",
            engagement_status=m.EngagementStatus.ACTIVE,
        )
        for name in ("Invoice processing", "Claims triage"):
            process = await create_process(
                db,
                actor=ACTOR,
                client_id=client.id,
                name=name,
                lifecycle_stage=m.LifecycleStage.PRODUCTION,
                risk_tier=m.RiskTier.HIGH,
            )
    seeded.client = global_id("ClientOrganisation", client.id)
    seeded.process = global_id("AIProcess", process.id)


async def check_answers(port: int, seeded: Seeded) -> None:
    """Every request of a cycle answers without GraphQL errors (else the figures lie)."""
    for request in cycle(seeded, port):
        payload = request.split(b"\r\n\r\n", 1)[1]
        await post_json(port, payload, seeded.token)


@dataclass
class LoadResult:
    requests: int
    seconds: float
    errors: int
    latencies_ms: list[float]
    all_requests: int = 0  # warm-up included, for CPU per request
    api_cpu_s: float = 0.0  # warm-up included
    pg_cpu_s: float = 0.0

    @property
    def rps(self) -> float:
        return self.requests / self.seconds

    def percentile(self, q: float) -> float:
        if not self.latencies_ms:
            return 0.0
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def run_load(
    port: int,
    tenants: list[Seeded],
    connections: int,
    warmup: float,
    duration: float,
    budget: int | None = None,
) -> LoadResult:
    """A closed loop: each connection takes the next request of a shared round robin
    (until `budget` requests are sent, when given)."""
    per_visit = len(tenants[0].requests)
    order = itertools.count()
    started = time.monotonic()
    measure_from, measure_to = started + warmup, started + warmup + duration
    latencies: list[float] = []
    counts = {"errors": 0, "done": 0, "all": 0}

    async def one() -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            while time.monotonic() < measure_to:
                i = next(order)
                if budget is not None and i >= budget:
                    break
                request = tenants[(i // per_visit) % len(tenants)].requests[i % per_visit]
                sent = time.monotonic()
                writer.write(request)
                status, _ = await read_response(reader)
                now = time.monotonic()
                counts["all"] += 1
                if measure_from <= sent and now <= measure_to:
                    latencies.append((now - sent) * 1000)
                    counts["done"] += 1
                    if status != 200:
                        counts["errors"] += 1
        finally:
            writer.close()

    await asyncio.gather(*(one() for _ in range(connections)))
    seconds = duration if budget is None else time.monotonic() - started - warmup
    return LoadResult(counts["done"], seconds, counts["errors"], latencies, counts["all"])


async def warm_passes(
    port: int, tenants: list[Seeded], args: argparse.Namespace, pg: asyncpg.Connection
) -> None:
    """`--warm-passes` unmeasured passes over every tenant, each printed with its rate."""
    per_pass = len(tenants) * len(tenants[0].requests)
    for number in range(1, args.warm_passes + 1):
        result = await run_load(port, tenants, args.connections, 0.0, 3600.0, budget=per_pass)
        backends, anon = await backends_anon_mib(pg)
        print(
            f"  warm pass {number}: {result.rps:7.1f} req/s over {len(tenants)} tenants "
            f"({result.seconds:.1f}s, errors {result.errors}); PostgreSQL backends "
            f"{backends}: {anon:6.1f} MiB anon"
        )


# --- migration ---------------------------------------------------------------------------

EXTRA_REVISION = '''"""bench_tenants: an additive migration (never committed)

Revision ID: bench_additive
Revises: {head}
"""

import sqlalchemy as sa
from alembic import op

revision = "bench_additive"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("client_organisations", sa.Column("bench_note", sa.Text(), nullable=True))


def downgrade() -> None:
    op.drop_column("client_organisations", "bench_note")
'''


def history_with_extra_revision(folder: Path) -> Path:
    """A copy of the tenant history with one additive revision on top; its location."""
    location = folder / "tenant"
    shutil.copytree(TENANT, location, ignore=shutil.ignore_patterns("__pycache__"))
    head = head_of(TENANT)
    (location / "versions" / "9999_bench_additive.py").write_text(EXTRA_REVISION.format(head=head))
    return location


async def migrate_cli(url: str, location: Path, concurrency: int, timeout: float) -> float:
    env = {k: v for k, v in os.environ.items() if not k.startswith("STEWARD_")}
    env.update(DATABASE_URL=url, STEWARD_ENV="test", BENCH_TENANT_MIGRATIONS=str(location))
    env.setdefault("REDIS_URL", "redis://127.0.0.1:6379/0")
    argv = [sys.executable, "-m", "tests.benchmarks.tenants_migrate_cli", "tenants", "migrate"]
    argv += ["--concurrency", str(concurrency)]
    started = time.perf_counter()
    proc = await asyncio.create_subprocess_exec(
        *argv,
        env=env,
        cwd=ROOT,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        start_new_session=True,
    )
    try:
        out, errors = await asyncio.wait_for(proc.communicate(), timeout)
    finally:
        if proc.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, 9)
            await proc.wait()
    elapsed = time.perf_counter() - started
    if proc.returncode != 0 or b" 0 failed" not in out:
        raise RuntimeError(f"migrate failed: {out.decode()[-2000:]}{errors.decode()[-2000:]}")
    return elapsed


# --- cleanup -----------------------------------------------------------------------------


@contextlib.asynccontextmanager
async def scratch(prefix: str) -> AsyncIterator[str]:
    """`scratch_database`, emptied fast: registry truncated, database dropped, roles by name."""
    database = ""
    try:
        async with scratch_database(prefix) as url:
            database = str(make_url(url).database)
            try:
                yield url
            finally:
                conn = await asyncpg.connect(_dsn(url))
                try:
                    if await conn.fetchval("SELECT to_regclass('public.tenants')"):
                        # Nothing left for scratch_database's drop-one-by-one pass.
                        await conn.execute("TRUNCATE public.tenants CASCADE")
                finally:
                    await conn.close()
    finally:
        if database:
            await drop_roles(database)


def _dsn(url: str) -> str:
    return url.replace("postgresql+asyncpg://", "postgresql://", 1)


async def drop_roles(database: str) -> int:
    """Drop every tenant role of `database` (after the database itself is gone)."""
    prefix = "st_" + hashlib.sha256(database.encode()).hexdigest()[:8]  # then _slug or inc_slug
    server = os.environ.get("DATABASE_URL") or LOCAL_POSTGRES
    conn = await asyncpg.connect(_dsn(server.replace("postgres://", "postgresql://", 1)))
    try:
        roles = await conn.fetch(
            "SELECT rolname FROM pg_roles WHERE starts_with(rolname, $1)", prefix
        )
        for row in roles:
            name = row["rolname"].replace('"', '""')
            await conn.execute(f'DROP ROLE IF EXISTS "{name}"')
        return len(roles)
    finally:
        await conn.close()


# --- the run -----------------------------------------------------------------------------


def _fmt_load(
    label: str, result: LoadResult, tenants: int, rss: float, pg: tuple[int, float]
) -> str:
    # Visits per tenant in the window: below a few, most statements of a tenant are
    # new to the backend that runs them (prepare, relation cache), the cold regime.
    visits = result.requests / (len(QUERY_NAMES) * tenants)
    return (
        f"  {label:<14} {result.rps:7.1f} req/s  p50 {result.percentile(0.5):6.1f} ms  "
        f"p99 {result.percentile(0.99):6.1f} ms  errors {result.errors}  "
        f"visits/tenant {visits:5.1f}  CPU ms/request API "
        f"{1000 * result.api_cpu_s / max(1, result.all_requests):.1f} PostgreSQL "
        f"{1000 * result.pg_cpu_s / max(1, result.all_requests):.1f}  "
        f"API RSS {rss:6.1f} MiB  PostgreSQL backends {pg[0]}: {pg[1]:6.1f} MiB anon"
    )


async def start_variant(
    children: Children, url: str, tmp: Path, variant: tuple[str, str], name: str
) -> Server:
    """`steward serve` as bench_read starts it, through tenants_serve (sets the variant's
    caches and statements first)."""
    caches, statements = variant
    port = free_port()
    redis_url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    env = production_env(
        url,
        redis_url,
        port,
        tmp,
        log_level="WARNING",
        BENCH_CACHES=caches,
        BENCH_STATEMENTS=statements,
        PYTHONPATH=str(ROOT),
    )
    argv = (sys.executable, "-m", SERVE_MODULE, "serve")
    # cwd: no stray .env
    return await start_server(children, name, argv, env=env, cwd=tmp, port=port, log_dir=tmp)


async def workload(
    args: argparse.Namespace,
    url: str,
    seeded: list[Seeded],
    children: Children,
    tmp: Path,
    left: Callable[[], float],
) -> None:
    """Phase 2: the same mixed load on one tenant and round robin over all of them."""
    pg = await asyncpg.connect(_dsn(url))
    try:
        variants = itertools.product(args.caches or [DEFAULT_CACHES], args.statements or ["shared"])
        for number, variant in enumerate(variants):
            server = await start_variant(children, url, tmp, variant, f"steward{number}")
            assert server.proc.pid is not None
            if number == 0:
                print(
                    f"mixed workload, {args.connections} connections, cycles of 3 queries "
                    f"and 2 mutations, {args.warmup:g}s warm-up + {args.duration:g}s measured:"
                )
            for s in seeded:
                s.requests = cycle(s, server.port)
            for s in (seeded[0], seeded[-1]):
                await check_answers(server.port, s)
            caches, statements = variant
            print(
                f" {statements} statements, caches orm,driver,plans = {caches}; API RSS at "
                f"start {api_rss_mib(server.proc.pid):.1f} MiB"
            )
            results: dict[str, list[LoadResult]] = {"one": [], "all": []}
            for _ in range(args.repeats):
                for key, subset in (("one", seeded[:1]), ("all", seeded)):
                    if left() < args.warmup + args.duration + 120:
                        raise TimeoutError("--max-minutes reached during the workload")
                    if key == "all":
                        await warm_passes(server.port, subset, args, pg)
                    cpu0, pg0 = tree_cpu_seconds(server.proc.pid), await backend_cpu(pg)
                    result = await run_load(
                        server.port, subset, args.connections, args.warmup, args.duration
                    )
                    result.api_cpu_s = tree_cpu_seconds(server.proc.pid) - cpu0
                    result.pg_cpu_s = backend_delta(pg0, await backend_cpu(pg))
                    results[key].append(result)
                    label = "1 tenant" if key == "one" else f"{len(subset)} tenants"
                    rss = api_rss_mib(server.proc.pid)
                    pg_mib = await backends_anon_mib(pg)
                    print(_fmt_load(label, result, len(subset), rss, pg_mib))
            one = statistics.mean(r.rps for r in results["one"])
            spread = statistics.mean(r.rps for r in results["all"])
            print(f"  {len(seeded)} tenants / 1 tenant: {spread / one:.2f}x (target >= 0.8x)")
            await children.stop(server.proc)
    finally:
        await pg.close()
        await children.stop_all()


async def provisioning_baseline(engine: AsyncEngine, pairs: int) -> None:
    """create_tenant as it is against create_tenant running the online migrations (the
    path before the rendered script), alternating, then both sets dropped again."""
    timings: dict[str, list[float]] = {"online": [], "script": []}
    made: list[str] = []
    module: Any = tenants.provisioning  # its create_tenant_schema_objects, swapped in turn
    try:
        for i in range(pairs):
            for kind, step in (
                ("online", upgrade_tenant),
                ("script", module.create_tenant_schema_objects),
            ):
                saved = module.create_tenant_schema_objects
                module.create_tenant_schema_objects = step
                try:
                    started = time.perf_counter()
                    ref = await create_tenant(engine, slug=f"base{kind}{i:03d}", name="Baseline")
                    timings[kind].append(time.perf_counter() - started)
                    made.append(ref.slug)
                finally:
                    module.create_tenant_schema_objects = saved
    finally:
        for slug in made:
            await drop_tenant(engine, slug=slug)
    online, script = (statistics.median(timings[k]) for k in ("online", "script"))
    print(
        f"provisioning baseline, {pairs} pairs alternating: online migrations (before) "
        f"{online:.3f} s, rendered script {script:.3f} s per tenant (median): "
        f"{script / online:.2f}x"
    )


async def run(args: argparse.Namespace) -> None:
    deadline: float = time.monotonic() + float(args.max_minutes) * 60

    def left() -> float:
        return deadline - time.monotonic()

    async with scratch("bench_tenants") as url:
        engine = make_engine(url)
        children = Children()
        tmp = Path(tempfile.mkdtemp(prefix="bench_tenants_"))
        try:
            await migrate_shared(engine)
            if args.baseline:
                await provisioning_baseline(engine, args.baseline)
            print(f"provisioning {args.tenants} tenants (create_tenant, one after another)")
            seconds: list[float] = []
            refs: list[TenantRef] = []
            budget = deadline - 0.45 * args.max_minutes * 60  # leave time for the rest
            for i in range(args.tenants):
                started = time.perf_counter()
                refs.append(await create_tenant(engine, slug=f"bench{i:04d}", name=f"Bench {i}"))
                seconds.append(time.perf_counter() - started)
                if time.monotonic() > budget:
                    print(f"  time budget reached: going on with {len(refs)} tenants")
                    break
            tenth = max(1, len(seconds) // 10)
            print(
                f"  {len(refs)} tenants in {sum(seconds):.1f}s: "
                f"{statistics.mean(seconds):.3f} s per tenant (first tenth "
                f"{statistics.mean(seconds[:tenth]):.3f}, last tenth "
                f"{statistics.mean(seconds[-tenth:]):.3f}, target <= 0.3)"
            )

            async with engine.connect() as conn, conn.begin():
                tokens = [
                    (await issue_token(conn, tenant=t, role="admin", name="bench")).secret
                    for t in refs
                ]
            seeded = [Seeded(t, token) for t, token in zip(refs, tokens, strict=True)]
            started = time.perf_counter()
            for s in seeded:
                await seed(engine, s)
            print(
                f"seeded {len(seeded)} tenants (1 client, 2 processes each, through the "
                f"services) in {time.perf_counter() - started:.1f}s"
            )
            if not args.no_workload:
                await workload(args, url, seeded, children, tmp, left)

            location = history_with_extra_revision(tmp)
            timeout = max(60.0, left() - 30)
            elapsed = await migrate_cli(url, location, args.concurrency, timeout)
            print(
                f"steward tenants migrate --concurrency {args.concurrency}, one additive "
                f"revision: {elapsed:.1f}s for {len(refs)} schemas, "
                f"{1000 * elapsed / len(refs):.0f} ms per schema (target <= 100)"
            )
            async with engine.connect() as conn:
                behind = await conn.scalar(
                    text("SELECT count(*) FROM tenants WHERE schema_revision <> 'bench_additive'")
                )
            print(f"  schemas not at the extra revision afterwards: {behind}")
        finally:
            await children.stop_all()
            await engine.dispose()
            shutil.rmtree(tmp, ignore_errors=True)
            print("cleaning up: registry, database, tenant roles")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tenants", type=int, default=1000)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--warmup", type=float, default=5.0)
    parser.add_argument("--duration", type=float, default=20.0)
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument(
        "--baseline", type=int, default=20, help="pairs: online migrations vs rendered script"
    )
    parser.add_argument("--concurrency", type=int, default=2, help="steward tenants migrate")
    parser.add_argument("--max-minutes", type=float, default=30.0)
    parser.add_argument(
        "--caches",
        action="append",
        help="orm,driver,plans cache sizes for a workload run (repeatable; default: the code's)",
    )
    parser.add_argument(
        "--statements",
        action="append",
        choices=("qualified", "shared"),
        help="a workload run with every tenant's own schema-qualified statements (as before) "
        "or statements shared by tenants at one revision (repeatable; default: shared)",
    )
    parser.add_argument(
        "--warm-passes",
        type=int,
        default=2,
        help="unmeasured passes over all tenants before the measured round robin",
    )
    parser.add_argument("--no-workload", action="store_true", help="provisioning and migration")
    args = parser.parse_args()
    # Ctrl-C: asyncio.run cancels the run, so every `finally` (servers, database, roles)
    # runs. A shell's `&` starts a job with SIGINT ignored, and `kill` sends SIGTERM:
    # both are routed to the same cancellation.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        asyncio.run(guarded(args))
    except (KeyboardInterrupt, asyncio.CancelledError):
        print("interrupted; cleaned up")
        raise SystemExit(130) from None


async def guarded(args: argparse.Namespace) -> None:
    task = asyncio.current_task()
    assert task is not None
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, task.cancel)
    await run(args)


if __name__ == "__main__":
    main()
