"""Isolation, generated from the schema: tenant B and client Y learn nothing of A's or X's data.

For every Node type, every mutation that takes an id, the list queries and the
audit trail, a foreign id must get exactly what an id that does not exist gets.
New node types and mutations join automatically (NODE_KINDS, the schema walk);
a node type with no row in the seeded tenant fails `test_every_node_type_is_covered`.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import httpx
import pytest
from cryptography.fernet import Fernet
from sqlalchemy import and_, not_, select
from sqlalchemy.ext.asyncio import AsyncEngine
from structlog.contextvars import merge_contextvars
from structlog.testing import capture_logs

from schema import build_schema
from schema.ids import global_id, parse_global_id
from schema.node import NODE_KINDS
from schema.scoping import visible
from tenants import models as m
from tenants.demo_seed import seed_demo
from tenants.principals import Principal, PrincipalKind, Role
from tenants.provisioning import create_tenant
from tenants.registry import TenantRef
from tenants.services.audit import SYSTEM
from tenants.services.browser_sessions import open_browser_session
from tenants.services.identity_providers import add_identity_provider
from tenants.services.members import invite_member
from tenants.services.secret_box import SecretBox
from tenants.services.sign_in_attempts import record_sign_in_attempt
from tenants.session import tenant_session
from tenants.tokens import issue_token
from tests.security.schema_walk import build_input, document, fake_id, mutations
from tests.support import data, gql, unique_slug

build_schema()  # registers every node type
NODE_QUERY = "query($id: ID!) { node(id: $id) { __typename id } }"


@dataclass
class World:
    a: TenantRef
    b: TenantRef
    client_x: uuid.UUID
    client_y: uuid.UUID
    tokens: dict[str, str]
    # node type -> an id of tenant A, of an object of client X that client Y may not see
    ids: dict[str, str]


async def _token(
    engine: AsyncEngine, tenant: TenantRef, role: str, client: uuid.UUID | None = None
) -> str:
    async with engine.connect() as conn, conn.begin():
        return (
            await issue_token(
                conn, tenant=tenant, role=role, name=role, client_organisation_id=client
            )
        ).secret


def _principal(tenant: TenantRef, role: Role, client: uuid.UUID | None) -> Principal:
    return Principal(PrincipalKind.API_TOKEN, uuid.uuid4(), "probe", role, tenant, client)


async def _add_reports(engine: AsyncEngine, tenant: TenantRef, client: uuid.UUID) -> None:
    """The seed has no generated reports; add one of each for client X, an export and a
    delivery."""
    async with tenant_session(engine, tenant) as s:
        s.add(
            m.ReadinessReport(client_id=client, status=m.ReportStatus.QUEUED, requested_by="probe")
        )
        monday = date.today() - timedelta(days=date.today().weekday())
        s.add(
            m.EngagementHealthReport(
                client_id=client,
                period_start=monday - timedelta(days=7),
                period_end=monday,
                status=m.HealthStatus.AMBER,
                reasons=[],
            )
        )
        await s.flush()
        health_id = await s.scalar(select(m.EngagementHealthReport.id).limit(1))
        s.add(
            m.Export(
                client_id=client,
                kind=m.ExportKind.PROCESSES,
                format=m.ExportFormat.CSV,
                status=m.ReportStatus.QUEUED,
                requested_by="probe",
            )
        )
        s.add(
            m.WebhookDelivery(
                event="health_report.created",
                message_id="msg_probe",
                report_id=health_id,
                attempt=1,
                url="https://hooks.tenant-a.test/steward",
                status_code=204,
                succeeded=True,
            )
        )


async def _add_logins(engine: AsyncEngine, tenant: TenantRef, client: uuid.UUID) -> None:
    """The seed has no members, identity providers, API tokens, sessions or sign-in
    attempts: one of each for client X."""
    async with tenant_session(engine, tenant) as s:
        member = await invite_member(
            s,
            actor=SYSTEM,
            email="probe@client-x.test",
            role=Role.CLIENT_VIEWER,
            client_organisation_id=client,
        )
        # A browser session of that member (MemberSession) and a sign-in attempt.
        await open_browser_session(s, tenant=tenant, member=member, idle=timedelta(hours=1))
        await record_sign_in_attempt(s, reason=None, identity_provider_id=None, member=member)
        await add_identity_provider(
            s,
            actor=SYSTEM,
            box=SecretBox([Fernet.generate_key()]),
            issuer="https://login.client-x.test",
            client_id="steward",
            client_secret="probe",
            allowed_domains=["client-x.test"],
            client_organisation_id=client,
        )
    await _token(engine, tenant, "client_viewer", client)


@pytest.fixture(scope="module")
async def world(engine: AsyncEngine) -> World:
    a = await create_tenant(
        engine, slug=unique_slug("isoa"), name="Tenant A", after_migrate=seed_demo
    )
    b = await create_tenant(engine, slug=unique_slug("isob"), name="Tenant B")
    async with tenant_session(engine, a) as s:
        clients = list(
            await s.scalars(select(m.ClientOrganisation.id).order_by(m.ClientOrganisation.name))
        )
    client_x, client_y = clients[0], clients[1]
    await _add_reports(engine, a, client_x)
    await _add_logins(engine, a, client_x)
    px = _principal(a, Role.CLIENT_VIEWER, client_x)
    py = _principal(a, Role.CLIENT_VIEWER, client_y)
    ids: dict[str, str] = {}
    async with tenant_session(engine, a) as s:
        for name, kind in NODE_KINDS.items():
            model: Any = kind.model
            only_x = and_(visible(model, px), not_(visible(model, py)))
            row = await s.scalar(select(model.id).where(only_x).limit(1))
            if row is None:  # tenant-wide data (dimensions): any row
                row = await s.scalar(select(model.id).limit(1))
            if row is not None:
                ids[name] = global_id(name, row)
    tokens = {
        "a_admin": await _token(engine, a, "admin"),
        "a_consultant": await _token(engine, a, "consultant"),
        "b_admin": await _token(engine, b, "admin"),
        "x_viewer": await _token(engine, a, "client_viewer", client_x),
        "y_viewer": await _token(engine, a, "client_viewer", client_y),
        "y_owner": await _token(engine, a, "client_owner", client_y),
    }
    return World(a, b, client_x, client_y, tokens, ids)


TENANT_WIDE = {"CapabilityDimension"}
# Tenant administration (schema/scoping.py ADMIN_ONLY): no client principal sees these at all.
# MemberSession: also the member's own, but the probes here are tokens of no member.
ADMIN_ONLY = {"IdentityProvider", "ApiToken", "WebhookDelivery", "SignInAttempt", "MemberSession"}


def test_every_node_type_is_covered(world: World) -> None:
    assert sorted(world.ids) == sorted(NODE_KINDS), "seed or add a row for each node type"


@pytest.mark.parametrize("type_name", sorted(NODE_KINDS))
async def test_node_of_another_tenant_is_exactly_like_a_missing_one(
    client: httpx.AsyncClient, world: World, type_name: str
) -> None:
    real, missing = world.ids[type_name], fake_id(type_name)
    own = data(await gql(client, NODE_QUERY, {"id": real}, token=world.tokens["a_admin"]))
    assert own["node"]["id"] == real
    foreign = await gql(client, NODE_QUERY, {"id": real}, token=world.tokens["b_admin"])
    absent = await gql(client, NODE_QUERY, {"id": missing}, token=world.tokens["b_admin"])
    assert foreign == absent == {"data": {"node": None}}


@pytest.mark.parametrize("type_name", sorted(ADMIN_ONLY))
@pytest.mark.parametrize("principal", ["a_consultant", "x_viewer", "y_owner"])
async def test_admin_only_nodes_are_like_missing_ones_for_everyone_else(
    client: httpx.AsyncClient, world: World, type_name: str, principal: str
) -> None:
    real, missing = world.ids[type_name], fake_id(type_name)
    token = world.tokens[principal]
    got = await gql(client, NODE_QUERY, {"id": real}, token=token)
    absent = await gql(client, NODE_QUERY, {"id": missing}, token=token)
    assert got == absent == {"data": {"node": None}}


@pytest.mark.parametrize("type_name", sorted(set(NODE_KINDS) - TENANT_WIDE - ADMIN_ONLY))
async def test_node_of_another_client_is_exactly_like_a_missing_one(
    client: httpx.AsyncClient, world: World, type_name: str
) -> None:
    real, missing = world.ids[type_name], fake_id(type_name)
    mine = data(await gql(client, NODE_QUERY, {"id": real}, token=world.tokens["x_viewer"]))
    assert mine["node"] is not None
    foreign = await gql(client, NODE_QUERY, {"id": real}, token=world.tokens["y_viewer"])
    absent = await gql(client, NODE_QUERY, {"id": missing}, token=world.tokens["y_viewer"])
    assert foreign == absent == {"data": {"node": None}}


def _with_ids(spec: Any, ids: dict[str, str], real: bool) -> dict[str, Any]:
    return build_input(spec, lambda _f, t: ids.get(t, fake_id(t)) if real else fake_id(t))


@pytest.mark.parametrize("principal", ["b_admin", "y_owner", "y_viewer"])
async def test_every_mutation_treats_foreign_ids_as_missing(
    client: httpx.AsyncClient, world: World, principal: str
) -> None:
    different: list[str] = []
    for spec in mutations():
        foreign = _with_ids(spec, world.ids, real=True)
        if foreign == _with_ids(spec, {}, real=False):
            continue
        token = world.tokens[principal]
        got = await gql(client, document(spec), {"input": foreign}, token=token)
        expected = await gql(
            client, document(spec), {"input": _with_ids(spec, {}, real=False)}, token=token
        )
        if got != expected:
            different.append(f"{spec.name}: {got} != {expected}")
    assert different == []


LISTS = "{ clientOrganisations { totalCount edges { node { id name } } } }"


async def test_lists_and_counts_show_only_the_principals_own_data(
    client: httpx.AsyncClient, world: World
) -> None:
    b = data(await gql(client, LISTS, token=world.tokens["b_admin"]))["clientOrganisations"]
    assert b == {"totalCount": 0, "edges": []}
    y = data(await gql(client, LISTS, token=world.tokens["y_viewer"]))["clientOrganisations"]
    assert y["totalCount"] == 1
    assert [e["node"]["id"] for e in y["edges"]] == [
        global_id("ClientOrganisation", world.client_y)
    ]


AUDIT = """query($id: ID!) {
  auditEvents(filter: {objectId: $id}) { totalCount edges { node { id } } }
}"""


@pytest.mark.parametrize("principal", ["b_admin", "y_viewer"])
async def test_the_audit_trail_of_a_foreign_object_is_like_a_missing_one(
    client: httpx.AsyncClient, world: World, principal: str
) -> None:
    real = world.ids["AIProcess"]
    own = data(await gql(client, AUDIT, {"id": real}, token=world.tokens["a_admin"]))
    assert own["auditEvents"]["totalCount"] > 0
    token = world.tokens[principal]
    foreign = await gql(client, AUDIT, {"id": real}, token=token)
    absent = await gql(client, AUDIT, {"id": fake_id("AIProcess")}, token=token)
    assert foreign == absent


FEED = """query($filter: AuditEventFilter) {
  auditEvents(filter: $filter, first: 100) {
    totalCount edges { node { objectType clientOrganisation { id } } }
  }
}"""
CLIENT_FEED = """query($id: ID!) {
  node(id: $id) { ... on ClientOrganisation { auditEvents(first: 1) { totalCount } } }
}"""


async def _feed(
    client: httpx.AsyncClient, world: World, principal: str, **f: Any
) -> list[dict[str, Any]]:
    body = data(await gql(client, FEED, {"filter": f or None}, token=world.tokens[principal]))
    page = body["auditEvents"]
    assert page["totalCount"] == len(page["edges"])  # fewer than 100 here
    return [e["node"] for e in page["edges"]]


@pytest.mark.parametrize(("principal", "own"), [("x_viewer", "x"), ("y_viewer", "y")])
async def test_a_client_members_activity_feed_holds_only_its_organisations_events(
    client: httpx.AsyncClient, world: World, principal: str, own: str
) -> None:
    ids = {"x": global_id("ClientOrganisation", world.client_x)}
    ids["y"] = global_id("ClientOrganisation", world.client_y)
    other = "y" if own == "x" else "x"
    events = await _feed(client, world, principal, clientOrganisationId=ids[own])
    assert events and {e["clientOrganisation"]["id"] for e in events} == {ids[own]}
    assert not {e["objectType"] for e in events} & {"IDENTITY_PROVIDER", "API_TOKEN"}
    assert await _feed(client, world, principal) == events
    assert await _feed(client, world, principal, clientOrganisationId=ids[other]) == []
    token = world.tokens[principal]
    foreign = data(await gql(client, CLIENT_FEED, {"id": ids[other]}, token=token))
    assert foreign == {"node": None}
    mine = data(await gql(client, CLIENT_FEED, {"id": ids[own]}, token=token))
    assert mine["node"]["auditEvents"]["totalCount"] == len(events)


async def test_another_tenants_feed_holds_none_of_its_events(
    client: httpx.AsyncClient, world: World
) -> None:
    x = global_id("ClientOrganisation", world.client_x)
    assert await _feed(client, world, "a_admin", clientOrganisationId=x)
    assert await _feed(client, world, "b_admin", clientOrganisationId=x) == []
    b_events = await _feed(client, world, "b_admin")
    assert {e["clientOrganisation"] for e in b_events} == {None}  # B has no clients


async def test_administration_events_are_in_the_admins_feed_only(
    client: httpx.AsyncClient, world: World
) -> None:
    admin_types = ["IDENTITY_PROVIDER", "API_TOKEN", "LOGIN_ATTEMPT"]
    assert await _feed(client, world, "a_admin", objectTypes=admin_types)
    for principal in ("a_consultant", "x_viewer"):
        assert await _feed(client, world, principal, objectTypes=admin_types) == []


async def test_every_stored_object_type_is_an_audit_object_type(
    engine: AsyncEngine, world: World
) -> None:
    from schema.audit.types import AuditObjectType

    async with tenant_session(engine, world.a) as s:
        stored = set(await s.scalars(select(m.AuditEvent.object_type).distinct()))
    assert len(stored) > 10 and stored <= {t.value for t in AuditObjectType}


async def test_log_lines_of_a_foreign_request_name_only_the_callers_tenant(
    client: httpx.AsyncClient, world: World
) -> None:
    with capture_logs(processors=[merge_contextvars]) as logs:
        for real in world.ids.values():
            await gql(client, NODE_QUERY, {"id": real}, token=world.tokens["b_admin"])
    text = repr(logs)
    assert world.b.slug in text
    assert world.a.slug not in text and world.a.schema_name not in text
    for real in world.ids.values():
        assert real not in text


def _connections(chosen: Callable[[Any], bool]) -> list[str]:
    """The names of the top-level connection fields that `chosen` accepts."""
    from graphql import get_named_type

    from tests.security.schema_walk import GRAPHQL

    assert GRAPHQL.query_type is not None
    return sorted(
        name
        for name, field in GRAPHQL.query_type.fields.items()
        if get_named_type(field.type).name.endswith("Connection") and chosen(field)
    )


def _list_fields() -> list[str]:
    """Top-level connections that need no argument (every list a front end starts from)."""
    from graphql import GraphQLNonNull
    from graphql.pyutils import Undefined

    return _connections(
        lambda field: (
            not any(
                isinstance(arg.type, GraphQLNonNull) and arg.default_value is Undefined
                for arg in field.args.values()
            )
        )
    )


@pytest.mark.parametrize("field", _list_fields())
@pytest.mark.parametrize("principal", ["b_admin", "y_viewer"])
async def test_every_list_holds_only_rows_the_principal_may_see(
    client: httpx.AsyncClient, engine: AsyncEngine, world: World, field: str, principal: str
) -> None:
    query = f"{{ {field}(first: 100) {{ totalCount edges {{ node {{ id }} }} }} }}"
    page = data(await gql(client, query, token=world.tokens[principal]))[field]
    ids = [e["node"]["id"] for e in page["edges"]]
    assert page["totalCount"] == len(ids)  # fewer than 100 rows everywhere here
    tenant = world.b if principal == "b_admin" else world.a
    viewer = _principal(world.a, Role.CLIENT_VIEWER, world.client_y)
    async with tenant_session(engine, tenant) as s:
        for value in ids:
            type_name, row_id = parse_global_id(value) or ("?", uuid.uuid4())
            model: Any = NODE_KINDS[type_name].model
            where = [model.id == row_id]
            if principal == "y_viewer":
                where.append(visible(model, viewer))
            assert await s.scalar(select(model.id).where(*where)) == row_id, (field, value)


def _client_scoped_lists() -> list[str]:
    """Top-level connections narrowed by a `clientOrganisationId` argument."""
    return _connections(lambda field: "clientOrganisationId" in field.args)


def test_the_client_wide_lists_are_found() -> None:
    assert {"incidents", "kpis", "reviews", "milestones"} <= set(_client_scoped_lists())


@pytest.mark.parametrize("field", _client_scoped_lists())
@pytest.mark.parametrize("principal", ["b_admin", "y_viewer", "y_owner"])
async def test_a_list_of_another_tenants_or_clients_organisation_is_like_a_missing_ones(
    client: httpx.AsyncClient, world: World, field: str, principal: str
) -> None:
    query = (
        f"query($id: ID) {{ {field}(clientOrganisationId: $id, first: 100) "
        "{ totalCount edges { node { id } } } }"
    )
    real = global_id("ClientOrganisation", world.client_x)
    own = data(await gql(client, query, {"id": real}, token=world.tokens["a_admin"]))[field]
    assert own["totalCount"] > 0, f"seed {field} for client X"
    token = world.tokens[principal]
    foreign = await gql(client, query, {"id": real}, token=token)
    absent = await gql(client, query, {"id": fake_id("ClientOrganisation")}, token=token)
    assert foreign == absent == {"data": {field: {"totalCount": 0, "edges": []}}}
