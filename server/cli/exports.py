"""`steward tenants export SLUG --output FILE` and `steward tenants import SLUG --input FILE`.

The export is a JSON-lines file of every tenant table (jobs/exports/tenant_json.py), streamed
from a server-side cursor with a progress bar; the import reads it back into an empty tenant
(only provisioning defaults) at the same migration head, in one transaction. Bad input is a
one-line error and exit code 2, as every other command.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from jobs.exports.scope import client_scope
from jobs.exports.tenant_json import Progress as ProgressFn
from jobs.exports.tenant_json import TenantImportError, export_tenant, import_tenant
from server.cli.support import CliError, fail, parse_id, tenant_ref, with_engine
from server.cli.tenants import tenants_app
from server.runtime import resolved_settings
from server.settings import load_settings
from tenants import models as m
from tenants.session import tenant_connection

console = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)  # the progress bar; errors go through fail()


Work = Callable[[AsyncEngine, ProgressFn], Awaitable[None]]


def _run(label: str, work: Work) -> None:
    """Run `work(engine, progress_callback)` with settings, a progress bar and one-line errors."""
    try:
        with (
            resolved_settings(load_settings()) as settings,
            Progress(
                TextColumn(label),
                BarColumn(),
                MofNCompleteColumn(),
                console=err,
                transient=True,  # a failure leaves only its one-line error behind
                disable=not err.is_terminal,  # no bar frames in a log or a pipe
            ) as bar,
        ):
            task = bar.add_task("rows", total=None)

            def progress(done: int, total: int) -> None:
                bar.update(task, completed=done, total=total)

            async def job(engine: AsyncEngine) -> None:
                await work(engine, progress)

            asyncio.run(with_engine(settings, job))
    except (CliError, TenantImportError, OSError) as exc:  # TenantImportError: a ValueError
        raise fail(str(exc)) from None


@tenants_app.command("export")
def export(
    slug: str,
    output: Path = typer.Option(..., "--output", "-o", help="File to write (JSON lines)"),
    client: str | None = typer.Option(
        None, "--client", help="Only this client's engagement (UUID or the GraphQL id)"
    ),
) -> None:
    """Export every object, relation and audit event of a tenant (offboarding), or of one
    client engagement with --client."""

    async def work(engine: AsyncEngine, progress: ProgressFn) -> None:
        ref = await tenant_ref(engine, slug)
        scope = None
        if client is not None:
            client_id = parse_id(client, "ClientOrganisation", "--client")
            async with tenant_connection(engine, ref) as conn:
                c = m.ClientOrganisation
                if await conn.scalar(select(c.id).where(c.id == client_id)) is None:
                    raise CliError(f"no client {client!r} in tenant {slug!r}")
            scope = client_scope(client_id)
        with output.open("x", encoding="utf-8") as out:  # never overwrite an earlier export
            stats = await export_tenant(engine, ref, out, progress=progress, scope=scope)
        console.print(f"exported {stats.rows} rows of {len(stats.tables)} tables to {output}")

    _run("exporting", work)


@tenants_app.command("import")
def import_(
    slug: str,
    input_: Path = typer.Option(..., "--input", "-i", help="A file `tenants export` wrote"),
) -> None:
    """Load an export into an empty tenant (create it first); all or nothing."""

    async def work(engine: AsyncEngine, progress: ProgressFn) -> None:
        ref = await tenant_ref(engine, slug)
        with input_.open(encoding="utf-8") as lines:
            rows = await import_tenant(engine, ref, lines, progress=progress)
        console.print(f"imported {rows} rows into tenant {ref.slug}")

    _run("importing", work)
