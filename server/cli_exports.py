"""`steward tenants export SLUG --output FILE` and `steward tenants import SLUG --input FILE`.

The export is a JSON-lines file of every tenant table (jobs/exports/tenant_json.py), streamed
from a server-side cursor with a progress bar; the import reads it back into an empty tenant
(only provisioning defaults) at the same migration head, in one transaction. Bad input is a
one-line error and exit code 2, as every other command.
"""

from __future__ import annotations

import asyncio
import uuid
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
from schema.ids import parse_global_id
from server.cli_support import with_engine
from server.cli_tenants import tenants_app
from server.runtime import resolved_settings
from server.settings import load_settings
from tenants import models as m
from tenants.registry import TenantRef, get_tenant
from tenants.session import tenant_connection

console = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)


class CliError(Exception):
    pass


Work = Callable[[AsyncEngine, ProgressFn], Awaitable[None]]


async def _tenant(engine: AsyncEngine, slug: str) -> TenantRef:
    async with engine.connect() as conn:
        ref = await get_tenant(conn, slug)
    if ref is None:
        raise CliError(f"no tenant {slug!r}")
    return ref


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
    except (CliError, TenantImportError, OSError) as exc:
        err.print(f"error: {exc}")
        raise typer.Exit(2) from None


def _client_id(value: str) -> uuid.UUID:
    """A raw UUID, or the global id GraphQL shows for a ClientOrganisation."""
    try:
        return uuid.UUID(value)
    except ValueError:
        parsed = parse_global_id(value)
        if parsed is None or parsed[0] != "ClientOrganisation":
            raise CliError(
                f"--client {value!r} is neither a UUID nor a ClientOrganisation id"
            ) from None
        return parsed[1]


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
        ref = await _tenant(engine, slug)
        scope = None
        if client is not None:
            client_id = _client_id(client)
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
        ref = await _tenant(engine, slug)
        with input_.open(encoding="utf-8") as lines:
            rows = await import_tenant(engine, ref, lines, progress=progress)
        console.print(f"imported {rows} rows into tenant {ref.slug}")

    _run("importing", work)
