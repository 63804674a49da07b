"""`steward tenants export|import` as a user runs them: a seeded tenant exported to a file and
imported into a fresh tenant; bad input is a one-line error with exit code 2."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from schema.ids import global_id
from server.settings import Settings
from tenants.demo_seed import seed_demo
from tenants.models import AIProcess, AuditEvent, ClientOrganisation
from tenants.provisioning import create_tenant
from tenants.registry import TenantRef
from tenants.session import tenant_session
from tests.processes import steward_output
from tests.support import unique_slug


async def _steward(settings: Settings, *args: str) -> tuple[int, str, str]:
    return await steward_output(settings, "tenants", *args)


async def _counts(engine: AsyncEngine, ref: TenantRef) -> tuple[int, int]:
    async with tenant_session(engine, ref) as s:
        processes = await s.scalar(select(func.count()).select_from(AIProcess))
        events = await s.scalar(select(func.count()).select_from(AuditEvent))
    return int(processes or 0), int(events or 0)


async def test_export_then_import_into_a_fresh_tenant(
    settings: Settings, engine: AsyncEngine, make_tenant: Any, tmp_path: Path
) -> None:
    source = await create_tenant(engine, slug=unique_slug(), name="Src", after_migrate=seed_demo)
    target = await make_tenant()
    dump = tmp_path / "export.jsonl"
    code, out, err = await _steward(settings, "export", source.slug, "--output", str(dump))
    assert code == 0, err
    assert "exported" in out and dump.stat().st_size > 0
    code, out, err = await _steward(settings, "import", target.slug, "--input", str(dump))
    assert code == 0, err
    assert "imported" in out
    assert await _counts(engine, target) == await _counts(engine, source)


async def test_bad_input_is_one_line_and_exit_code_2(
    settings: Settings, make_tenant: Any, tmp_path: Path
) -> None:
    tenant = await make_tenant()
    dump = tmp_path / "x.jsonl"
    bad = tmp_path / "bad.jsonl"
    bad.write_text("not json\n")
    cases = [
        ("export", "nosuchtenant", "--output", str(dump)),
        ("export", tenant.slug, "--output", str(dump), "--client", "not-an-id"),
        ("export", tenant.slug, "--output", str(dump), "--client", str(uuid.uuid4())),
        ("import", tenant.slug, "--input", str(tmp_path / "missing.jsonl")),
        ("import", tenant.slug, "--input", str(bad)),
    ]
    for args in cases:
        code, _, err = await _steward(settings, *args)
        assert code == 2, (args, err)
        assert err.strip().startswith("error: ") and len(err.strip().splitlines()) == 1, err
    assert not dump.exists()
    # An existing file is never overwritten.
    dump.write_text("keep")
    code, _, err = await _steward(settings, "export", tenant.slug, "--output", str(dump))
    assert code == 2 and dump.read_text() == "keep", err


async def test_export_of_one_engagement_by_its_graphql_id(
    settings: Settings, engine: AsyncEngine, make_tenant: Any, tmp_path: Path
) -> None:
    source = await create_tenant(engine, slug=unique_slug(), name="Src", after_migrate=seed_demo)
    async with tenant_session(engine, source) as s:
        clients = list(await s.scalars(select(ClientOrganisation.id)))
    dump = tmp_path / "engagement.jsonl"
    client = global_id("ClientOrganisation", clients[0])
    args = ("export", source.slug, "--output", str(dump), "--client", client)
    code, _, err = await _steward(settings, *args)
    assert code == 0, err
    target = await make_tenant()
    code, _, err = await _steward(settings, "import", target.slug, "--input", str(dump))
    assert code == 0, err
    async with tenant_session(engine, target) as s:
        assert list(await s.scalars(select(ClientOrganisation.id))) == [clients[0]]
