"""`steward idp add|list`: providers configured from the shell, secrets encrypted at rest."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from server.settings import Settings
from tenants.models import IdentityProvider
from tenants.registry import TenantRef
from tenants.services.audit import SYSTEM
from tenants.services.clients import create_client
from tenants.services.secret_box import SecretBox
from tenants.session import tenant_session
from tests.auth.support import SECRET_KEY, Provider
from tests.conftest import TenantFactory
from tests.processes import steward_output
from tests.support import free_port


async def _steward(settings: Settings, *args: str, env_name: str = "test") -> tuple[int, str, str]:
    return await steward_output(
        settings,
        *args,
        STEWARD_ENV=env_name,
        STEWARD_SECRET_KEY=SECRET_KEY,
        STEWARD_PUBLIC_URL="https://steward.example",
    )


async def _add_staff_idp(
    settings: Settings, tenant: TenantRef, issuer: str
) -> tuple[int, str, str]:
    """`steward idp add` of a staff provider at `issuer`, for the `idp check` tests."""
    return await _steward(
        settings,
        "idp", "add", "--tenant", tenant.slug, "--issuer", issuer, "--client-id", "c",
        "--client-secret", "s", "--domains", "a.example",
    )  # fmt: skip


async def test_idp_add_stores_an_encrypted_secret_and_prints_the_redirect_uri(
    settings: Settings, engine: AsyncEngine, make_tenant: TenantFactory
) -> None:
    tenant = await make_tenant()
    async with tenant_session(engine, tenant) as session:
        client = await create_client(session, actor=SYSTEM, name="Initech")
    code, out, err = await _steward(
        settings,
        "idp", "add",
        "--tenant", tenant.slug,
        "--client-organisation", str(client.id),
        "--issuer", "https://login.microsoftonline.com/abc/v2.0",
        "--client-id", "app-1",
        "--client-secret", "s3cret-value",
        "--domains", "initech.example,Initech.CO.UK",
        "--role-claim", "groups",
        "--role-map", "owners=client_owner",
    )  # fmt: skip
    assert code == 0, err
    assert f"https://steward.example/auth/{tenant.slug}/callback" in out
    async with tenant_session(engine, tenant) as session:
        idp = await session.scalar(select(IdentityProvider))
    assert idp is not None and idp.client_organisation_id == client.id
    assert idp.allowed_domains == ["initech.example", "initech.co.uk"]
    assert "s3cret-value" not in idp.client_secret_encrypted
    assert SecretBox([SECRET_KEY]).decrypt(idp.client_secret_encrypted) == "s3cret-value"
    assert idp.default_role.value == "client_viewer"

    code, out, err = await _steward(settings, "idp", "list", "--tenant", tenant.slug)
    assert code == 0, err
    assert "app-1" in out and "s3cret" not in out


async def test_idp_add_explains_what_is_wrong(
    settings: Settings, make_tenant: TenantFactory
) -> None:
    tenant = await make_tenant()
    code, _, err = await _steward(
        settings,
        "idp", "add",
        "--tenant", tenant.slug,
        "--issuer", "https://idp.example?realm=1",
        "--client-id", "app",
        "--client-secret", "x",
        "--domains", "not a domain",
        "--default-role", "client_owner",
    )  # fmt: skip
    assert code == 2
    assert "issuer" in err and "allowedDomains" in err and "defaultRole" in err


async def test_a_second_staff_idp_is_a_conflict(
    settings: Settings, make_tenant: TenantFactory
) -> None:
    tenant = await make_tenant()
    args = ["idp", "add", "--tenant", tenant.slug, "--client-secret", "x", "--domains", "a.example"]
    first = await _steward(settings, *args, "--issuer", "https://a.example", "--client-id", "1")
    assert first[0] == 0, first[2]
    code, _, err = await _steward(
        settings, *args, "--issuer", "https://b.example", "--client-id", "2"
    )
    assert code == 2 and "already has a staff identity provider" in err


async def test_idp_check_fetches_discovery_and_jwks_of_a_real_provider(
    settings: Settings, make_tenant: TenantFactory, providers: dict[str, Provider]
) -> None:
    tenant = await make_tenant()
    issuer = providers["staff"].issuer
    code, out, err = await _add_staff_idp(settings, tenant, issuer)
    assert code == 0, err
    assert f"warning: the issuer {issuer} is plain http" in err
    base = f"https://steward.example/auth/{tenant.slug}"
    assert f"post-logout redirect URI: {base}/signed-out" in out
    assert f"back-channel logout URI: {base}/backchannel-logout/" in out
    idp_id = out.split("(", 1)[1].split(")", 1)[0]  # the GraphQL id printed beside the UUID
    check = ("idp", "check", "--tenant", tenant.slug, "--id", idp_id)
    code, out, err = await _steward(settings, *check)
    assert code == 0, (out, err)
    assert "discovery: ok" in out and "jwks: ok (1 signing key(s))" in out
    assert f"redirect URI to register: https://steward.example/auth/{tenant.slug}/callback" in out


async def test_idp_check_says_what_is_wrong(
    settings: Settings, make_tenant: TenantFactory, providers: dict[str, Provider]
) -> None:
    tenant = await make_tenant()
    dead = f"http://127.0.0.1:{free_port()}/realms/gone"
    code, out, err = await _add_staff_idp(settings, tenant, dead)
    assert code == 0, err
    raw = out.split("identity provider id: ", 1)[1].split()[0]
    code, out, err = await _steward(settings, "idp", "check", "--tenant", tenant.slug, "--id", raw)
    assert code == 1, (out, err)
    assert f"problem: discovery: {dead}/.well-known/openid-configuration could not" in err
    assert "Traceback" not in err
