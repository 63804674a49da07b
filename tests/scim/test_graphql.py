"""`issueScimToken`: admins issue a provider's SCIM token over GraphQL; no one else may."""

from __future__ import annotations

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from schema.ids import global_id
from tenants.models import AuditEvent
from tenants.session import tenant_session
from tests.conftest import TokenFactory
from tests.scim.conftest import ScimWorld, add_scim_provider
from tests.support import data, gql

ISSUE = """
mutation($input: IssueScimTokenInput!) {
  issueScimToken(input: $input) {
    identityProvider { id name }
    secret scimBaseUrl
    errors { field code message }
  }
}
"""


async def test_an_admin_issues_a_working_token_and_can_revoke_the_old_ones(
    client: httpx.AsyncClient,
    make_token: TokenFactory,
    scim_world: ScimWorld,
    engine: AsyncEngine,
    base_url: str,
) -> None:
    p = await add_scim_provider(engine, base_url, scim_world.other.tenant, "Wonka")
    admin = await make_token(p.tenant, "admin")
    idp = global_id("IdentityProvider", p.idp_id)
    variables = {"input": {"identityProviderId": idp, "revokeExisting": True}}
    result = data(await gql(client, ISSUE, variables, token=admin))["issueScimToken"]
    assert result["errors"] == [] and result["identityProvider"]["id"] == idp
    assert result["scimBaseUrl"].endswith(f"/scim/v2/{p.tenant.slug}/{p.idp_id}")
    fresh = {"authorization": f"Bearer {result['secret']}"}
    assert (await client.get(f"{p.base}/Users", headers=fresh)).status_code == 200
    assert (await client.get(f"{p.base}/Users", headers=p.headers())).status_code == 401
    async with tenant_session(engine, p.tenant) as db:
        events = list(await db.scalars(select(AuditEvent).where(AuditEvent.object_id == p.idp_id)))
    assert {"issue_scim_token", "revoke_scim_tokens"} <= {
        e.action for e in events if e.actor_kind == "api_token"
    }


async def test_no_one_but_an_admin_may_issue_one(
    client: httpx.AsyncClient, make_token: TokenFactory, scim_world: ScimWorld
) -> None:
    p = scim_world.staff
    variables = {"input": {"identityProviderId": global_id("IdentityProvider", p.idp_id)}}
    for role in ("consultant", "viewer"):
        token = await make_token(p.tenant, role)
        result = data(await gql(client, ISSUE, variables, token=token))["issueScimToken"]
        assert result["secret"] is None
        assert [e["code"] for e in result["errors"]] == ["FORBIDDEN"]
    owner = await make_token(p.tenant, "client_owner", scim_world.globex.client_organisation_id)
    result = data(await gql(client, ISSUE, variables, token=owner))["issueScimToken"]
    assert result["secret"] is None and [e["code"] for e in result["errors"]] == ["FORBIDDEN"]


async def test_another_tenants_provider_is_not_found(
    client: httpx.AsyncClient, make_token: TokenFactory, scim_world: ScimWorld
) -> None:
    admin_b = await make_token(scim_world.other.tenant, "admin")
    a_idp = global_id("IdentityProvider", scim_world.staff.idp_id)
    variables = {"input": {"identityProviderId": a_idp}}
    result = data(await gql(client, ISSUE, variables, token=admin_b))["issueScimToken"]
    assert result["secret"] is None
    assert [(e["field"], e["code"]) for e in result["errors"]] == [
        ("identityProviderId", "NOT_FOUND")
    ]
