"""`steward tenants create|list|migrate|drop`."""

from __future__ import annotations

import asyncio
import json

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from server.cli.support import plain_table, run_with_settings, with_engine
from server.runtime import resolved_settings
from server.settings import load_settings
from tenants.fleet import MigrationOutcome, migrate_all, migrate_shared
from tenants.provisioning import TenantExistsError, TenantNotFoundError, create_tenant, drop_tenant
from tenants.registry import Tenant
from tenants.slugs import InvalidSlugError

tenants_app = typer.Typer(no_args_is_help=True, help="Create, list, migrate and drop tenants.")
console = Console(soft_wrap=True)  # nothing is cut to the terminal's width
err = Console(stderr=True, soft_wrap=True)


@tenants_app.command("create")
def create(slug: str, name: str = typer.Option(..., "--name", help="Display name")) -> None:
    """Create a tenant: role, schema, grants and tables in committed steps, all or nothing."""

    async def work(engine: AsyncEngine) -> None:
        await migrate_shared(engine)
        ref = await create_tenant(
            engine, slug=slug, name=name, role_login=settings.tenant_role_login
        )
        console.print(f"created tenant {ref.slug} (schema {ref.schema_name})")

    try:
        with resolved_settings(load_settings()) as settings:
            asyncio.run(with_engine(settings, work))
    except (InvalidSlugError, TenantExistsError, ValueError) as exc:
        err.print(f"error: {exc}")
        raise typer.Exit(2) from None


@tenants_app.command("list")
def list_(
    as_json: bool = typer.Option(False, "--json", help="One JSON array"),
) -> None:
    """List tenants with the migration revision of each schema; nothing is cut."""

    async def work(engine: AsyncEngine) -> None:
        await migrate_shared(engine)
        async with engine.connect() as conn:
            t = Tenant.__table__
            rows = (await conn.execute(select(t).order_by(t.c.slug))).mappings().all()
        items = [
            {
                "slug": row["slug"],
                "name": row["name"],
                "schema": row["schema_name"],
                "revision": row["schema_revision"],
            }
            for row in rows
        ]
        if as_json:
            typer.echo(json.dumps(items, indent=2))
            return
        keys = ("slug", "name", "schema", "revision")
        typer.echo(plain_table(keys, [[str(i[k] or "-") for k in keys] for i in items]))

    run_with_settings(lambda settings, engine: work(engine))


@tenants_app.command("migrate")
def migrate(
    concurrency: int = typer.Option(
        0, help="Tenants migrated at once (default STEWARD_MIGRATE_CONCURRENCY)"
    ),
) -> None:
    """Bring every tenant schema to head; failures are reported per tenant."""
    failures: list[MigrationOutcome] = []

    async def work(engine: AsyncEngine) -> list[MigrationOutcome]:
        with Progress(
            TextColumn("migrating"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=err,
        ) as progress:
            task = progress.add_task("tenants", total=None)  # sized once the tenants are listed

            def done(outcome: MigrationOutcome) -> None:
                progress.advance(task)
                if not outcome.ok:
                    failures.append(outcome)
                    progress.console.print(f"[red]failed[/red] {outcome.tenant}: {outcome.error}")

            return await migrate_all(
                engine,
                concurrency=concurrency or settings.migrate_concurrency,
                on_done=done,
                on_start=lambda total: progress.update(task, total=total),
                role_login=settings.tenant_role_login,
            )

    with resolved_settings(load_settings()) as settings:
        outcomes = asyncio.run(with_engine(settings, work))
    console.print(f"{len(outcomes) - len(failures)} migrated, {len(failures)} failed")
    if failures:
        raise typer.Exit(1)


@tenants_app.command("drop")
def drop(
    slug: str, yes: bool = typer.Option(False, "--yes", help="Confirm: all data is deleted")
) -> None:
    """Drop a tenant and all of its data."""
    if not yes:
        err.print(f"refusing to drop {slug!r} without --yes: every row of the tenant is deleted")
        raise typer.Exit(2)

    async def work(engine: AsyncEngine) -> None:
        await drop_tenant(engine, slug=slug)
        console.print(f"dropped tenant {slug}")

    try:
        with resolved_settings(load_settings()) as settings:
            asyncio.run(with_engine(settings, work))
    except TenantNotFoundError as exc:
        err.print(f"error: {exc}")
        raise typer.Exit(2) from None
