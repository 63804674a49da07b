"""`steward idp scim-token`: the printed token works on the printed base URL; bad input is a
one-line error with exit code 2."""

from __future__ import annotations

import re
import uuid

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from schema.ids import global_id
from server.settings import Settings
from tenants.models import AuditEvent
from tenants.session import tenant_session
from tests.processes import steward_output
from tests.scim.conftest import ScimWorld, add_scim_provider


async def _steward(settings: Settings, public_url: str, *args: str) -> tuple[int, str, str]:
    return await steward_output(settings, "idp", "scim-token", *args, STEWARD_PUBLIC_URL=public_url)


async def test_the_printed_token_works_and_revoke_existing_ends_the_old_one(
    settings: Settings, base_url: str, scim_world: ScimWorld, engine: AsyncEngine
) -> None:
    # A provider of its own: this test revokes its tokens.
    p = await add_scim_provider(engine, base_url, scim_world.other.tenant, "Umbrella")
    args = ("--tenant", p.tenant.slug, "--id", global_id("IdentityProvider", p.idp_id))
    code, out, err = await _steward(settings, base_url, *args)
    assert code == 0, err
    base = re.search(r"SCIM base URL: (\S+)", out)
    token = re.search(r"SCIM token \(shown once\): (scim_\S+)", out)
    assert base and token and base.group(1) == p.base
    async with httpx.AsyncClient(timeout=30) as http:
        first = {"authorization": f"Bearer {token.group(1)}"}
        assert (await http.get(f"{base.group(1)}/Users", headers=first)).status_code == 200
        code, out, err = await _steward(settings, base_url, *args, "--revoke-existing")
        assert code == 0, err
        second = re.search(r"SCIM token \(shown once\): (scim_\S+)", out)
        assert second is not None
        fresh = {"authorization": f"Bearer {second.group(1)}"}
        assert (await http.get(f"{p.base}/Users", headers=first)).status_code == 401
        assert (await http.get(f"{p.base}/Users", headers=p.headers())).status_code == 401
        assert (await http.get(f"{p.base}/Users", headers=fresh)).status_code == 200
    async with tenant_session(engine, p.tenant) as db:
        events = list(await db.scalars(select(AuditEvent).where(AuditEvent.object_id == p.idp_id)))
    by_cli = {e.action for e in events if e.actor_kind == "cli"}
    assert {"issue_scim_token", "revoke_scim_tokens"} <= by_cli


async def test_bad_input_is_one_line_and_exit_code_2(
    settings: Settings, base_url: str, scim_world: ScimWorld
) -> None:
    slug = scim_world.globex.tenant.slug
    cases = [
        ("--tenant", slug, "--id", "not-an-id"),
        ("--tenant", slug, "--id", str(uuid.uuid4())),
        ("--tenant", "nosuchtenant", "--id", str(scim_world.globex.idp_id)),
        ("--tenant", slug, "--id", global_id("ClientOrganisation", uuid.uuid4())),
    ]
    for args in cases:
        code, out, err = await _steward(settings, base_url, *args)
        assert code == 2, (args, out, err)
        assert err.startswith("error: ") and len(err.strip().splitlines()) == 1, err
        assert "Traceback" not in err and out == ""
