"""`steward idp add|list|remove|check`: a tenant's identity providers from the command line.

The client secret is encrypted with STEWARD_SECRET_KEY before it is stored; it
is asked for interactively (hidden) when `--client-secret` is not given, so it
need not appear in shell history. Ids are accepted as raw UUIDs or as the
global ids GraphQL shows; bad input is one line on stderr and exit code 2.
"""

from __future__ import annotations

import json
import uuid
from typing import Annotated, Any

import typer
from rich.console import Console
from sqlalchemy.ext.asyncio import AsyncEngine

from schema.ids import global_id
from server.auth.issuer_rule import allow_http_issuers, http_issuer_warning
from server.auth.secret_key import secret_box_for
from server.cli.idp_check import check, provider_named
from server.cli.support import (
    CLI_ACTOR,
    CliError,
    err,
    parse_id,
    plain_table,
    public_origin,
    run_with_settings,
    tenant_ref,
)
from server.settings import Settings
from tenants.models import IdentityProvider
from tenants.principals import Role
from tenants.services.identity_providers import (
    DEFAULT_SCOPES,
    add_identity_provider,
    list_identity_providers,
    remove_identity_provider,
)
from tenants.session import tenant_session

idp_app = typer.Typer(no_args_is_help=True, help="Configure tenants' OpenID identity providers.")
console = Console(soft_wrap=True)  # ids and URLs are never cut to the terminal's width
idp_app.command("check")(check)
_ROLES = ", ".join(r.value for r in Role)


def _split(value: str, sep: str = ",") -> list[str]:
    return [part.strip() for part in value.split(sep) if part.strip()]


def _role(value: str | None) -> Role | None:
    if value is None:
        return None
    try:
        return Role(value)
    except ValueError:
        raise CliError(f"--default-role {value!r} is not one of {_ROLES}") from None


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


def print_urls(settings: Settings, slug: str, idp_id: uuid.UUID) -> None:
    origin = public_origin(settings)
    console.print(f"redirect URI to register: {origin}/auth/{slug}/callback")
    console.print(f"sign-in URL: {origin}/auth/{slug}/login?idp={idp_id}")
    # Optional, for logout (server/auth/PROVIDERS.md): RP-initiated and back-channel.
    console.print(f"post-logout redirect URI: {origin}/auth/{slug}/signed-out")
    console.print(f"back-channel logout URI: {origin}/auth/{slug}/backchannel-logout/{idp_id}")
    if settings.public_url is None:
        err.print(
            "note: STEWARD_PUBLIC_URL is unset here; the server then uses the address each "
            "request came to. Run this CLI with the server's own settings (beside `make demo`: "
            "STEWARD_ENV=development) so the URI above is the one it will send."
        )


# The claim mapping's options, named here so `add` reads as what it does.
_EmailClaim = Annotated[
    str,
    typer.Option("--email-claim", help="email, or preferred_username / upn for Entra ID"),
]
_NameClaim = Annotated[str, typer.Option("--name-claim", help="The display-name claim")]
_RequireVerified = Annotated[
    bool,
    typer.Option(
        "--require-email-verified/--no-require-email-verified",
        help="Refuse unless email_verified is true (Entra ID sends none: turn it off)",
    ),
]
_ClientOrganisation = Annotated[
    str | None,
    typer.Option(
        "--client-organisation",
        help="Client organisation: UUID or GraphQL id (omit for the staff IdP)",
    ),
]
_DefaultRole = Annotated[
    str | None,
    typer.Option("--default-role", help="viewer (staff) or client_viewer (client) by default"),
]
_ClientSecret = Annotated[
    str | None, typer.Option("--client-secret", help="Asked for (hidden) when omitted")
]


