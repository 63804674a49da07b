"""The `steward` command, run as a real subprocess against the test database."""

from __future__ import annotations

import json
import subprocess
import uuid

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from server.cli.support import CLI_ACTOR
from server.settings import Settings
from tenants import models as m
from tenants.migrate import TENANT, head_of
from tenants.registry import get_tenant
from tenants.session import tenant_session
from tests.processes import run_steward
from tests.support import data, gql, unique_slug


def run(settings: Settings, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return run_steward(settings, *args, **({"COLUMNS": "200"} | env))


@pytest.fixture(autouse=True)
def _shared_schema_migrated(engine: AsyncEngine) -> None:
    """Commands that only read the registry expect `tenants create` or `migrate` ran before."""


@pytest.fixture
def slug() -> str:
    return unique_slug("cli")


def test_tenants_create_then_list_shows_it_at_head(settings: Settings, slug: str) -> None:
    created = run(settings, "tenants", "create", slug, "--name", "CLI Consulting")
    assert created.returncode == 0, created.stderr
    assert f"created tenant {slug}" in created.stdout
    listed = run(settings, "tenants", "list")
    row = next(line for line in listed.stdout.splitlines() if slug in line)
    assert str(head_of(TENANT)) in row


@pytest.mark.parametrize("bad", ["pg_catalog", "public", "Bad-Slug"])
def test_tenants_create_refuses_bad_slugs_with_a_clear_message(
    settings: Settings, bad: str
) -> None:
    result = run(settings, "tenants", "create", bad, "--name", "x")
    assert result.returncode == 2
    assert "invalid tenant slug" in result.stderr


def test_tenants_create_refuses_a_duplicate(settings: Settings, slug: str) -> None:
    assert run(settings, "tenants", "create", slug, "--name", "One").returncode == 0
    again = run(settings, "tenants", "create", slug, "--name", "Two")
    assert again.returncode == 2 and "already exists" in again.stderr


async def test_tokens_create_prints_a_token_once_that_authenticates(
    settings: Settings, slug: str, client: httpx.AsyncClient
) -> None:
    assert run(settings, "tenants", "create", slug, "--name", "Tokens").returncode == 0
    result = run(settings, "tokens", "create", "--tenant", slug, "--role", "viewer", "--name", "ci")
    assert result.returncode == 0, result.stderr
    line = next(x for x in result.stdout.splitlines() if x.startswith("API token: "))
    token = line.removeprefix("API token: ").strip()
    viewer = data(await gql(client, "{ viewer { role tenant { slug } } }", token=token))["viewer"]
    assert viewer == {"role": "VIEWER", "tenant": {"slug": slug}}
    listed = run(settings, "tokens", "list", "--tenant", slug)
    assert "ci" in listed.stdout and token not in listed.stdout


async def test_tokens_revoke_ends_the_token_and_is_audited(
    settings: Settings, slug: str, client: httpx.AsyncClient, engine: AsyncEngine
) -> None:
    assert run(settings, "tenants", "create", slug, "--name", "Revoke").returncode == 0
    created = run(settings, "tokens", "create", "--tenant", slug, "--role", "viewer")
    token = next(
        x.removeprefix("API token: ").strip()
        for x in created.stdout.splitlines()
        if x.startswith("API token: ")
    )
    listed = json.loads(run(settings, "tokens", "list", "--tenant", slug, "--json").stdout)
    revoked = run(settings, "tokens", "revoke", listed[0]["globalId"], "--tenant", slug)
    assert revoked.returncode == 0, revoked.stderr
    await gql(client, "{ viewer { role } }", token=token, expect_status=401)
    async with engine.connect() as conn:
        ref = await get_tenant(conn, slug)
    assert ref is not None
    async with tenant_session(engine, ref) as session:
        trail = (
            await session.execute(
                select(m.AuditEvent.action, m.AuditEvent.actor, m.AuditEvent.actor_kind).where(
                    m.AuditEvent.object_id == uuid.UUID(listed[0]["id"])
                )
            )
        ).all()
    assert [tuple(r) for r in trail] == [("revoke", CLI_ACTOR.label, "cli")]
    again = run(settings, "tokens", "revoke", listed[0]["id"], "--tenant", slug)
    assert again.returncode == 2 and "no live token" in again.stderr


def test_tokens_create_refuses_an_unknown_role(settings: Settings, slug: str) -> None:
    assert run(settings, "tenants", "create", slug, "--name", "Roles").returncode == 0
    result = run(settings, "tokens", "create", "--tenant", slug, "--role", "superuser")
    assert result.returncode == 2 and "invalid role" in result.stderr


def test_tenants_migrate_reports_every_tenant(settings: Settings, slug: str) -> None:
    assert run(settings, "tenants", "create", slug, "--name", "Migrate").returncode == 0
    result = run(settings, "tenants", "migrate", "--concurrency", "2")
    assert result.returncode == 0, result.stderr
    assert "0 failed" in result.stdout


def test_tenants_drop_needs_yes_then_drops(settings: Settings, slug: str) -> None:
    assert run(settings, "tenants", "create", slug, "--name", "Drop").returncode == 0
    refused = run(settings, "tenants", "drop", slug)
    assert refused.returncode == 2 and "--yes" in refused.stderr
    dropped = run(settings, "tenants", "drop", slug, "--yes")
    assert dropped.returncode == 0, dropped.stderr
    assert slug not in run(settings, "tenants", "list").stdout


def test_invalid_configuration_names_the_variable(settings: Settings) -> None:
    result = run(settings, "tenants", "list", STEWARD_PORT="not-a-port")
    assert result.returncode != 0
    assert "STEWARD_PORT" in result.stderr
