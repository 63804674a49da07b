"""`steward idp check`: fetch a provider's discovery document and JWKS, say what is wrong.

It uses the server's own fetcher and rules (no redirects, bounded size, the
issuer rule of server/auth/issuer_rule.py), so a provider that passes here
passes the same steps at login. Exit code 0 when all is well, 1 when a check
failed, 2 for bad input.
"""

from __future__ import annotations

import uuid

import httpx
import typer
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from server.auth.discovery import WELL_KNOWN, ProviderMetadata, parse_metadata
from server.auth.http_fetch import FetchError, check_url, fetch_json
from server.auth.issuer_rule import allow_http_issuers, http_issuer_warning
from server.auth.jwks import import_signing_keys
from server.cli.support import CliError, err, parse_id, public_origin, run_with_settings, tenant_ref
from server.settings import Settings
from tenants.models import IdentityProvider
from tenants.session import tenant_session


async def provider_named(
    session: AsyncSession, wanted: uuid.UUID, *, given: str, tenant: str
) -> IdentityProvider:
    """The identity provider `wanted` in the session's tenant, or a one-line error naming
    it as it was `given` on the command line."""
    idp = await session.get(IdentityProvider, wanted)
    if idp is None:
        raise CliError(f"no identity provider {given} in {tenant!r}")
    return idp


async def _discover(http: httpx.AsyncClient, issuer: str, https_only: bool) -> ProviderMetadata:
    check_url(issuer, require_https=https_only, what="issuer")
    doc = await fetch_json(http, issuer.rstrip("/") + WELL_KNOWN)
    return parse_metadata(issuer, doc, require_https=https_only)


async def _problems(settings: Settings, idp: IdentityProvider) -> list[str]:
    """Each thing that would make a login through `idp` fail, in the order login meets them."""
    https_only = not allow_http_issuers(settings)
    async with httpx.AsyncClient(
        timeout=settings.oidc_timeout_seconds, follow_redirects=False, trust_env=False
    ) as http:
        try:
            metadata = await _discover(http, idp.issuer, https_only)
        except FetchError as exc:
            return [f"discovery: {exc}"]
        typer.echo(f"discovery: ok ({idp.issuer}{WELL_KNOWN})")
        try:
            keys = import_signing_keys(await fetch_json(http, metadata.jwks_uri))
        except FetchError as exc:
            return [f"jwks: {exc}"]
    problems = [] if keys else [f"jwks: {metadata.jwks_uri} publishes no usable signing key"]
    if keys:
        typer.echo(f"jwks: ok ({len(keys)} signing key(s))")
    if metadata.userinfo_endpoint is None:
        typer.echo("userinfo: none offered; the id token must carry the e-mail claim")
    if "openid" not in idp.scopes:
        problems.append("scopes: openid is missing")
    return problems


def check(
    tenant: str = typer.Option(..., "--tenant", help="Tenant slug"),
    identity_provider: str = typer.Option(..., "--id", help="UUID or GraphQL id"),
) -> None:
    """Fetch the provider's discovery document and JWKS as a login would; say what is wrong."""
    failed = False

    async def work(settings: Settings, engine: AsyncEngine) -> None:
        nonlocal failed
        wanted = parse_id(identity_provider, "IdentityProvider", "--id")
        ref = await tenant_ref(engine, tenant)
        async with tenant_session(engine, ref) as session:
            idp = await provider_named(session, wanted, given=identity_provider, tenant=tenant)
        warning = http_issuer_warning(settings, idp.issuer)
        if warning:
            err.print(f"warning: {warning}")
        problems = await _problems(settings, idp)
        typer.echo(f"redirect URI to register: {public_origin(settings)}/auth/{ref.slug}/callback")
        for problem in problems:
            err.print(f"problem: {problem}")
        failed = bool(problems)

    run_with_settings(work)
    if failed:
        raise typer.Exit(1)
