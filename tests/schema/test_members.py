"""Members over real HTTP: invite, change role, deactivate; the list and who sees whom."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from schema.ids import global_id
from tenants.models import AuditEvent, Member, MemberStatus
from tenants.principals import Role
from tenants.registry import TenantRef
from tenants.services.audit import Actor, AuditActorKind
from tenants.services.members import deactivate_member, update_member_role
from tenants.session import tenant_session
from tenants.tokens import issue_token
from tests.conftest import TokenFactory
from tests.schema.support import add_client, audit_actions, errors_of, mutation, non_admin_roles, ok
from tests.support import add_active_admins, data, gql, race_uncommitted

FIELDS = """id version email displayName role status lastLoginAt createdAt
  clientOrganisation { id name }"""
MEMBER = f"member {{ {FIELDS} }}"
INVITE = mutation("inviteMember", MEMBER)
UPDATE_ROLE = mutation("updateMemberRole", MEMBER)
DEACTIVATE = mutation("deactivateMember", "member { id status version }")
LIST = """
query($first: Int, $after: String, $filter: MemberFilter) {
  members(first: $first, after: $after, filter: $filter) {
    totalCount
    edges { cursor node { id email role status } }
    pageInfo { hasNextPage endCursor }
  }
}"""
NODE = "query($id: ID!) { node(id: $id) { id ... on Member { email role } } }"
VIEWER_MEMBER = "{ viewer { kind member { id email role } } }"


async def invite(client: httpx.AsyncClient, token: str, **fields: Any) -> dict[str, Any]:
    fields = {"email": f"{uuid.uuid4().hex[:8]}@acme.test", "role": "VIEWER", **fields}
    return await INVITE.send(client, token, **fields)


def errors_in_order(payload: dict[str, Any]) -> list[tuple[str, str]]:
    """A payload's errors as (field, code), in the order the API gave them."""
    return [(e["field"], e["code"]) for e in payload["errors"]]


async def _activate(engine: AsyncEngine, tenant: TenantRef, member_gid: str) -> uuid.UUID:
    """Link a member as its first login would (tests cannot log in here)."""
    from schema.ids import parse_global_id

    parsed = parse_global_id(member_gid)
    assert parsed is not None
    async with tenant_session(engine, tenant) as s:
        await s.execute(
            update(Member)
            .where(Member.id == parsed[1])
            .values(status=MemberStatus.ACTIVE, issuer="https://idp.test", subject=uuid.uuid4().hex)
        )
    return parsed[1]


async def test_invite_change_role_deactivate_each_write_an_audit_event(
    client: httpx.AsyncClient, engine: AsyncEngine, tenant: TenantRef, token: str, globex: uuid.UUID
) -> None:
    invited = await invite(
        client,
        token,
        email="Ann@Globex.test",
        role="CLIENT_OWNER",
        clientOrganisationId=global_id("ClientOrganisation", globex),
        displayName="Ann",
    )
    member = ok(invited)
    assert member["status"] == "INVITED" and member["version"] == 1
    assert member["role"] == "CLIENT_OWNER" and member["displayName"] == "Ann"
    assert member["clientOrganisation"]["name"] == "Globex"
    assert member["lastLoginAt"] is None
    changed = ok(
        await UPDATE_ROLE.send(client, token, id=member["id"], version=1, role="CLIENT_VIEWER")
    )
    assert changed["role"] == "CLIENT_VIEWER" and changed["version"] == 2
    to_staff = await UPDATE_ROLE.send(
        client, token, id=member["id"], version=2, role="CONSULTANT", clientOrganisationId=None
    )
    assert ok(to_staff)["clientOrganisation"] is None
    gone = ok(await DEACTIVATE.send(client, token, id=member["id"], version=3))
    assert gone["status"] == "DEACTIVATED"
    assert await audit_actions(engine, tenant, "Member") == [
        "invite",
        "update_role",
        "update_role",
        "deactivate",
    ]


