"""`steward idp scim-token`: issue (or revoke) the SCIM bearer token of an identity provider.

The token is printed once with the provider's SCIM base URL; only its SHA-256 digest is
stored. Earlier tokens stay valid until `--revoke-existing`, so a provider can be moved
to a new token without a gap. Both are audited with the CLI as the actor.
"""

from __future__ import annotations

import uuid

import typer
from rich.console import Console
from sqlalchemy.ext.asyncio import AsyncEngine

from server.cli.idp import idp_app
from server.cli.support import (
    CLI_ACTOR,
    err,
    parse_id,
    public_origin,
    run_with_settings,
    tenant_ref,
)
from server.settings import Settings
from tenants.services.scim import issue_scim_token, revoke_scim_tokens
from tenants.session import tenant_session

console = Console(soft_wrap=True)  # a token or URL is never cut to the terminal's width


async def _issue(
    settings: Settings, engine: AsyncEngine, slug: str, provider_id: uuid.UUID, revoke: bool
) -> None:
    ref = await tenant_ref(engine, slug)
    async with tenant_session(engine, ref) as session:
        revoked = 0
        if revoke:
            revoked = await revoke_scim_tokens(
                session, actor=CLI_ACTOR, identity_provider_id=provider_id
            )
        issued = await issue_scim_token(session, actor=CLI_ACTOR, identity_provider_id=provider_id)
    # The origin the server itself builds its URLs from (as `idp add` does).
    base = f"{public_origin(settings).rstrip('/')}/scim/v2/{ref.slug}/{provider_id}"
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

    async def work(settings: Settings, engine: AsyncEngine) -> None:
        provider_id = parse_id(identity_provider, "IdentityProvider", "--id")
        await _issue(settings, engine, tenant, provider_id, revoke_existing)

    run_with_settings(work)
