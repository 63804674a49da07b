"""`steward idp add|list|remove`: a tenant's identity providers from the command line.

The client secret is encrypted with STEWARD_SECRET_KEY before it is stored; it
is asked for interactively (hidden) when `--client-secret` is not given, so it
need not appear in shell history.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy.ext.asyncio import AsyncEngine

from server.auth.secret_key import secret_box_for
from server.cli_support import with_engine
from server.runtime import resolved_settings
from server.settings import Settings, load_settings
from tenants.errors import DomainError
from tenants.principals import Role
from tenants.registry import TenantRef, get_tenant
from tenants.services.audit import Actor
from tenants.services.identity_providers import (
    DEFAULT_SCOPES,
    add_identity_provider,
    list_identity_providers,
    remove_identity_provider,
)
from tenants.session import tenant_session

idp_app = typer.Typer(no_args_is_help=True, help="Configure tenants' OpenID identity providers.")
console = Console()
err = Console(stderr=True)
CLI_ACTOR = Actor("cli", "system")


class CliError(Exception):
    pass


def _split(value: str, sep: str = ",") -> list[str]:
    return [part.strip() for part in value.split(sep) if part.strip()]


def _role_mapping(claim: str | None, pairs: str | None) -> dict[str, Any] | None:
    """`--role-claim groups --role-map steward-admins=admin,ops=consultant`."""
    if claim is None and pairs is None:
        return None
    if claim is None or pairs is None:
        raise CliError("--role-claim and --role-map go together")
    values: dict[str, str] = {}
    for pair in _split(pairs):
        key, sep, role = pair.rpartition("=")
        if not sep or not key:
            raise CliError(f"--role-map entry {pair!r} is not VALUE=ROLE")
        values[key] = role
    return {"claim": claim, "values": values}


def _run(work: Callable[[Settings, AsyncEngine], Awaitable[None]]) -> None:
    try:
        with resolved_settings(load_settings()) as settings:
            asyncio.run(with_engine(settings, lambda engine: work(settings, engine)))
    except DomainError as exc:
        for e in exc.errors:
            err.print(f"error: {e.field or '-'}: {e.message}")
        raise typer.Exit(2) from None
    except (CliError, ValueError) as exc:
        err.print(f"error: {exc}")
        raise typer.Exit(2) from None


async def _tenant(engine: AsyncEngine, slug: str) -> TenantRef:
    async with engine.connect() as conn:
        ref = await get_tenant(conn, slug)
    if ref is None:
        raise CliError(f"tenant {slug!r} does not exist")
    return ref


@idp_app.command("add")
def add(
    tenant: str = typer.Option(..., "--tenant", help="Tenant slug"),
    issuer: str = typer.Option(..., "--issuer", help="Issuer URL, exactly as the provider says"),
    client_id: str = typer.Option(..., "--client-id"),
    domains: str = typer.Option(..., "--domains", help="Allowed e-mail domains: a.com,b.com"),
    client_secret: str | None = typer.Option(
        None, "--client-secret", help="Asked for (hidden) when omitted"
    ),
    client_organisation: str | None = typer.Option(
        None, "--client-organisation", help="Client organisation UUID (omit for the staff IdP)"
    ),
    default_role: str | None = typer.Option(
        None, "--default-role", help="viewer (staff) or client_viewer (client) by default"
    ),
    scopes: str = typer.Option(" ".join(DEFAULT_SCOPES), "--scopes", help="Space-separated"),
    name: str | None = typer.Option(None, "--name", help="Shown on the sign-in page"),
    role_claim: str | None = typer.Option(None, "--role-claim", help="e.g. groups"),
    role_map: str | None = typer.Option(None, "--role-map", help="VALUE=ROLE,VALUE=ROLE"),
) -> None:
    """Add the staff identity provider of a tenant, or one of a client organisation."""
    secret = client_secret or typer.prompt("client secret", hide_input=True)
    mapping = _role_mapping(role_claim, role_map)
    organisation = uuid.UUID(client_organisation) if client_organisation else None
    role = Role(default_role) if default_role else None

    async def work(settings: Settings, engine: AsyncEngine) -> None:
        ref = await _tenant(engine, tenant)
        async with tenant_session(engine, ref) as session:
            idp = await add_identity_provider(
                session,
                actor=CLI_ACTOR,
                box=secret_box_for(settings),
                issuer=issuer,
                client_id=client_id,
                client_secret=secret,
                allowed_domains=_split(domains),
                client_organisation_id=organisation,
                default_role=role,
                scopes=_split(scopes, " "),
                claim_role_mapping=mapping,
                name=name,
            )
        origin = settings.public_url or f"http://{settings.host}:{settings.port}"
        console.print(f"identity provider id: {idp.id}")
        console.print(f"redirect URI to register: {origin}/auth/{ref.slug}/callback")
        console.print(f"sign-in URL: {origin}/auth/{ref.slug}/login?idp={idp.id}")

    _run(work)


@idp_app.command("list")
def list_(tenant: str = typer.Option(..., "--tenant", help="Tenant slug")) -> None:
    """List a tenant's identity providers (never their secrets)."""

    async def work(settings: Settings, engine: AsyncEngine) -> None:
        ref = await _tenant(engine, tenant)
        async with tenant_session(engine, ref) as session:
            providers = await list_identity_providers(session)
        table = Table("id", "name", "organisation", "issuer", "client id", "domains", "default")
        for p in providers:
            table.add_row(
                str(p.id),
                p.name,
                str(p.client_organisation_id or "staff"),
                p.issuer,
                p.client_id,
                ",".join(p.allowed_domains),
                p.default_role.value,
            )
        console.print(table)

    _run(work)


@idp_app.command("remove")
def remove(
    identity_provider_id: str, tenant: str = typer.Option(..., "--tenant", help="Tenant slug")
) -> None:
    """Remove an identity provider; its members stay but cannot log in through it."""

    async def work(settings: Settings, engine: AsyncEngine) -> None:
        ref = await _tenant(engine, tenant)
        async with tenant_session(engine, ref) as session:
            providers = {p.id: p for p in await list_identity_providers(session)}
            idp = providers.get(uuid.UUID(identity_provider_id))
            if idp is None:
                raise CliError(f"no identity provider {identity_provider_id} in {tenant!r}")
            await remove_identity_provider(
                session, actor=CLI_ACTOR, identity_provider_id=idp.id, expected_version=idp.version
            )
        console.print(f"removed {identity_provider_id}")

    _run(work)
