"""API tokens over real HTTP: the secret shown once, scopes, expiry, revocation, admins only."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from schema.ids import global_id
from tenants.errors import DomainError, ErrorCode
from tenants.models import AuditEvent, Member, MemberStatus
from tenants.principals import Role
from tenants.registry import ApiToken, TenantRef
from tenants.services.api_tokens import create_api_token
from tenants.services.audit import SYSTEM
from tenants.services.members import deactivate_member, invite_member, update_member_role
from tenants.session import tenant_session
from tenants.tokens import issue_token, resolve_token
from tests.conftest import TokenFactory
from tests.schema.support import (
    add_client,
    audit_actions,
    errors_of,
    mutation,
    non_admin_roles,
    ok,
)
from tests.support import add_active_admins, data, gql, race_uncommitted

FIELDS = """id name role scopes prefix createdAt expiresAt revokedAt lastUsedAt active
  clientOrganisation { id name } member { id email }"""
CREATE = mutation("createApiToken", f"apiToken {{ {FIELDS} }} secret")
REVOKE = mutation("revokeApiToken", f"apiToken {{ {FIELDS} }}")
LIST = """
query($first: Int, $after: String) {
  apiTokens(first: $first, after: $after) {
    totalCount edges { node { id name prefix revokedAt } } pageInfo { hasNextPage endCursor }
  }
}"""
NODE = "query($id: ID!) { node(id: $id) { id ... on ApiToken { name } } }"
VIEWER = "{ viewer { role member { email } } }"
A_CLIENT = 'mutation { createClientOrganisation(input: {name: "N"}) { errors { code } } }'


async def create(client: httpx.AsyncClient, token: str, **fields: Any) -> dict[str, Any]:
    fields = {"name": "CI export", "role": "CONSULTANT", **fields}
    return await CREATE.send(client, token, **fields)


async def test_create_shows_the_secret_once_and_the_token_works(
    client: httpx.AsyncClient,
    engine: AsyncEngine,
    tenant: TenantRef,
    token: str,
) -> None:
    expires = (datetime.now(UTC) + timedelta(days=30)).replace(microsecond=0)
    result = await create(client, token, scopes=["READ", "REPORTS"], expiresAt=expires.isoformat())
    assert result["errors"] == []
    secret, made = result["secret"], result["apiToken"]
    assert secret.startswith("stw_") and made["prefix"] == secret[:12]
    assert made["role"] == "CONSULTANT" and made["scopes"] == ["READ", "REPORTS"]
    assert datetime.fromisoformat(made["expiresAt"]) == expires
    assert made["active"] is True and made["revokedAt"] is None
    assert made["member"] is None and made["clientOrganisation"] is None
    assert data(await gql(client, VIEWER, token=secret))["viewer"]["role"] == "CONSULTANT"
    listed = await gql(client, LIST, token=token)
    assert secret not in json.dumps(listed)
    names = [e["node"]["name"] for e in data(listed)["apiTokens"]["edges"]]
    assert names == ["CI export", "test admin"]
    node = data(await gql(client, NODE, {"id": made["id"]}, token=token))["node"]
    assert node == {"id": made["id"], "name": "CI export"}
    async with tenant_session(engine, tenant) as s:
        audit = list(
            await s.execute(
                select(AuditEvent.action, AuditEvent.changes).where(
                    AuditEvent.object_type == "ApiToken"
                )
            )
        )
    assert [a for a, _ in audit] == ["create"] and secret not in json.dumps(audit[0][1])


async def test_create_validation_errors_come_together(
    client: httpx.AsyncClient,
    engine: AsyncEngine,
    tenant: TenantRef,
    token: str,
) -> None:
    past = (datetime.now(UTC) - timedelta(minutes=1)).isoformat()
    bad = await create(client, token, name=" ", scopes=["READ"], expiresAt=past)
    assert bad["apiToken"] is None and bad["secret"] is None
    assert errors_of(bad) == {"name": "VALIDATION", "expiresAt": "VALIDATION"}
    # Scopes are the ApiTokenScope enum: anything else is refused before any resolver runs.
    variables = {"input": {"name": "t", "role": "CONSULTANT", "scopes": ["READ", "root"]}}
    unknown_scope = await gql(client, CREATE.document, variables, token=token)
    assert unknown_scope.get("data") is None
    assert "ApiTokenScope" in unknown_scope["errors"][0]["message"]
    far = (datetime.now(UTC) + timedelta(days=400)).isoformat()
    assert errors_of(await create(client, token, expiresAt=far)) == {"expiresAt": "VALIDATION"}
    assert errors_of(await create(client, token, role="CLIENT_VIEWER")) == {
        "clientOrganisationId": "VALIDATION"
    }
    unknown = global_id("ClientOrganisation", uuid.uuid4())
    assert errors_of(
        await create(client, token, role="CLIENT_VIEWER", clientOrganisationId=unknown)
    ) == {"clientOrganisationId": "NOT_FOUND"}
    listed = data(await gql(client, LIST, token=token))["apiTokens"]
    assert listed["totalCount"] == 1  # only the admin's own token


async def test_a_client_role_token_is_confined_and_a_read_scope_cannot_write(
    client: httpx.AsyncClient, token: str, globex: uuid.UUID
) -> None:
    result = await create(
        client,
        token,
        role="CLIENT_VIEWER",
        clientOrganisationId=global_id("ClientOrganisation", globex),
    )
    assert result["apiToken"]["clientOrganisation"]["name"] == "Globex"
    reader = await create(client, token, role="ADMIN", scopes=["READ"])
    refused = data(await gql(client, A_CLIENT, token=reader["secret"]))
    assert refused["createClientOrganisation"]["errors"] == [{"code": "FORBIDDEN"}]
    # A read-scoped admin token does not see the tenant administration either.
    assert data(await gql(client, LIST, token=reader["secret"]))["apiTokens"]["totalCount"] == 0
    writer = await create(client, token, role="ADMIN", scopes=["ADMIN"])
    assert data(await gql(client, LIST, token=writer["secret"]))["apiTokens"]["totalCount"] == 4


async def test_revoke_stops_the_token_at_once(
    client: httpx.AsyncClient,
    engine: AsyncEngine,
    tenant: TenantRef,
    token: str,
) -> None:
    made = await create(client, token)
    revoked = ok(await REVOKE.send(client, token, id=made["apiToken"]["id"]))
    assert revoked["revokedAt"] and revoked["active"] is False
    await gql(client, VIEWER, token=made["secret"], expect_status=401)
    again = await REVOKE.send(client, token, id=made["apiToken"]["id"])
    assert errors_of(again) == {"id": "VALIDATION"} and again["apiToken"] is None
    missing = await REVOKE.send(client, token, id=global_id("ApiToken", uuid.uuid4()))
    assert errors_of(missing) == {"id": "NOT_FOUND"}
    assert await audit_actions(engine, tenant, "ApiToken") == ["create", "revoke"]


async def test_a_token_made_by_a_member_is_theirs_and_dies_with_them(
    client: httpx.AsyncClient, engine: AsyncEngine, tenant: TenantRef, make_token: TokenFactory
) -> None:
    async with tenant_session(engine, tenant) as s:
        member = await invite_member(s, actor=SYSTEM, email="ann@acme.test", role=Role.ADMIN)
        # A second admin, so Ann is not the last one and can be deactivated.
        other = await invite_member(s, actor=SYSTEM, email="bob@acme.test", role=Role.ADMIN)
        for who in (member, other):
            await s.execute(
                update(Member)
                .where(Member.id == who.id)
                .values(status=MemberStatus.ACTIVE, issuer="https://idp.test", subject=who.email)
            )
    async with engine.connect() as conn, conn.begin():
        ann = await issue_token(conn, tenant=tenant, role="admin", name="ann", member_id=member.id)
    assert data(await gql(client, VIEWER, token=ann.secret))["viewer"]["member"] == {
        "email": "ann@acme.test"
    }
    made = await create(client, ann.secret)
    assert made["apiToken"]["member"]["email"] == "ann@acme.test"
    plain = await make_token(tenant, "admin")
    deactivated = data(
        await gql(
            client,
            "mutation($i: DeactivateMemberInput!) "
            "{ deactivateMember(input: $i) { errors { code } } }",
            {"i": {"id": global_id("Member", member.id), "version": 1}},
            token=plain,
        )
    )
    assert deactivated["deactivateMember"]["errors"] == []
    await gql(client, VIEWER, token=made["secret"], expect_status=401)
    await gql(client, VIEWER, token=ann.secret, expect_status=401)
    assert other.id != member.id


async def test_pages_newest_first(client: httpx.AsyncClient, token: str) -> None:
    for name in ("one", "two", "three"):
        await create(client, token, name=name)
    page = data(await gql(client, LIST, {"first": 2}, token=token))["apiTokens"]
    assert [e["node"]["name"] for e in page["edges"]] == ["three", "two"]
    assert page["totalCount"] == 4 and page["pageInfo"]["hasNextPage"]
    rest = data(
        await gql(client, LIST, {"first": 5, "after": page["pageInfo"]["endCursor"]}, token=token)
    )["apiTokens"]
    assert [e["node"]["name"] for e in rest["edges"]] == ["one", "test admin"]
    assert rest["pageInfo"]["hasNextPage"] is False
    body = await gql(client, LIST, {"after": "garbage!"}, token=token)
    assert "invalid cursor" in body["errors"][0]["message"]


async def test_only_admins_see_or_manage_tokens(
    client: httpx.AsyncClient,
    engine: AsyncEngine,
    tenant: TenantRef,
    token: str,
    make_token: TokenFactory,
) -> None:
    made = await create(client, token)
    org = await add_client(engine, tenant)
    for role, org_id in non_admin_roles(org):
        theirs = await make_token(tenant, role, org_id)
        listed = data(await gql(client, LIST, token=theirs))["apiTokens"]
        assert listed == {
            "totalCount": 0,
            "edges": [],
            "pageInfo": {"hasNextPage": False, "endCursor": None},
        }, role
        assert (
            data(await gql(client, NODE, {"id": made["apiToken"]["id"]}, token=theirs))["node"]
            is None
        )
        refused = await create(client, theirs)
        assert refused["secret"] is None and errors_of(refused) == {None: "FORBIDDEN"}
        revoke = await REVOKE.send(client, theirs, id=made["apiToken"]["id"])
        assert [e["code"] for e in revoke["errors"]] == ["FORBIDDEN"], role
    assert data(await gql(client, VIEWER, token=made["secret"]))["viewer"]["role"] == "CONSULTANT"


async def test_another_tenants_token_is_like_a_missing_one(
    client: httpx.AsyncClient, token: str, stranger: str
) -> None:
    made = await create(client, token)
    assert (
        data(await gql(client, NODE, {"id": made["apiToken"]["id"]}, token=stranger))["node"]
        is None
    )
    revoke = await REVOKE.send(client, stranger, id=made["apiToken"]["id"])
    assert errors_of(revoke) == {"id": "NOT_FOUND"}
    assert data(await gql(client, LIST, token=stranger))["apiTokens"]["totalCount"] == 1


@pytest.mark.parametrize("first", ["token", "deactivation"])
async def test_a_token_created_while_its_member_is_deactivated_does_not_survive(
    engine: AsyncEngine, tenant: TenantRef, first: str
) -> None:
    # The deactivation revokes the member's tokens with one UPDATE, which cannot see a
    # token another transaction has not committed yet. Whichever goes first, no live
    # token of the deactivated member may be left.
    leaving, _ = await add_active_admins(engine, tenant)

    async def create_token(session: AsyncSession) -> None:
        await create_api_token(
            session, actor=SYSTEM, tenant=tenant, name="ci", role=Role.ADMIN, member_id=leaving
        )

    async def deactivate(session: AsyncSession) -> None:
        await deactivate_member(session, actor=SYSTEM, member_id=leaving, expected_version=1)

    steps = (create_token, deactivate) if first == "token" else (deactivate, create_token)
    _, refused = await race_uncommitted(engine, tenant, *steps)

    async with engine.connect() as conn:
        live = await conn.scalar(
            select(func.count())
            .select_from(ApiToken)
            .where(ApiToken.member_id == leaving, ApiToken.revoked_at.is_(None))
        )
    assert live == 0
    if first == "deactivation":  # the token was refused, not created and revoked
        assert refused is not None and refused.errors[0].code is ErrorCode.FORBIDDEN


async def _admin_token_of(session: AsyncSession, tenant: TenantRef, member: uuid.UUID) -> Any:
    """An admin token the admin `member` asks for (the service call behind createApiToken)."""
    return await create_api_token(
        session,
        actor=SYSTEM,
        tenant=tenant,
        name="ci",
        role=Role.ADMIN,
        member_id=member,
        acting_role=Role.ADMIN,
    )


async def _demote(engine: AsyncEngine, tenant: TenantRef, member: uuid.UUID) -> None:
    """Make the admin `member` a viewer, committed."""
    async with tenant_session(engine, tenant) as s:
        await update_member_role(
            s, actor=SYSTEM, member_id=member, expected_version=1, role=Role.VIEWER
        )


async def test_a_role_change_revokes_the_members_tokens(
    engine: AsyncEngine, tenant: TenantRef
) -> None:
    # A token keeps the role it was issued with: a demoted admin must not keep admin tokens.
    demoted, _ = await add_active_admins(engine, tenant)
    async with tenant_session(engine, tenant) as s:
        issued = await _admin_token_of(s, tenant, demoted)
    await _demote(engine, tenant, demoted)
    async with engine.connect() as conn:
        assert await resolve_token(conn, issued.secret) is None
    async with tenant_session(engine, tenant) as s:
        event = await s.scalar(
            select(AuditEvent).where(
                AuditEvent.object_id == demoted, AuditEvent.action == "update_role"
            )
        )
    assert event is not None and event.after("tokensRevoked") == 1


async def test_a_token_request_authorized_under_a_role_since_changed_is_refused(
    engine: AsyncEngine, tenant: TenantRef
) -> None:
    # The request was authorized as admin; the member was demoted before its token was
    # written (the demotion committed first, so its revocation could not see this token).
    demoted, _ = await add_active_admins(engine, tenant)
    await _demote(engine, tenant, demoted)
    with pytest.raises(DomainError) as refused:
        async with tenant_session(engine, tenant) as s:
            await _admin_token_of(s, tenant, demoted)
    assert refused.value.errors[0].code is ErrorCode.FORBIDDEN
    async with engine.connect() as conn:
        count = await conn.scalar(
            select(func.count()).select_from(ApiToken).where(ApiToken.member_id == demoted)
        )
    assert count == 0
