"""Every `steward` command given bad input: one line on stderr, exit code 2, no traceback.

Each case is run as a real subprocess against the test database, so what is
checked is what a person at the shell sees.
"""

from __future__ import annotations

import base64
import subprocess
import uuid

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from server.settings import Settings
from tests.auth.support import SECRET_KEY
from tests.conftest import TenantFactory
from tests.processes import run_steward

NO_TENANT = "no-such-tenant-x"


def _gid(type_name: str, value: uuid.UUID) -> str:
    return base64.b64encode(f"{type_name}:{value}".encode()).decode()


def steward(settings: Settings, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    # A narrow terminal: nothing may be cut or squeezed.
    return run_steward(
        settings, *args, **({"STEWARD_SECRET_KEY": SECRET_KEY, "COLUMNS": "40"} | env)
    )


def assert_one_line_error(result: subprocess.CompletedProcess[str], *needles: str) -> None:
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr + result.stdout
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    for needle in needles:
        assert needle in lines[0], lines[0]


@pytest.fixture
async def slug(engine: AsyncEngine, make_tenant: TenantFactory) -> str:
    return (await make_tenant()).slug


IDP = ("--issuer", "https://idp.example", "--client-id", "app", "--client-secret", "s")
BAD_UUID = "not-an-id"
ORG_GID = _gid("ClientOrganisation", uuid.UUID(int=7))
WRONG_GID = _gid("Member", uuid.UUID(int=7))

# (arguments with {slug} for an existing tenant, what the one line must name)
CASES: list[tuple[list[str], tuple[str, ...]]] = [
    (["idp", "add", "--tenant", "{slug}", *IDP, "--domains", "a.example",
      "--client-organisation", BAD_UUID], ("--client-organisation", BAD_UUID)),
    (["idp", "add", "--tenant", "{slug}", *IDP, "--domains", "a.example",
      "--client-organisation", WRONG_GID], ("ClientOrganisation",)),
    (["idp", "add", "--tenant", "{slug}", *IDP, "--domains", "a.example",
      "--client-organisation", ORG_GID], ("clientOrganisationId",)),
    (["idp", "add", "--tenant", "{slug}", *IDP, "--domains", "a.example",
      "--default-role", "boss"], ("--default-role", "boss")),
    (["idp", "add", "--tenant", "{slug}", *IDP, "--domains", "a.example",
      "--role-claim", "groups"], ("--role-map",)),
    (["idp", "add", "--tenant", NO_TENANT, *IDP, "--domains", "a.example"], (NO_TENANT,)),
    (["idp", "list", "--tenant", NO_TENANT], (NO_TENANT,)),
    (["idp", "remove", BAD_UUID, "--tenant", "{slug}"], (BAD_UUID,)),
    (["idp", "remove", str(uuid.uuid4()), "--tenant", "{slug}"], ("no identity provider",)),
    (["idp", "check", "--tenant", "{slug}", "--id", WRONG_GID], ("IdentityProvider",)),
    (["idp", "check", "--tenant", "{slug}", "--id", str(uuid.uuid4())], ("no identity provider",)),
    (["idp", "scim-token", "--tenant", "{slug}", "--id", BAD_UUID], (BAD_UUID,)),
    (["tokens", "create", "--tenant", "{slug}", "--role", "boss"], ("boss",)),
    (["tokens", "create", "--tenant", "{slug}", "--role", "client_owner",
      "--client-organisation", BAD_UUID], ("--client-organisation",)),
    (["tokens", "list", "--tenant", NO_TENANT], (NO_TENANT,)),
    (["tokens", "revoke", BAD_UUID, "--tenant", "{slug}"], (BAD_UUID,)),
    (["tenants", "create", "Bad Slug!", "--name", "x"], ()),
    (["tenants", "drop", NO_TENANT, "--yes"], (NO_TENANT,)),
    (["tenants", "export", NO_TENANT, "-o", "/tmp/steward-never-written.jsonl"], (NO_TENANT,)),
    (["documents", "register", "/nonexistent/manifest.json"], ("/nonexistent/manifest.json",)),
]  # fmt: skip


@pytest.mark.parametrize(("args", "needles"), CASES, ids=lambda v: " ".join(v)[:60])
def test_bad_input_is_one_line_and_exit_code_2(
    settings: Settings, slug: str, args: list[str], needles: tuple[str, ...]
) -> None:
    result = steward(settings, *(a.replace("{slug}", slug) for a in args))
    assert_one_line_error(result, *needles)


def test_production_refuses_an_http_issuer_and_says_the_rule(settings: Settings, slug: str) -> None:
    result = steward(
        settings,
        "idp", "add", "--tenant", slug, "--issuer", "http://keycloak:8080/realms/acme",
        "--client-id", "app", "--client-secret", "s", "--domains", "a.example",
        STEWARD_ENV="production", STEWARD_PUBLIC_URL="https://steward.example",
    )  # fmt: skip
    assert_one_line_error(result, "issuer", "https", "STEWARD_ENV")


def test_development_accepts_any_http_issuer_with_a_warning(settings: Settings, slug: str) -> None:
    result = steward(
        settings,
        "idp", "add", "--tenant", slug, "--issuer", "http://keycloak:8080/realms/acme",
        "--client-id", "app", "--client-secret", "s", "--domains", "a.example",
        STEWARD_ENV="development",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "warning: the issuer http://keycloak:8080/realms/acme is plain http" in result.stderr
    assert "refused in production" in result.stderr


def test_lists_take_global_ids_never_cut_ids_and_have_json(settings: Settings, slug: str) -> None:
    added = steward(
        settings, "idp", "add", "--tenant", slug, *IDP, "--domains", "a.example",
        STEWARD_PUBLIC_URL="https://steward.example",
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    assert f"redirect URI to register: https://steward.example/auth/{slug}/callback" in added.stdout
    raw_id = added.stdout.split("identity provider id: ", 1)[1].split()[0]
    listed = steward(settings, "idp", "list", "--tenant", slug)
    assert listed.returncode == 0 and raw_id in listed.stdout, listed.stdout
    as_json = steward(settings, "idp", "list", "--tenant", slug, "--json")
    assert f'"globalId": "{_gid("IdentityProvider", uuid.UUID(raw_id))}"' in as_json.stdout
    removed = steward(
        settings, "idp", "remove", _gid("IdentityProvider", uuid.UUID(raw_id)), "--tenant", slug
    )
    assert removed.returncode == 0, removed.stderr
    assert steward(settings, "idp", "list", "--tenant", slug, "--json").stdout.strip() == "[]"
