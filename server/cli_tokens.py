"""`steward tokens create|list|revoke`."""

from __future__ import annotations

import asyncio
import uuid

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy.ext.asyncio import AsyncEngine

from server.cli_support import with_engine
from server.runtime import resolved_settings
from server.settings import load_settings
from tenants.registry import get_tenant
from tenants.tokens import ROLES, InvalidRoleError, issue_token, list_tokens, revoke_token

tokens_app = typer.Typer(no_args_is_help=True, help="Issue, list and revoke API tokens.")
console = Console()
err = Console(stderr=True)


class CliError(Exception):
    pass


def _run(work: object) -> None:
    try:
        with resolved_settings(load_settings()) as settings:
            asyncio.run(with_engine(settings, work))  # type: ignore[arg-type]
    except (CliError, InvalidRoleError) as exc:
        err.print(f"error: {exc}")
        raise typer.Exit(2) from None


@tokens_app.command("create")
def create(
    tenant: str = typer.Option(..., "--tenant", help="Tenant slug"),
    role: str = typer.Option(..., "--role", help=f"One of {', '.join(ROLES)}"),
    name: str = typer.Option("cli token", "--name", help="What the token is for"),
    client_organisation: str | None = typer.Option(
        None, "--client-organisation", help="Client organisation UUID (client roles only)"
    ),
) -> None:
    """Issue a token and print it once; only its hash is stored."""

    async def work(engine: AsyncEngine) -> None:
        async with engine.connect() as conn, conn.begin():
            ref = await get_tenant(conn, tenant)
            if ref is None:
                raise CliError(f"tenant {tenant!r} does not exist")
            client = uuid.UUID(client_organisation) if client_organisation else None
            issued = await issue_token(
                conn, tenant=ref, role=role, name=name, client_organisation_id=client
            )
        console.print(f"token id: {issued.id}")
        console.print(f"API token: {issued.secret}", soft_wrap=True)

    _run(work)


@tokens_app.command("list")
def list_(tenant: str = typer.Option(..., "--tenant")) -> None:
    """List a tenant's tokens (never their secrets)."""

    async def work(engine: AsyncEngine) -> None:
        async with engine.connect() as conn:
            ref = await get_tenant(conn, tenant)
            if ref is None:
                raise CliError(f"tenant {tenant!r} does not exist")
            rows = await list_tokens(conn, tenant=ref)
        table = Table("id", "name", "role", "prefix", "created", "revoked")
        for r in rows:
            table.add_row(
                str(r["id"]),
                str(r["name"]),
                str(r["role"]),
                str(r["prefix"]),
                str(r["created_at"]),
                str(r["revoked_at"] or "-"),
            )
        console.print(table)

    _run(work)


@tokens_app.command("revoke")
def revoke(token_id: str, tenant: str = typer.Option(..., "--tenant")) -> None:
    """Revoke a token at once."""

    async def work(engine: AsyncEngine) -> None:
        async with engine.connect() as conn, conn.begin():
            ref = await get_tenant(conn, tenant)
            if ref is None:
                raise CliError(f"tenant {tenant!r} does not exist")
            if not await revoke_token(conn, token_id=uuid.UUID(token_id), tenant=ref):
                raise CliError(f"no live token {token_id} in tenant {tenant!r}")
        console.print(f"revoked {token_id}")

    _run(work)