async def test_invite_validation_errors_name_the_field_and_write_nothing(
    client: httpx.AsyncClient, engine: AsyncEngine, tenant: TenantRef, token: str, globex: uuid.UUID
) -> None:
    globex_id = global_id("ClientOrganisation", globex)
    cases: list[tuple[dict[str, Any], dict[str, str]]] = [
        ({"email": "not-an-e-mail"}, {"email": "VALIDATION"}),
        ({"email": "  "}, {"email": "VALIDATION"}),
        ({"role": "CLIENT_VIEWER"}, {"clientOrganisationId": "VALIDATION"}),
        (
            {"role": "CONSULTANT", "clientOrganisationId": globex_id},
            {"clientOrganisationId": "VALIDATION"},
        ),
        (
            {
                "role": "CLIENT_VIEWER",
                "clientOrganisationId": global_id("ClientOrganisation", uuid.uuid4()),
            },
            {"clientOrganisationId": "NOT_FOUND"},
        ),
        ({"clientOrganisationId": "bm90LWFuLWlk"}, {"clientOrganisationId": "VALIDATION"}),
    ]
    for fields, expected in cases:
        result = await invite(client, token, **fields)
        assert result["member"] is None, fields
        assert errors_of(result) == expected, fields
    assert await audit_actions(engine, tenant, "Member") == []
    assert (await invite(client, token, email="dup@acme.test"))["errors"] == []
    dup = await invite(client, token, email="DUP@acme.test")
    assert errors_in_order(dup) == [("email", "CONFLICT")]


async def test_update_role_conflicts_and_rules(
    client: httpx.AsyncClient, engine: AsyncEngine, tenant: TenantRef, token: str
) -> None:
    member = (await invite(client, token, role="ADMIN"))["member"]
    stale = await UPDATE_ROLE.send(client, token, id=member["id"], version=7, role="VIEWER")
    assert stale["member"] is None
    assert errors_in_order(stale) == [("version", "CONFLICT")]
    # Client role without an organisation.
    bad = await UPDATE_ROLE.send(client, token, id=member["id"], version=1, role="CLIENT_OWNER")
    assert errors_in_order(bad) == [("clientOrganisationId", "VALIDATION")]
    # The tenant's last active admin can be neither demoted nor deactivated.
    await _activate(engine, tenant, member["id"])
    last = await UPDATE_ROLE.send(client, token, id=member["id"], version=1, role="VIEWER")
    assert errors_in_order(last) == [("role", "VALIDATION")]
    kept = await DEACTIVATE.send(client, token, id=member["id"], version=1)
    assert errors_in_order(kept) == [("id", "VALIDATION")]
    missing = await DEACTIVATE.send(client, token, id=global_id("Member", uuid.uuid4()), version=1)
    assert errors_in_order(missing) == [("id", "NOT_FOUND")]


async def test_deactivation_revokes_the_members_tokens_at_once(
    client: httpx.AsyncClient, engine: AsyncEngine, tenant: TenantRef, token: str
) -> None:
    member = (await invite(client, token, role="CONSULTANT"))["member"]
    member_id = await _activate(engine, tenant, member["id"])
    async with engine.connect() as conn, conn.begin():
        theirs = await issue_token(
            conn, tenant=tenant, role="consultant", name="theirs", member_id=member_id
        )
    viewer = data(await gql(client, VIEWER_MEMBER, token=theirs.secret))["viewer"]
    assert viewer["member"] == {"id": member["id"], "email": member["email"], "role": "CONSULTANT"}
    plain = data(await gql(client, VIEWER_MEMBER, token=token))["viewer"]
    assert plain == {"kind": "API_TOKEN", "member": None}
    gone = await DEACTIVATE.send(client, token, id=member["id"], version=1)
    assert gone["errors"] == []
    await gql(client, VIEWER_MEMBER, token=theirs.secret, expect_status=401)
    again = await DEACTIVATE.send(client, token, id=member["id"], version=2)
    assert errors_in_order(again) == [("id", "VALIDATION")]
    async with tenant_session(engine, tenant) as s:
        event = await s.scalar(
            select(AuditEvent).where(
                AuditEvent.object_type == "Member", AuditEvent.action == "deactivate"
            )
        )
    assert event is not None and event.after("tokensRevoked") == 1
    assert event.before("status") == "ACTIVE" and event.after("status") == "DEACTIVATED"


async def test_only_admins_manage_members(
    client: httpx.AsyncClient,
    tenant: TenantRef,
    token: str,
    globex: uuid.UUID,
    make_token: TokenFactory,
) -> None:
    member = (await invite(client, token))["member"]
    for role, org_id in non_admin_roles(globex):
        theirs = await make_token(tenant, role, org_id)
        invited = await invite(client, theirs)
        changed = await UPDATE_ROLE.send(client, theirs, id=member["id"], version=1, role="ADMIN")
        gone = await DEACTIVATE.send(client, theirs, id=member["id"], version=1)
        for result in (invited, changed, gone):
            assert result["member"] is None, role
            assert [e["code"] for e in result["errors"]] == ["FORBIDDEN"], role


