"""Set-up and helpers shared by the schema suites (and a few framework suites).

One home for them, so that a suite never imports another suite's test module and a
helper is not copied from file to file. Two ways of making data:

- `seed` / the `world` and `make_world` fixtures (tests/schema/conftest.py) create
  clients and processes through the services inside a tenant session, so the suites
  built on them do not depend on the processes area's mutations;
- `new_client`, `new_process`, `new_owner` and `assign` go through the GraphQL
  mutations, for the suites that test exactly those mutations' neighbours.

Most suites then run their operations with `mutation(...).send`, `read` and the
payload checks (`ok`, `errors_of`, `assert_invalid`, `assert_forbidden`,
`assert_tenant_confined`); the tenant and token fixtures are in conftest.py.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from schema.ids import global_id
from tenants.demo_seed import seed_demo
from tenants.models import AuditEvent, EscalationLevel, LifecycleStage, ProcessKpi
from tenants.provisioning import create_tenant
from tenants.registry import TenantRef
from tenants.services import clients, processes
from tenants.services.audit import SYSTEM
from tenants.session import tenant_session
from tenants.tokens import issue_token
from tests.conftest import TenantFactory, TokenFactory
from tests.support import data, gql, unique_slug


@dataclass
class World:
    """One tenant with a client, two processes of it and a second client with one process."""

    tenant: TenantRef
    token: str
    client_id: uuid.UUID
    process_ids: list[uuid.UUID]
    other_client_id: uuid.UUID
    other_process_id: uuid.UUID

    @property
    def client(self) -> str:
        return global_id("ClientOrganisation", self.client_id)

    @property
    def other_client(self) -> str:
        return global_id("ClientOrganisation", self.other_client_id)

    @property
    def processes(self) -> list[str]:
        return [global_id("AIProcess", p) for p in self.process_ids]

    @property
    def other_process(self) -> str:
        return global_id("AIProcess", self.other_process_id)


# What the `make_world` fixture returns: each call seeds a new tenant (a stranger, or one
# World per round of a statement-count comparison).
WorldFactory = Callable[..., Awaitable[World]]


async def seed(
    engine: AsyncEngine,
    make_tenant: TenantFactory,
    make_token: TokenFactory,
    *,
    role: str = "consultant",
) -> World:
    """A new World; suites outside tests/schema call this, the schema suites use the fixtures."""
    tenant = await make_tenant()
    async with tenant_session(engine, tenant) as s:
        client = await clients.create_client(s, actor=SYSTEM, name="Northwind Insurance")
        other = await clients.create_client(s, actor=SYSTEM, name="Harbor Retail")
        claims = await processes.create_process(
            s,
            actor=SYSTEM,
            client_id=client.id,
            name="Claims triage",
            lifecycle_stage=LifecycleStage.PRODUCTION,
            escalation_path=[
                EscalationLevel(1, "score drift above 5%", "Claims lead"),
                EscalationLevel(2, "customer harm", "Head of claims"),
            ],
        )
        invoices = await processes.create_process(
            s, actor=SYSTEM, client_id=client.id, name="Invoice processing"
        )
        s.add(
            ProcessKpi(
                process_id=claims.id,
                name="Straight-through rate",
                unit="%",
                target=Decimal("80"),
                latest_value=Decimal("72.5"),
            )
        )
        foreign = await processes.create_process(
            s, actor=SYSTEM, client_id=other.id, name="Stock replenishment"
        )
        ids = (client.id, [claims.id, invoices.id], other.id, foreign.id)
    token = await make_token(tenant, role)
    return World(tenant, token, ids[0], ids[1], ids[2], ids[3])


async def add_client(engine: AsyncEngine, tenant: TenantRef, name: str = "Globex") -> uuid.UUID:
    """A client organisation made through the service, for suites not about clients."""
    async with tenant_session(engine, tenant) as s:
        return (await clients.create_client(s, actor=SYSTEM, name=name)).id


async def demo_tenant(engine: AsyncEngine, prefix: str, name: str) -> TenantRef:
    """A new tenant holding the demo engagement (tenants/demo_seed.py): for the suites
    that read lists of realistic size, one tenant a module."""
    return await create_tenant(engine, slug=unique_slug(prefix), name=name, after_migrate=seed_demo)


async def issue_secret(
    engine: AsyncEngine, tenant: TenantRef, role: str, name: str, **kw: Any
) -> str:
    """A new token's secret; module-scoped fixtures use it, as make_token is per test."""
    async with engine.connect() as conn, conn.begin():
        return (await issue_token(conn, tenant=tenant, role=role, name=name, **kw)).secret


