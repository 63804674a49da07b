"""Filters a front end needs, checked against the demo engagement's deliberate gaps.

Each expected set is computed here in Python from the rows themselves (not with the
SQL the filter uses); the suite runs every query on both read paths.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from jobs.readiness.rules.capability import ASSESSMENT_MAX_AGE_DAYS
from jobs.readiness.rules.capacity import MAX_OWNER_HOURS_PER_WEEK
from schema.ids import global_id
from tenants import models as m
from tenants.registry import TenantRef
from tenants.session import tenant_session
from tests.schema.support import demo_tenant, issue_secret
from tests.support import data, gql


@dataclass
class Demo:
    tenant: TenantRef
    admin: str
    client: uuid.UUID  # the demo client with the most owners


@pytest.fixture(scope="module")
async def demo(engine: AsyncEngine) -> Demo:
    tenant = await demo_tenant(engine, "filt", "Filters")
    async with tenant_session(engine, tenant) as s:
        clients = list(await s.scalars(select(m.ClientOrganisation.id)))
        for status in (m.ReportStatus.QUEUED, m.ReportStatus.FAILED, m.ReportStatus.FAILED):
            s.add(m.ReadinessReport(client_id=clients[0], status=status, requested_by="t"))
    return Demo(tenant, await issue_secret(engine, tenant, "admin", "a"), clients[0])


def _ids(conn: dict[str, Any]) -> set[str]:
    assert conn["totalCount"] == len(conn["edges"])
    return {e["node"]["id"] for e in conn["edges"]}


async def _list(
    client: httpx.AsyncClient, demo: Demo, field: str, args: str, variables: dict[str, Any]
) -> set[str]:
    query = (
        f"query($id: ID!, $f: {args}) {{ node(id: $id) {{ ... on ClientOrganisation {{ "
        f"{field}(first: 100, {'status' if field == 'readinessReports' else 'filter'}: $f) "
        "{ totalCount edges { node { id } } } } } }"
    )
    cid = global_id("ClientOrganisation", demo.client)
    return _ids(
        data(await gql(client, query, {"id": cid, **variables}, token=demo.admin))["node"][field]
    )


async def _all_clients_rows(engine: AsyncEngine, demo: Demo, stmt: Any) -> list[Any]:
    async with tenant_session(engine, demo.tenant) as s:
        return list((await s.scalars(stmt)).unique())


async def test_processes_by_business_unit_and_by_owner(
    client: httpx.AsyncClient, engine: AsyncEngine, demo: Demo
) -> None:
    processes = await _all_clients_rows(
        engine,
        demo,
        select(m.AIProcess).where(
            m.AIProcess.client_id == demo.client, m.AIProcess.archived_at.is_(None)
        ),
    )
    assignments = await _all_clients_rows(engine, demo, select(m.OwnershipAssignment))
    units = sorted({p.business_unit for p in processes if p.business_unit})
    assert len(units) >= 2, "the demo client should have processes in several business units"
    got = await _list(
        client, demo, "processes", "AIProcessFilter", {"f": {"businessUnit": units[:1]}}
    )
    assert got == {global_id("AIProcess", p.id) for p in processes if p.business_unit == units[0]}
    today = date.today()
    mine = {p.id for p in processes}
    current = [a for a in assignments if a.in_effect_on(today) and a.process_id in mine]
    owner = sorted(a.owner_id for a in current)[0]
    got = await _list(
        client, demo, "processes", "AIProcessFilter", {"f": {"ownerId": global_id("Owner", owner)}}
    )
    expected = {global_id("AIProcess", a.process_id) for a in current if a.owner_id == owner}
    assert got == expected and expected


async def test_an_owner_filter_with_another_types_id_is_an_error_naming_it(
    client: httpx.AsyncClient, demo: Demo
) -> None:
    query = (
        "query($id: ID!, $f: AIProcessFilter) { node(id: $id) { ... on ClientOrganisation { "
        "processes(filter: $f) { totalCount } } } }"
    )
    cid = global_id("ClientOrganisation", demo.client)
    body = await gql(client, query, {"id": cid, "f": {"ownerId": cid}}, token=demo.admin)
    assert "`filter.ownerId` must be the id of an Owner" in body["errors"][0]["message"]


@dataclass
class OwnerRows:
    owners: list[m.Owner]
    assignments: list[m.OwnershipAssignment]
    stages: dict[uuid.UUID, m.LifecycleStage]
    assessments: list[m.CapabilityAssessment]
    scores: list[m.CapabilityScore]
    bars: dict[uuid.UUID, int]

    def hours(self, owner: m.Owner, today: date) -> Decimal:
        return sum(
            (
                a.hours_per_week
                for a in self.assignments
                if a.owner_id == owner.id
                and a.in_effect_on(today)
                and self.stages[a.process_id] != m.LifecycleStage.RETIRED
            ),
            Decimal(0),
        )

    def assessed_since(self, owner: m.Owner, cutoff: date) -> bool:
        return any(a.owner_id == owner.id and a.assessed_on >= cutoff for a in self.assessments)

    def latest_has_gap(self, owner: m.Owner) -> bool:
        own = [a for a in self.assessments if a.owner_id == owner.id]
        if not own:
            return False
        latest = max(own, key=lambda a: (a.assessed_on, a.created_at, a.id))
        return any(
            s.score < self.bars[s.dimension_id] for s in self.scores if s.assessment_id == latest.id
        )


async def _owner_rows(engine: AsyncEngine, demo: Demo) -> OwnerRows:
    async with tenant_session(engine, demo.tenant) as s:
        owners = list(
            await s.scalars(
                select(m.Owner).where(
                    m.Owner.client_id == demo.client, m.Owner.archived_at.is_(None)
                )
            )
        )
        processes = await s.execute(select(m.AIProcess.id, m.AIProcess.lifecycle_stage))
        dimensions = await s.execute(select(m.CapabilityDimension.id, m.CapabilityDimension.bar))
        return OwnerRows(
            owners,
            list(await s.scalars(select(m.OwnershipAssignment))),
            {pid: stage for pid, stage in processes},
            list(await s.scalars(select(m.CapabilityAssessment))),
            list(await s.scalars(select(m.CapabilityScore))),
            {did: bar for did, bar in dimensions},
        )


@pytest.mark.parametrize("flag", ["overCapacity", "unassessed", "capabilityGaps"])
async def test_owner_filters_find_the_demos_gaps_and_their_complement(
    client: httpx.AsyncClient, engine: AsyncEngine, demo: Demo, flag: str
) -> None:
    rows = await _owner_rows(engine, demo)
    today = date.today()
    cutoff = today - timedelta(days=ASSESSMENT_MAX_AGE_DAYS)
    test = {
        "overCapacity": lambda o: rows.hours(o, today) > MAX_OWNER_HOURS_PER_WEEK,
        "unassessed": lambda o: not rows.assessed_since(o, cutoff),
        "capabilityGaps": rows.latest_has_gap,
    }[flag]
    expected = {global_id("Owner", o.id) for o in rows.owners if test(o)}
    assert expected, f"the demo client should have owners matching {flag}"
    yes = await _list(client, demo, "owners", "OwnerFilter", {"f": {flag: True}})
    no = await _list(client, demo, "owners", "OwnerFilter", {"f": {flag: False}})
    assert yes == expected
    assert no == {global_id("Owner", o.id) for o in rows.owners} - expected


async def test_agreements_expiring_before_a_date_or_missing_clauses(
    client: httpx.AsyncClient, engine: AsyncEngine, demo: Demo
) -> None:
    from tenants.services.vendors import missing_clauses

    agreements = await _all_clients_rows(
        engine, demo, select(m.VendorAgreement).where(m.VendorAgreement.client_id == demo.client)
    )
    soon = date.today() + timedelta(days=90)
    expected = {
        global_id("VendorAgreement", a.id) for a in agreements if a.ends_on and a.ends_on < soon
    }
    filt = "VendorAgreementFilter"
    got = await _list(client, demo, "vendorAgreements", filt, {"f": {"expiresBefore": str(soon)}})
    assert got == expected and expected, "the demo should have an agreement ending soon"
    for clause in ("MONITORING", "INCIDENT_RESPONSE", "UPDATES", "DATA_GOVERNANCE"):
        got = await _list(
            client, demo, "vendorAgreements", filt, {"f": {"missingClauses": [clause]}}
        )
        assert got == {
            global_id("VendorAgreement", a.id)
            for a in agreements
            if clause.lower() in missing_clauses(a)
        }
    gaps = {global_id("VendorAgreement", a.id) for a in agreements if missing_clauses(a)}
    every = ["MONITORING", "INCIDENT_RESPONSE", "UPDATES", "DATA_GOVERNANCE"]
    got = await _list(client, demo, "vendorAgreements", filt, {"f": {"missingClauses": every}})
    assert got == gaps and gaps, "the demo should have agreements with missing clauses"


async def test_readiness_reports_by_status(
    client: httpx.AsyncClient, engine: AsyncEngine, demo: Demo
) -> None:
    reports = await _all_clients_rows(
        engine, demo, select(m.ReadinessReport).where(m.ReadinessReport.client_id == demo.client)
    )
    failed = {
        global_id("ReadinessReport", r.id) for r in reports if r.status is m.ReportStatus.FAILED
    }
    assert len(failed) == 2
    assert (
        await _list(client, demo, "readinessReports", "[ReportStatus!]", {"f": ["FAILED"]})
        == failed
    )
    both = await _list(
        client, demo, "readinessReports", "[ReportStatus!]", {"f": ["FAILED", "QUEUED"]}
    )
    assert both == {global_id("ReadinessReport", r.id) for r in reports}
    assert await _list(client, demo, "readinessReports", "[ReportStatus!]", {"f": None}) == both
