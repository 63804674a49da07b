"""`steward idp scim-token`: issue (or revoke) the SCIM bearer token of an identity provider.

The token is printed once with the provider's SCIM base URL; only its SHA-256 digest is
stored. Earlier tokens stay valid until `--revoke-existing`, so a provider can be moved
to a new token without a gap. Both are audited with the CLI as the actor.
"""

from __future__ import annotations

import asyncio
import uuid

import typer
from rich.console import Console
from sqlalchemy.ext.asyncio import AsyncEngine

from schema.ids import parse_global_id
from server.cli.idp import idp_app
from server.cli.support import CLI_ACTOR, with_engine
from server.runtime import resolved_settings
from server.settings import Settings, load_settings
from tenants.errors import DomainError
from tenants.registry import get_tenant
from tenants.services.scim import issue_scim_token, revoke_scim_tokens
from tenants.session import tenant_session

console = Console(soft_wrap=True)  # a token or URL is never cut to the terminal's width
err = Console(stderr=True, soft_wrap=True)


class CliError(Exception):
    pass


def _provider_id(value: str) -> uuid.UUID:
    """A raw UUID, or the global id GraphQL shows for an IdentityProvider."""
    try:
        return uuid.UUID(value)
    except ValueError:
        parsed = parse_global_id(value)
        if parsed is None or parsed[0] != "IdentityProvider":
            raise CliError(f"--id {value!r} is neither a UUID nor an IdentityProvider id") from None
        return parsed[1]


async def _issue(
    settings: Settings, engine: AsyncEngine, slug: str, provider_id: uuid.UUID, revoke: bool
) -> None:
    async with engine.connect() as conn:
        ref = await get_tenant(conn, slug)
    if ref is None:
        raise CliError(f"no tenant {slug!r}")
    async with tenant_session(engine, ref) as session:
        revoked = 0
        if revoke:
            revoked = await revoke_scim_tokens(
                session, actor=CLI_ACTOR, identity_provider_id=provider_id
            )
        issued = await issue_scim_token(session, actor=CLI_ACTOR, identity_provider_id=provider_id)
    # The origin the server itself builds its URLs from (as `idp add` does).
    origin = settings.public_url or f"http://{settings.host}:{settings.port}"
    base = f"{origin.rstrip('/')}/scim/v2/{ref.slug}/{provider_id}"
    if revoked:
        err.print(f"revoked {revoked} earlier SCIM token(s)")
    console.print(f"SCIM base URL: {base}")
    console.print(f"SCIM token (shown once): {issued.secret}")


@idp_app.command("scim-token")
def scim_token(
    tenant: str = typer.Option(..., "--tenant", help="Tenant slug"),
    identity_provider: str = typer.Option(
        ..., "--id", help="Identity provider id (UUID or the GraphQL id)"
    ),
    revoke_existing: bool = typer.Option(
        False, "--revoke-existing", help="Revoke the provider's earlier SCIM tokens first"
    ),
) -> None:
    """Issue a SCIM 2.0 provisioning token for an identity provider and print it once."""
    try:
        provider_id = _provider_id(identity_provider)
        with resolved_settings(load_settings()) as settings:

            async def work(engine: AsyncEngine) -> None:
                await _issue(settings, engine, tenant, provider_id, revoke_existing)

            asyncio.run(with_engine(settings, work))
    except DomainError as exc:
        err.print(f"error: {exc.errors[0].field}: {exc.errors[0].message}")
        raise typer.Exit(2) from None
    except CliError as exc:
        err.print(f"error: {exc}")
        raise typer.Exit(2) from None