# Running operations and reading their payloads. A payload mutation is a `mutation()`:
# it knows its field and input type, so a test passes only the input.


async def mutate(
    client: httpx.AsyncClient, token: str, query: str, name: str, /, **input: Any
) -> dict[str, Any]:
    """Run a mutation with `input` and return its payload.

    Positional-only, so that an input field may be called `name` (or `query`)."""
    result: dict[str, Any] = data(await gql(client, query, {"input": input}, token=token))[name]
    return result


@dataclass(frozen=True)
class Mutation:
    """A payload mutation: the field it calls and a document that selects from its payload.

    Knowing its own field, it runs without the caller naming it again (`send`), and a
    list of attempts is a list of (mutation, input) pairs."""

    field: str
    document: str

    async def send(self, client: httpx.AsyncClient, token: str, /, **input: Any) -> dict[str, Any]:
        """The payload of this mutation run with `input`. The response must carry no
        GraphQL errors; the payload's own `errors` are the caller's to check."""
        return await mutate(client, token, self.document, self.field, **input)


def mutation(field: str, selection: str, *, errors: str = "field code message") -> Mutation:
    """The mutation `field(input: $input) { <selection> errors { <errors> } }`.

    Every payload mutation of the schema takes one argument, `input`, of the type named
    after the field (Relay's convention: createOwner takes a CreateOwnerInput)."""
    input_type = field[0].upper() + field[1:] + "Input"
    document = (
        f"mutation($input: {input_type}!) {{\n"
        f"  {field}(input: $input) {{ {selection} errors {{ {errors} }} }}\n}}"
    )
    return Mutation(field, document)


def ok(payload: dict[str, Any]) -> Any:
    """The object of a payload that must have no errors: its one field besides `errors`."""
    assert payload["errors"] == [], payload
    (value,) = (v for k, v in payload.items() if k != "errors")
    return value


async def assert_forbidden(
    client: httpx.AsyncClient, token: str, attempts: list[tuple[Mutation, dict[str, Any]]]
) -> None:
    """Each (mutation, input) run with `token` is refused with one FORBIDDEN error."""
    for op, input in attempts:
        payload = await op.send(client, token, **input)
        assert [e["code"] for e in payload["errors"]] == ["FORBIDDEN"], op.field


def non_admin_roles(org: uuid.UUID) -> list[tuple[str, uuid.UUID | None]]:
    """Every role but admin, each with the organisation its token is bound to (a client
    role's is `org`), for the suites that check what only admins may do."""
    return [("consultant", None), ("viewer", None), ("client_owner", org), ("client_viewer", org)]


async def assert_tenant_confined(
    client: httpx.AsyncClient, query: str, ids: list[str], token: str, stranger: str
) -> None:
    """`token` finds each node of `ids` by `query`; `stranger`, another tenant's, gets null."""
    for node_id in ids:
        assert data(await gql(client, query, {"id": node_id}, token=token))["node"]["id"] == node_id
        assert data(await gql(client, query, {"id": node_id}, token=stranger))["node"] is None


async def read(
    client: httpx.AsyncClient, token: str, query: str, path: str, /, **variables: Any
) -> Any:
    """What `query` run with `variables` finds at the dotted `path` ("node.processes")."""
    found: Any = data(await gql(client, query, variables, token=token))
    for key in path.split("."):
        found = found[key]
    return found


def errors_of(payload: dict[str, Any]) -> dict[str | None, str]:
    """A payload's errors as {field: code}; the field is None for an error about no field."""
    return {e["field"]: e["code"] for e in payload["errors"]}


def assert_invalid(payload: dict[str, Any], *fields: str) -> None:
    """The payload carries no object and one VALIDATION error on each of `fields`, no other:
    how every mutation answers input it refuses as a whole."""
    (value,) = (v for k, v in payload.items() if k != "errors")
    assert value is None, payload
    assert errors_of(payload) == dict.fromkeys(fields, "VALIDATION")


