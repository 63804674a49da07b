"""`active: false` over SCIM ends the member's browser sessions and API tokens at once."""

from __future__ import annotations

import uuid
from datetime import timedelta

import httpx
from sqlalchemy.ext.asyncio import AsyncEngine

from server.auth.cookies import SESSION_COOKIE
from tenants.models import Member, MemberStatus
from tenants.principals import Role
from tenants.services.api_tokens import create_api_token
from tenants.services.audit import SYSTEM
from tenants.services.browser_sessions import open_browser_session
from tenants.session import tenant_session
from tests.scim.conftest import ScimProvider, ScimWorld, new_user

VIEWER = {"query": "{ viewer { role } }"}


async def _signed_in_member(
    http: httpx.AsyncClient, engine: AsyncEngine, p: ScimProvider
) -> tuple[dict[str, object], str, str]:
    """A SCIM-provisioned member who has signed in: a browser session and an API token."""
    created = (await http.post(f"{p.base}/Users", json=new_user(), headers=p.headers())).json()
    async with tenant_session(engine, p.tenant) as db:
        member = await db.get(Member, uuid.UUID(str(created["id"])))
        assert member is not None
        # What the first login does (tenants/services/login.py): link the identity.
        member.issuer, member.subject = "https://globex.idp.test", uuid.uuid4().hex
        member.status = MemberStatus.ACTIVE
        await db.flush()
        opened = await open_browser_session(
            db, tenant=p.tenant, member=member, idle=timedelta(hours=1)
        )
        token = await create_api_token(
            db,
            actor=SYSTEM,
            tenant=p.tenant,
            name="member's script",
            role=Role.CLIENT_VIEWER,
            client_organisation_id=p.client_organisation_id,
            member_id=member.id,
        )
    return created, opened.secret, token.secret


async def _session_ok(http: httpx.AsyncClient, base_url: str, secret: str) -> int:
    r = await http.get(f"{base_url}/auth/session", headers={"cookie": f"{SESSION_COOKIE}={secret}"})
    return r.status_code


async def _token_ok(http: httpx.AsyncClient, base_url: str, secret: str) -> int:
    headers = {"authorization": f"Bearer {secret}"}
    return (await http.post(f"{base_url}/graphql", json=VIEWER, headers=headers)).status_code


async def test_patch_active_false_ends_sessions_and_tokens_at_once(
    http: httpx.AsyncClient, scim_world: ScimWorld, engine: AsyncEngine, base_url: str
) -> None:
    p = scim_world.globex
    user, session_secret, token_secret = await _signed_in_member(http, engine, p)
    assert await _session_ok(http, base_url, session_secret) == 200
    assert await _token_ok(http, base_url, token_secret) == 200
    patch = {
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations": [{"op": "replace", "value": {"active": False}}],
    }
    r = await http.patch(f"{p.base}/Users/{user['id']}", json=patch, headers=p.headers())
    assert r.status_code == 200, r.text
    assert r.json()["active"] is False
    assert await _session_ok(http, base_url, session_secret) == 401
    assert await _token_ok(http, base_url, token_secret) == 401
    # Reactivating brings the member back, never the ended credentials.
    patch["Operations"] = [{"op": "replace", "path": "active", "value": True}]
    r = await http.patch(f"{p.base}/Users/{user['id']}", json=patch, headers=p.headers())
    assert r.status_code == 200 and r.json()["active"] is True
    assert await _session_ok(http, base_url, session_secret) == 401
    assert await _token_ok(http, base_url, token_secret) == 401
    async with tenant_session(engine, p.tenant) as db:
        member = await db.get(Member, uuid.UUID(str(user["id"])))
    assert member is not None and member.status is MemberStatus.ACTIVE


async def test_put_with_active_false_deactivates_too(
    http: httpx.AsyncClient, scim_world: ScimWorld, engine: AsyncEngine, base_url: str
) -> None:
    p = scim_world.globex
    user, session_secret, token_secret = await _signed_in_member(http, engine, p)
    body = new_user() | {"userName": user["userName"], "active": False}
    r = await http.put(f"{p.base}/Users/{user['id']}", json=body, headers=p.headers())
    assert r.status_code == 200, r.text
    assert await _session_ok(http, base_url, session_secret) == 401
    assert await _token_ok(http, base_url, token_secret) == 401
