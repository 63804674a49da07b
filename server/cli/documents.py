"""`steward documents register|list`: the trusted documents front-end builds may run.

A build's manifest (Apollo's persisted query manifest, or a plain
`{"<sha256>": "<document>"}` map from graphql-codegen or Relay) is registered once
for every tenant; each hash is checked against its document, and registering the
same manifest again changes nothing. See tenants/trusted_documents.py, and
STEWARD_TRUSTED_DOCUMENTS_ONLY for running nothing else.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from pathlib import Path

import typer
from rich.console import Console
from sqlalchemy.ext.asyncio import AsyncEngine

from server.cli.support import CliError, fail, plain_table, run_with_settings
from tenants.trusted_documents import (
    ManifestDocument,
    ManifestError,
    list_trusted_documents,
    parse_manifest,
    register_documents,
    trusted_table_exists,
)

documents_app = typer.Typer(
    no_args_is_help=True, help="Register the GraphQL documents front ends may run."
)
console = Console(soft_wrap=True)  # nothing is cut to the terminal's width
NOT_MIGRATED = "public.trusted_documents does not exist yet: run `steward tenants migrate` first"


def _run(work: Callable[[AsyncEngine], Awaitable[None]]) -> None:
    run_with_settings(lambda _settings, engine: work(engine))


def _read_manifest(path: Path) -> list[ManifestDocument]:
    try:
        raw = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CliError(f"cannot read {path}: {exc}") from None
    try:
        return parse_manifest(json.loads(raw))
    except json.JSONDecodeError as exc:
        raise CliError(f"{path} is not JSON: {exc}") from None
    except ManifestError as exc:
        raise CliError(f"{path}: {exc}") from None


@documents_app.command("register")
def register(
    manifest: Path = typer.Argument(..., help="Persisted query manifest (JSON)"),
    name: str | None = typer.Option(
        None, "--name", help="The client the documents come from, e.g. web@2.4.0"
    ),
) -> None:
    """Register every document of a manifest (idempotent)."""
    if name is not None and not 1 <= len(name) <= 200:
        raise typer.BadParameter("must be 1 to 200 characters", param_hint="--name")
    try:
        documents = _read_manifest(manifest)
    except CliError as exc:  # before any server is started or reached
        raise fail(str(exc)) from None

    async def work(engine: AsyncEngine) -> None:
        async with engine.connect() as conn, conn.begin():
            if not await trusted_table_exists(conn):
                raise CliError(NOT_MIGRATED)
            result = await register_documents(conn, documents=documents, client_name=name)
        console.print(
            f"{len(documents)} documents in {manifest.name}: {result.added} added, "
            f"{result.present} already present",
            soft_wrap=True,
        )

    _run(work)


@documents_app.command("list")
def list_(as_json: bool = typer.Option(False, "--json", help="One JSON array")) -> None:
    """List the registered documents, newest first (hashes in full, not their text)."""

    async def work(engine: AsyncEngine) -> None:
        async with engine.connect() as conn:
            if not await trusted_table_exists(conn):
                raise CliError(NOT_MIGRATED)
            rows = await list_trusted_documents(conn)
        items = [
            {
                "sha256": r.sha256,
                "operation": r.operation_name,
                "client": r.client_name,
                "bytes": r.size,
                "registered": str(r.created_at),
            }
            for r in rows
        ]
        if as_json:
            typer.echo(json.dumps(items, indent=2))
            return
        keys = ("sha256", "operation", "client", "bytes", "registered")
        typer.echo(plain_table(keys, [[str(i[k] or "-") for k in keys] for i in items]))
        console.print(f"{len(rows)} documents")

    _run(work)