@idp_app.command("add")
def add(
    tenant: Annotated[str, typer.Option("--tenant", help="Tenant slug")],
    issuer: Annotated[
        str, typer.Option("--issuer", help="Issuer URL, exactly as the provider says")
    ],
    client_id: Annotated[str, typer.Option("--client-id")],
    domains: Annotated[str, typer.Option("--domains", help="Allowed e-mail domains: a.com,b.com")],
    client_secret: _ClientSecret = None,
    client_organisation: _ClientOrganisation = None,
    default_role: _DefaultRole = None,
    scopes: Annotated[str, typer.Option("--scopes", help="Space-separated")] = " ".join(
        DEFAULT_SCOPES
    ),
    name: Annotated[str | None, typer.Option("--name", help="Shown on the sign-in page")] = None,
    role_claim: Annotated[str | None, typer.Option("--role-claim", help="e.g. groups")] = None,
    role_map: Annotated[
        str | None, typer.Option("--role-map", help="VALUE=ROLE,VALUE=ROLE")
    ] = None,
    email_claim: _EmailClaim = "email",
    name_claim: _NameClaim = "name",
    require_email_verified: _RequireVerified = True,
) -> None:
    """Add the staff identity provider of a tenant, or one of a client organisation."""

    async def work(settings: Settings, engine: AsyncEngine) -> None:
        mapping = _role_mapping(role_claim, role_map)
        organisation = (
            parse_id(client_organisation, "ClientOrganisation", "--client-organisation")
            if client_organisation
            else None
        )
        role = _role(default_role)
        ref = await tenant_ref(engine, tenant)
        secret = client_secret or typer.prompt("client secret", hide_input=True)
        warning = http_issuer_warning(settings, issuer)
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
                allow_http=allow_http_issuers(settings),
                email_claim=email_claim,
                name_claim=name_claim,
                require_email_verified=require_email_verified,
            )
        if warning:
            err.print(f"warning: {warning}")
        console.print(f"identity provider id: {idp.id} ({global_id('IdentityProvider', idp.id)})")
        print_urls(settings, ref.slug, idp.id)

    run_with_settings(work)


def _row(p: IdentityProvider) -> dict[str, Any]:
    return {
        "id": str(p.id),
        "globalId": global_id("IdentityProvider", p.id),
        "name": p.name,
        "clientOrganisationId": None
        if p.client_organisation_id is None
        else global_id("ClientOrganisation", p.client_organisation_id),
        "issuer": p.issuer,
        "clientId": p.client_id,
        "allowedDomains": list(p.allowed_domains),
        "defaultRole": p.default_role.value,
        "emailClaim": p.email_claim,
        "nameClaim": p.name_claim,
        "requireEmailVerified": p.require_email_verified,
    }


@idp_app.command("list")
def list_(
    tenant: str = typer.Option(..., "--tenant", help="Tenant slug"),
    as_json: bool = typer.Option(False, "--json", help="One JSON array, ids in full"),
) -> None:
    """List a tenant's identity providers (never their secrets); ids are never cut."""

    async def work(settings: Settings, engine: AsyncEngine) -> None:
        ref = await tenant_ref(engine, tenant)
        async with tenant_session(engine, ref) as session:
            rows = [_row(p) for p in await list_identity_providers(session)]
        if as_json:
            typer.echo(json.dumps(rows, indent=2))
            return
        headers = ("id", "name", "organisation", "issuer", "client id", "domains", "default")
        keys = ("id", "name", "clientOrganisationId", "issuer", "clientId")
        table = [
            [*(str(r[k] or "staff") for k in keys), ",".join(r["allowedDomains"]), r["defaultRole"]]
            for r in rows
        ]
        typer.echo(plain_table(headers, table))

    run_with_settings(work)


@idp_app.command("remove")
def remove(
    identity_provider_id: str = typer.Argument(..., help="UUID or GraphQL id"),
    tenant: str = typer.Option(..., "--tenant", help="Tenant slug"),
) -> None:
    """Remove an identity provider; its members stay but cannot log in through it."""

    async def work(settings: Settings, engine: AsyncEngine) -> None:
        wanted = parse_id(identity_provider_id, "IdentityProvider", "identity provider id")
        ref = await tenant_ref(engine, tenant)
        async with tenant_session(engine, ref) as session:
            idp = await provider_named(session, wanted, given=identity_provider_id, tenant=tenant)
            await remove_identity_provider(
                session, actor=CLI_ACTOR, identity_provider_id=idp.id, expected_version=idp.version
            )
        console.print(f"removed {idp.id}")

    run_with_settings(work)
