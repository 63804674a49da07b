"""Reports over real HTTP: requestReadinessReport, report nodes, lists and comparison."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import httpx
from arq.jobs import JobStatus
from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from jobs.enqueue import job_status, readiness_job_id
from jobs.readiness.job import build_readiness_report
from schema.ids import global_id
from server.redis_pool import open_pool
from server.settings import Settings
from tenants import models as m
from tenants.registry import TenantRef
from tenants.services.audit import Actor, AuditActorKind
from tenants.services.reports import request_readiness_report
from tenants.session import tenant_session
from tests.conftest import TenantFactory, TokenFactory
from tests.jobs.seed import TODAY, queue_report, seed_client, set_accountable
from tests.schema.support import mutation
from tests.support import count_statements, data, gql, race_uncommitted

REQUEST = mutation(
    "requestReadinessReport",
    "readinessReport { id status requestedAt startedAt finishedAt score htmlUrl }",
)
REPORT = """
query($id: ID!) { node(id: $id) { ... on ReadinessReport {
  id status attempts failureReason score htmlUrl pdfUrl
  pillarScores { pillar label score }
  findings { ruleId pillar severity objectType objectId message recommendation }
  comparedToPrevious {
    scoreChange newFindings { ruleId objectId } resolvedFindings { ruleId objectId }
  }
  clientOrganisation { name }
} } }"""
CLIENT_REPORTS = """
query($id: ID!) { node(id: $id) { ... on ClientOrganisation {
  readinessReports(first: 10) { totalCount edges { node { id status } } }
  latestReadinessReport { id status }
  succeeded: latestReadinessReport(succeededOnly: true) { id score }
  engagementHealthReports(first: 5) { totalCount edges { node { periodStart status } } }
} } }"""
HEALTH_LIST = """
query($status: [HealthStatus!]) {
  engagementHealthReports(first: 50, status: $status) {
    totalCount
    edges { node { id periodStart status reasons { code level message } htmlUrl
      clientOrganisation { name } } }
  }
}"""


def ctx(engine: AsyncEngine) -> dict[str, Any]:
    return {"engine": engine, "job_try": 1, "job_timeout_s": 300}


async def request(client: httpx.AsyncClient, token: str, client_id: str) -> dict[str, Any]:
    return await REQUEST.send(client, token, clientOrganisationId=client_id)


async def test_request_queues_a_report_and_enqueues_its_job(
    client: httpx.AsyncClient,
    engine: AsyncEngine,
    settings: Settings,
    tenant: TenantRef,
    consultant: str,
) -> None:
    seeded = await seed_client(engine, tenant, processes=3)
    first = await request(client, consultant, global_id("ClientOrganisation", seeded.client_id))
    assert first["errors"] == []
    report = first["readinessReport"]
    assert report["status"] == "QUEUED" and report["startedAt"] is None
    assert report["htmlUrl"] is None and report["score"] is None
    # a second click while it is queued returns the same report
    again = await request(client, consultant, global_id("ClientOrganisation", seeded.client_id))
    assert again["readinessReport"]["id"] == report["id"]
    report_id = uuid.UUID(_uuid(report["id"]))
    assert settings.redis_url
    redis = open_pool(settings.redis_url, queue_name=settings.queue_name)
    try:
        state = await job_status(redis, readiness_job_id(tenant.slug, report_id))
        assert state is JobStatus.queued
        await redis.delete(f"arq:job:{readiness_job_id(tenant.slug, report_id)}")
        await redis.zrem(settings.queue_name, readiness_job_id(tenant.slug, report_id))
    finally:
        await redis.aclose()
    async with tenant_session(engine, tenant) as s:
        actions = list(
            await s.scalars(
                select(m.AuditEvent.action).where(m.AuditEvent.object_type == "ReadinessReport")
            )
        )
    assert actions == ["request"]


def _uuid(gid: str) -> str:
    from strawberry.relay.utils import from_base64

    return from_base64(gid)[1]


async def test_request_validation_and_permissions(
    client: httpx.AsyncClient,
    engine: AsyncEngine,
    tenant: TenantRef,
    consultant: str,
    make_token: TokenFactory,
) -> None:
    bad = await request(client, consultant, global_id("AIProcess", uuid.uuid4()))
    assert bad["readinessReport"] is None
    assert [(e["field"], e["code"]) for e in bad["errors"]] == [
        ("clientOrganisationId", "VALIDATION")
    ]
    missing = await request(client, consultant, global_id("ClientOrganisation", uuid.uuid4()))
    assert [(e["field"], e["code"]) for e in missing["errors"]] == [
        ("clientOrganisationId", "NOT_FOUND")
    ]
    seeded = await seed_client(engine, tenant, processes=1)
    viewer = await make_token(tenant, "viewer")
    denied = await request(client, viewer, global_id("ClientOrganisation", seeded.client_id))
    assert [e["code"] for e in denied["errors"]] == ["FORBIDDEN"]
    async with tenant_session(engine, tenant) as s:
        assert list(await s.scalars(select(m.ReadinessReport.id))) == []


async def test_report_node_findings_and_comparison_with_previous(
    client: httpx.AsyncClient,
    engine: AsyncEngine,
    tenant: TenantRef,
    make_tenant: TenantFactory,
    make_token: TokenFactory,
) -> None:
    other = await make_tenant()
    token = await make_token(tenant, "viewer")
    seeded = await seed_client(engine, tenant, processes=14)
    first = await queue_report(engine, tenant, seeded.client_id)
    await build_readiness_report(ctx(engine), tenant.slug, str(first))
    await set_accountable(
        engine, tenant, owner_id=seeded.owner_ids[0], process_ids=seeded.orphaned_ids
    )
    second = await queue_report(engine, tenant, seeded.client_id)
    await build_readiness_report(ctx(engine), tenant.slug, str(second))

    one = data(await gql(client, REPORT, {"id": global_id("ReadinessReport", first)}, token=token))
    assert one["node"]["comparedToPrevious"] is None
    body = data(
        await gql(client, REPORT, {"id": global_id("ReadinessReport", second)}, token=token)
    )
    node = body["node"]
    assert node["status"] == "SUCCEEDED" and node["attempts"] == 1
    assert node["htmlUrl"].endswith(f"/reports/readiness/{second}.html")
    assert node["pdfUrl"].endswith(f"/reports/readiness/{second}.pdf")
    assert node["pillarScores"][0]["pillar"] == "OWNERSHIP"
    assert node["clientOrganisation"]["name"] == "Northwind Retail"
    assert all(f["severity"] in {"CRITICAL", "HIGH", "MEDIUM", "LOW"} for f in node["findings"])
    delta = node["comparedToPrevious"]
    assert delta["scoreChange"] > 0
    resolved = {(f["ruleId"], f["objectId"]) for f in delta["resolvedFindings"]}
    assert {("OWN-001", global_id("AIProcess", p)) for p in seeded.orphaned_ids} <= resolved
    stranger = await make_token(other, "admin")
    hidden = data(
        await gql(client, REPORT, {"id": global_id("ReadinessReport", second)}, token=stranger)
    )
    assert hidden["node"] is None


async def test_client_report_lists_are_batched(
    client: httpx.AsyncClient, engine: AsyncEngine, tenant: TenantRef, token: str
) -> None:
    seeded = await seed_client(engine, tenant, processes=3)
    done = await queue_report(engine, tenant, seeded.client_id)
    await build_readiness_report(ctx(engine), tenant.slug, str(done))
    queued = await queue_report(engine, tenant, seeded.client_id)
    await _health(engine, tenant, seeded.client_id, weeks_ago=1, status=m.HealthStatus.AMBER)
    await _health(engine, tenant, seeded.client_id, weeks_ago=2, status=m.HealthStatus.RED)
    body = data(
        await gql(
            client,
            CLIENT_REPORTS,
            {"id": global_id("ClientOrganisation", seeded.client_id)},
            token=token,
        )
    )
    node = body["node"]
    assert node["readinessReports"]["totalCount"] == 2
    assert node["readinessReports"]["edges"][0]["node"]["id"] == global_id(
        "ReadinessReport", queued
    )
    assert node["latestReadinessReport"]["status"] == "QUEUED"
    assert node["succeeded"]["id"] == global_id("ReadinessReport", done)
    health = node["engagementHealthReports"]
    assert health["totalCount"] == 2
    assert [e["node"]["status"] for e in health["edges"]] == ["AMBER", "RED"]


async def test_tenant_wide_health_list_has_the_latest_per_client(
    client: httpx.AsyncClient,
    engine: AsyncEngine,
    tenant: TenantRef,
    viewer: str,
    make_token: TokenFactory,
) -> None:
    a = await seed_client(engine, tenant, processes=1, name="Alpha")
    b = await seed_client(engine, tenant, processes=1, name="Beta")
    await _health(engine, tenant, a.client_id, weeks_ago=2, status=m.HealthStatus.GREEN)
    await _health(engine, tenant, a.client_id, weeks_ago=1, status=m.HealthStatus.RED)
    await _health(engine, tenant, b.client_id, weeks_ago=1, status=m.HealthStatus.GREEN)
    body = data(await gql(client, HEALTH_LIST, {}, token=viewer))
    rows = body["engagementHealthReports"]
    assert rows["totalCount"] == 2
    by_name = {e["node"]["clientOrganisation"]["name"]: e["node"] for e in rows["edges"]}
    assert by_name["Alpha"]["status"] == "RED" and by_name["Beta"]["status"] == "GREEN"
    # `level` is the HealthStatus enum the stored "red" sets.
    assert by_name["Alpha"]["reasons"] == [
        {"code": "ORPHANED_PROCESSES", "level": "RED", "message": "1 live process"}
    ]
    red = data(await gql(client, HEALTH_LIST, {"status": ["RED"]}, token=viewer))
    assert red["engagementHealthReports"]["totalCount"] == 1
    client_token = await make_token(tenant, "client_viewer", client_organisation_id=b.client_id)
    mine = data(await gql(client, HEALTH_LIST, {}, token=client_token))
    assert [
        e["node"]["clientOrganisation"]["name"] for e in mine["engagementHealthReports"]["edges"]
    ] == ["Beta"]


async def test_nested_report_lists_issue_a_fixed_number_of_statements(
    client: httpx.AsyncClient,
    engine: AsyncEngine,
    make_tenant: TenantFactory,
    make_token: TokenFactory,
) -> None:
    query = """{ clientOrganisations(first: 50) { edges { node {
      readinessReports(first: 5) {
        totalCount edges { node { id comparedToPrevious { scoreChange } } }
      }
      latestReadinessReport { id } engagementHealthReports(first: 3) { edges { node { id } } }
    } } } }"""
    counts = []
    for clients in (1, 4):
        tenant = await make_tenant()
        token = await make_token(tenant, "admin")
        for _ in range(clients):
            seeded = await seed_client(engine, tenant, processes=1)
            for _ in range(2):
                rid = await queue_report(engine, tenant, seeded.client_id)
                await build_readiness_report(ctx(engine), tenant.slug, str(rid))
        with count_statements(engine) as counter:
            data(await gql(client, query, token=token))
        counts.append(counter.count)
    assert counts[0] == counts[1]


async def _health(
    engine: AsyncEngine,
    tenant: TenantRef,
    client_id: uuid.UUID,
    *,
    weeks_ago: int,
    status: m.HealthStatus,
) -> uuid.UUID:
    start = TODAY - timedelta(days=TODAY.weekday() + 7 * weeks_ago)
    rid = uuid.uuid4()
    async with tenant_session(engine, tenant) as s:
        await s.execute(
            insert(m.EngagementHealthReport).values(
                id=rid,
                client_id=client_id,
                period_start=start,
                period_end=start + timedelta(days=6),
                status=status,
                reasons=[
                    {"code": "ORPHANED_PROCESSES", "level": "red", "message": "1 live process"}
                ]
                if status is m.HealthStatus.RED
                else [],
                html="<html>health</html>",
            )
        )
    return rid


async def test_two_requests_at_once_for_one_client_queue_one_report(
    engine: AsyncEngine, tenant: TenantRef
) -> None:
    # A double click: the second request's "already queued?" check runs before the first
    # commits. It must wait for the first and return its report, not queue a second job.
    seeded = await seed_client(engine, tenant, processes=1)
    actor = Actor("test", AuditActorKind.SYSTEM)

    async def ask(session: AsyncSession) -> tuple[uuid.UUID, bool]:
        report, created = await request_readiness_report(
            session, actor=actor, client_id=seeded.client_id
        )
        return report.id, created

    first, second = await race_uncommitted(engine, tenant, ask, ask)
    assert first[1]  # the first one queued a report
    assert second == (first[0], False)  # the second returned it, queuing nothing
    async with tenant_session(engine, tenant) as s:
        reports = list(await s.scalars(select(m.ReadinessReport.id)))
    assert reports == [first[0]]