async def test_the_list_filters_pages_and_confines_client_principals(
    client: httpx.AsyncClient,
    engine: AsyncEngine,
    tenant: TenantRef,
    token: str,
    viewer: str,
    make_token: TokenFactory,
) -> None:
    x, y = await add_client(engine, tenant, "X corp"), await add_client(engine, tenant, "Y corp")
    gx, gy = global_id("ClientOrganisation", x), global_id("ClientOrganisation", y)
    staff = (await invite(client, token, role="CONSULTANT"))["member"]
    in_x = (await invite(client, token, role="CLIENT_OWNER", clientOrganisationId=gx))["member"]
    in_y = (await invite(client, token, role="CLIENT_VIEWER", clientOrganisationId=gy))["member"]
    gone = (await invite(client, token, role="VIEWER"))["member"]
    await gql(client, DEACTIVATE.document, {"input": {"id": gone["id"], "version": 1}}, token=token)

    async def ids(principal: str, **variables: Any) -> list[str]:
        found = data(await gql(client, LIST, variables, token=principal))["members"]
        if "after" not in variables:
            assert found["totalCount"] == len(found["edges"])
        return [e["node"]["id"] for e in found["edges"]]

    everyone = [staff["id"], in_x["id"], in_y["id"], gone["id"]]
    assert await ids(token) == everyone
    # Every staff role sees every member; only admins manage them.
    assert await ids(viewer) == everyone
    assert await ids(token, filter={"role": ["CLIENT_OWNER", "CLIENT_VIEWER"]}) == [
        in_x["id"],
        in_y["id"],
    ]
    assert await ids(token, filter={"status": ["DEACTIVATED"]}) == [gone["id"]]
    assert await ids(token, filter={"clientOrganisationId": gy}) == [in_y["id"]]
    assert await ids(token, filter={"staffOnly": True}) == [staff["id"], gone["id"]]
    assert await ids(token, filter={"clientOrganisationId": "bm90LWFuLWlk"}) == []
    page = data(await gql(client, LIST, {"first": 2}, token=token))["members"]
    assert page["pageInfo"]["hasNextPage"] and page["totalCount"] == 4
    rest = await ids(token, first=5, after=page["pageInfo"]["endCursor"])
    assert rest == everyone[2:]
    # A client principal sees only its own organisation's members, and nobody else's by id.
    x_viewer = await make_token(tenant, "client_viewer", x)
    assert await ids(x_viewer) == [in_x["id"]]
    assert await ids(x_viewer, filter={"clientOrganisationId": gy}) == []
    for other in (staff, in_y):
        assert data(await gql(client, NODE, {"id": other["id"]}, token=x_viewer))["node"] is None
    own = data(await gql(client, NODE, {"id": in_x["id"]}, token=x_viewer))["node"]
    assert own == {"id": in_x["id"], "email": in_x["email"], "role": "CLIENT_OWNER"}


async def test_node_of_another_tenant_is_null(
    client: httpx.AsyncClient, token: str, stranger: str
) -> None:
    member = (await invite(client, token))["member"]
    assert data(await gql(client, NODE, {"id": member["id"]}, token=token))["node"]["id"]
    assert data(await gql(client, NODE, {"id": member["id"]}, token=stranger))["node"] is None
    other = await DEACTIVATE.send(client, stranger, id=member["id"], version=1)
    assert [e["code"] for e in other["errors"]] == ["NOT_FOUND"]


@pytest.mark.parametrize("change", ["demote", "deactivate"])
async def test_two_admins_removing_each_other_at_once_leave_one_admin(
    engine: AsyncEngine, tenant: TenantRef, change: str
) -> None:
    # Write skew: each transaction checks "is another admin left?" before the other
    # commits. The second must wait for the first and then see it is the last admin.
    first, second = await add_active_admins(engine, tenant)
    actor = Actor("test", AuditActorKind.SYSTEM)

    async def remove(session: AsyncSession, member_id: uuid.UUID) -> None:
        if change == "demote":
            await update_member_role(
                session, actor=actor, member_id=member_id, expected_version=1, role=Role.VIEWER
            )
        else:
            await deactivate_member(session, actor=actor, member_id=member_id, expected_version=1)

    _, refused = await race_uncommitted(
        engine, tenant, lambda one: remove(one, first), lambda two: remove(two, second)
    )

    assert refused is not None, "both admins were removed"
    assert "last active admin" in refused.errors[0].message
    async with tenant_session(engine, tenant) as s:
        left = await s.scalar(
            select(func.count())
            .select_from(Member)
            .where(Member.role == Role.ADMIN, Member.status == MemberStatus.ACTIVE)
        )
    assert left == 1
