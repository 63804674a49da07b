"""`steward tokens create|list|revoke`."""

from __future__ import annotations

import json
import uuid
from collections.abc import Awaitable, Callable

import typer
from rich.console import Console
from sqlalchemy.ext.asyncio import AsyncEngine

from schema.ids import global_id
from server.cli.support import (
    CLI_ACTOR,
    CliError,
    parse_id,
    plain_table,
    run_with_settings,
    tenant_ref,
)
from server.settings import Settings
from tenants.errors import DomainError
from tenants.registry import get_tenant
from tenants.services.api_tokens import revoke_api_token
from tenants.session import tenant_session
from tenants.tokens import ROLES, InvalidRoleError, issue_token, list_tokens

tokens_app = typer.Typer(no_args_is_help=True, help="Issue, list and revoke API tokens.")
console = Console(soft_wrap=True)  # a token or id is never cut to the terminal's width


def _run(work: Callable[[AsyncEngine], Awaitable[None]]) -> None:
    async def with_settings(settings: Settings, engine: AsyncEngine) -> None:
        try:
            await work(engine)
        except InvalidRoleError as exc:
            raise CliError(str(exc)) from None

    run_with_settings(with_settings)


@tokens_app.command("create")
def create(
    tenant: str = typer.Option(..., "--tenant", help="Tenant slug"),
    role: str = typer.Option(..., "--role", help=f"One of {', '.join(ROLES)}"),
    name: str = typer.Option("cli token", "--name", help="What the token is for"),
    client_organisation: str | None = typer.Option(
        None,
        "--client-organisation",
        help="Client organisation: UUID or GraphQL id (client roles only)",
    ),
) -> None:
    """Issue a token and print it once; only its hash is stored."""

    async def work(engine: AsyncEngine) -> None:
        client = (
            parse_id(client_organisation, "ClientOrganisation", "--client-organisation")
            if client_organisation
            else None
        )
        async with engine.connect() as conn, conn.begin():
            ref = await get_tenant(conn, tenant)
            if ref is None:
                raise CliError(f"tenant {tenant!r} does not exist")
            issued = await issue_token(
                conn, tenant=ref, role=role, name=name, client_organisation_id=client
            )
        console.print(f"token id: {issued.id}")
        console.print(f"API token: {issued.secret}", soft_wrap=True)

    _run(work)


@tokens_app.command("list")
def list_(
    tenant: str = typer.Option(..., "--tenant"),
    as_json: bool = typer.Option(False, "--json", help="One JSON array, ids in full"),
) -> None:
    """List a tenant's tokens (never their secrets); ids are never cut."""

    async def work(engine: AsyncEngine) -> None:
        async with engine.connect() as conn:
            ref = await get_tenant(conn, tenant)
            if ref is None:
                raise CliError(f"tenant {tenant!r} does not exist")
            rows = await list_tokens(conn, tenant=ref)
        items = [
            {
                "id": str(r["id"]),
                "globalId": global_id("ApiToken", uuid.UUID(str(r["id"]))),
                "name": str(r["name"]),
                "role": str(r["role"]),
                "prefix": str(r["prefix"]),
                "createdAt": str(r["created_at"]),
                "revokedAt": None if r["revoked_at"] is None else str(r["revoked_at"]),
            }
            for r in rows
        ]
        if as_json:
            typer.echo(json.dumps(items, indent=2))
            return
        keys = ("id", "name", "role", "prefix", "createdAt", "revokedAt")
        headers = ("id", "name", "role", "prefix", "created", "revoked")
        typer.echo(plain_table(headers, [[str(i[k] or "-") for k in keys] for i in items]))

    _run(work)


@tokens_app.command("revoke")
def revoke(
    token_id: str = typer.Argument(..., help="UUID or GraphQL id"),
    tenant: str = typer.Option(..., "--tenant"),
) -> None:
    """Revoke a token at once."""

    async def work(engine: AsyncEngine) -> None:
        wanted = parse_id(token_id, "ApiToken", "token id")
        ref = await tenant_ref(engine, tenant)
        # Through the same service as revokeApiToken, so the revocation is audited.
        try:
            async with tenant_session(engine, ref) as session:
                await revoke_api_token(session, actor=CLI_ACTOR, tenant=ref, token_id=wanted)
        except DomainError:
            raise CliError(f"no live token {token_id} in tenant {tenant!r}") from None
        console.print(f"revoked {token_id}")

    _run(work)