async def node(client: httpx.AsyncClient, token: str, id_: str, fields: str) -> Any:
    body = data(await gql(client, '{ node(id: "' + id_ + '") { id ' + fields + " } }", token=token))
    return body["node"]


# The audit trail, as the suites check it.


async def audit_actions(engine: AsyncEngine, tenant: TenantRef, object_type: str) -> list[str]:
    async with tenant_session(engine, tenant) as s:
        rows = await s.scalars(
            select(AuditEvent.action)
            .where(AuditEvent.object_type == object_type)
            .order_by(AuditEvent.seq)
        )
        return list(rows)


async def audit_rows(
    engine: AsyncEngine, tenant: TenantRef, object_type: str
) -> list[tuple[str, dict[str, Any] | None, dict[str, Any] | None]]:
    """(action, before, after) of every audit event about objects of `object_type`:
    the changed fields' values on each side by API field name (None for a side with
    none, e.g. before a create)."""
    async with tenant_session(engine, tenant) as s:
        events = await s.scalars(
            select(AuditEvent).where(AuditEvent.object_type == object_type).order_by(AuditEvent.seq)
        )
        return [(e.action, *sides(e)) for e in events]


def sides(event: AuditEvent) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """An event's changes as {field: before} and {field: after}, None where all are null."""
    before = {c["field"]: c["before"] for c in event.changes}
    after = {c["field"]: c["after"] for c in event.changes}
    has = any(v is not None for v in before.values()), any(v is not None for v in after.values())
    return (before if has[0] else None), (after if has[1] else None)


# Data made through the GraphQL mutations.

CREATE_CLIENT = mutation("createClientOrganisation", "clientOrganisation { id }", errors="field")
PROCESS_FIELDS = """
  id version name purpose businessUnit lifecycleStage riskTier archivedAt orphaned
  boundaries { steps { name aiRole description } upstream downstream dataInputs outputs }
  checkpoints { name stage reviewerRole criteria }
  escalationPath { level trigger contact responseHours }
  tools { name vendor purpose }
  clientOrganisation { id }
"""
CREATE_PROCESS = mutation("createAIProcess", f"aiProcess {{ {PROCESS_FIELDS} }}")
ARCHIVE_PROCESS = mutation("archiveAIProcess", "aiProcess { id archivedAt }")
CREATE_OWNER = mutation("createOwner", "owner { id }", errors="field")
ASSIGNMENT_FIELDS = """id version raciRole responsibilities hoursPerWeek startsOn endsOn current
  owner { id } process { id }"""
ASSIGN = mutation("assignOwner", f"ownershipAssignment {{ {ASSIGNMENT_FIELDS} }}")


async def new_client(client: httpx.AsyncClient, token: str, name: str = "Northwind") -> str:
    cid: str = ok(await CREATE_CLIENT.send(client, token, name=name))["id"]
    return cid


async def create_process(
    client: httpx.AsyncClient, token: str, client_id: str, **fields: Any
) -> dict[str, Any]:
    """The createAIProcess payload for a process named "Claims triage" unless `fields` say."""
    fields = {"name": "Claims triage", **fields}
    return await CREATE_PROCESS.send(client, token, clientOrganisationId=client_id, **fields)


async def new_process(client: httpx.AsyncClient, token: str, client_id: str, **f: Any) -> str:
    pid: str = ok(await create_process(client, token, client_id, **f))["id"]
    return pid


async def new_owner(
    client: httpx.AsyncClient, token: str, client_id: str, name: str = "Ada"
) -> str:
    created = await CREATE_OWNER.send(client, token, clientOrganisationId=client_id, name=name)
    oid: str = created["owner"]["id"]
    return oid


async def assign(
    client: httpx.AsyncClient, token: str, process_id: str, owner_id: str, **f: Any
) -> dict[str, Any]:
    """The assignOwner payload; accountable for 5 hours a week unless `f` says otherwise."""
    f = {"raciRole": "ACCOUNTABLE", "hoursPerWeek": 5, **f}
    return await ASSIGN.send(client, token, processId=process_id, ownerId=owner_id, **f)
