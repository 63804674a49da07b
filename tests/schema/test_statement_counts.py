"""No N+1: the statements a nested query issues do not depend on how many rows it walks."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from decimal import Decimal

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from schema.ids import global_id
from tenants import models as m
from tenants.registry import TenantRef
from tenants.services import assessments, assignments, clients, owners, processes, vendors
from tenants.services.audit import Actor, AuditActorKind
from tenants.session import tenant_session
from tests.support import count_statements, data, gql

ACTOR = Actor("test:counts", AuditActorKind.SYSTEM)
NESTED = """
query($id: ID!) {
  node(id: $id) {
    ... on ClientOrganisation {
      name
      ownershipCoverage { ratio }
      processes(first: 100) {
        totalCount
        edges { node {
          name orphaned riskTier
          accountableOwner {
            name totalHoursPerWeek
            latestAssessment { assessedOn scores { score dimension { key } } }
          }
          vendorAgreements { edges { node { vendor missingClauses } } }
        } }
      }
    }
  }
}"""


async def _client_with_processes(engine: AsyncEngine, tenant: TenantRef, count: int) -> uuid.UUID:
    """A client whose processes each have an assessed accountable owner and a vendor agreement."""
    async with tenant_session(engine, tenant) as s:
        client = await clients.create_client(s, actor=ACTOR, name=f"Client of {count}")
        dimensions = list(await s.scalars(select(m.CapabilityDimension)))
        made = []
        for i in range(count):
            process = await processes.create_process(
                s,
                actor=ACTOR,
                client_id=client.id,
                name=f"Process {i:03d}",
                lifecycle_stage=m.LifecycleStage.PRODUCTION,
                risk_tier=m.RiskTier.HIGH,
            )
            owner = await owners.create_owner(
                s, actor=ACTOR, client_id=client.id, name=f"Owner {i:03d}"
            )
            await assignments.assign_owner(
                s,
                actor=ACTOR,
                process_id=process.id,
                owner_id=owner.id,
                raci_role=m.RaciRole.ACCOUNTABLE,
                responsibilities=[m.Responsibility.MONITORING],
                hours_per_week=Decimal(4),
                starts_on=date.today() - timedelta(days=30),
            )
            await assessments.record_assessment(
                s,
                actor=ACTOR,
                owner_id=owner.id,
                assessed_on=date.today() - timedelta(days=3),
                assessor="Consultant",
                scores=[assessments.ScoreInput(d.id, 3) for d in dimensions],
            )
            made.append(process.id)
        for start in range(0, count, 5):
            await vendors.create_vendor_agreement(
                s,
                actor=ACTOR,
                client_id=client.id,
                vendor=f"Vendor {start}",
                process_ids=made[start : start + 5],
            )
        return client.id


async def _count(client: httpx.AsyncClient, token: str, client_id: uuid.UUID, expected: int) -> int:
    variables = {"id": global_id("ClientOrganisation", client_id)}
    with count_statements() as counter:
        body = data(await gql(client, NESTED, variables, token=token))
    node = body["node"]["processes"]
    assert node["totalCount"] == expected and len(node["edges"]) == expected
    first = node["edges"][0]["node"]
    assert first["accountableOwner"]["latestAssessment"]["scores"]
    assert first["vendorAgreements"]["edges"]
    return counter.count


async def test_the_nested_client_query_issues_as_many_statements_at_100_processes_as_at_5(
    client: httpx.AsyncClient, engine: AsyncEngine, tenant: TenantRef, viewer: str
) -> None:
    small = await _client_with_processes(engine, tenant, 5)
    large = await _client_with_processes(engine, tenant, 100)
    at_5 = await _count(client, viewer, small, 5)
    at_100 = await _count(client, viewer, large, 100)
    print(f"nested query statements: {at_5} at 5 processes, {at_100} at 100")
    assert at_5 == at_100
