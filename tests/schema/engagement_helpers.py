"""Shared set-up for the engagement suites (change plans, vendors, feedback, audit).

Clients and processes are created through the services inside a tenant session,
so these suites do not depend on the processes area's mutations.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import httpx
from sqlalchemy import event, select
from sqlalchemy.engine import Engine
from sqlalchemy.ext.asyncio import AsyncEngine

from schema.ids import global_id
from tenants.models import AuditEvent, EscalationLevel, LifecycleStage, ProcessKpi
from tenants.registry import TenantRef
from tenants.services import clients, processes
from tenants.services.audit import SYSTEM
from tenants.session import tenant_session
from tests.conftest import TenantFactory, TokenFactory
from tests.support import StatementCounter, data, gql


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


async def seed(
    engine: AsyncEngine,
    make_tenant: TenantFactory,
    make_token: TokenFactory,
    *,
    role: str = "consultant",
) -> World:
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


async def mutate(
    client: httpx.AsyncClient, token: str, query: str, name: str, **input: Any
) -> dict[str, Any]:
    """Run a mutation with `input` and return its payload."""
    result: dict[str, Any] = data(await gql(client, query, {"input": input}, token=token))[name]
    return result


def error_fields(payload: dict[str, Any]) -> dict[str | None, str]:
    return {e["field"]: e["code"] for e in payload["errors"]}


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


async def node(client: httpx.AsyncClient, token: str, id_: str, fields: str) -> Any:
    body = data(await gql(client, '{ node(id: "' + id_ + '") { id ' + fields + " } }", token=token))
    return body["node"]


@contextmanager
def count_all_statements() -> Iterator[StatementCounter]:
    """Counts the statements of every engine in the process (the server has its own)."""
    counter = StatementCounter()

    def before(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        counter.statements.append(statement)

    event.listen(Engine, "before_cursor_execute", before)
    try:
        yield counter
    finally:
        event.remove(Engine, "before_cursor_execute", before)
