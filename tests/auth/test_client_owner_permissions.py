"""A client_owner, logged in through their organisation's provider, over real HTTP.

They may record reviews, incidents and KPI values on the processes they are
currently assigned to (through an Owner row linked to their member), are
FORBIDDEN on another process of the same client, and on every other mutation.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from schema.ids import global_id
from schema.permissions import MUTATION_POLICIES
from tenants import models as m
from tenants.services.assignments import assign_owner
from tenants.services.audit import SYSTEM
from tenants.services.feedback import report_incident
from tenants.services.kpis import add_kpi
from tenants.services.owners import create_owner
from tenants.services.processes import create_process
from tenants.session import tenant_session
from tenants.tokens import issue_token
from tests.auth.support import Browser, World, person
from tests.security.schema_walk import build_input, document, fake_id, mutations

REVIEW = """
mutation($input: RecordProcessReviewInput!) {
  recordProcessReview(input: $input) { processReview { id } errors { field code message } }
}"""
INCIDENT = """
mutation($input: ReportIncidentInput!) {
  reportIncident(input: $input) { incident { id } errors { field code message } }
}"""
UPDATE_INCIDENT = """
mutation($input: UpdateIncidentInput!) {
  updateIncident(input: $input) { incident { id status version } errors { field code message } }
}"""
UPDATE_KPI = """
mutation($input: UpdateKpiInput!) {
  updateKpi(input: $input) { processKpi { id latestValue version } errors { field code message } }
}"""
VIEWER = "{ viewer { role member { id email role status clientOrganisation { id } } } }"
OWNER = "query($id: ID!) { node(id: $id) { ... on Owner { member { id email } } } }"
OWNER_FEEDBACK = ("recordProcessReview", "reportIncident", "updateIncident", "updateKpi")


@dataclass
class Setup:
    member_id: uuid.UUID
    email: str
    owner: uuid.UUID
    # process -> (kpi id, incident id)
    p: tuple[uuid.UUID, uuid.UUID, uuid.UUID]
    q: tuple[uuid.UUID, uuid.UUID, uuid.UUID]


async def _post(
    browser: Browser, query: str, variables: dict[str, Any] | None = None
) -> dict[str, Any]:
    """GraphQL with the browser's session cookie and CSRF header."""
    assert browser.csrf is not None
    response = await browser.http.post(
        f"{browser.base}/graphql",
        content=json.dumps({"query": query, "variables": variables or {}}),
        headers={"content-type": "application/json", "x-steward-csrf": browser.csrf},
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    assert not body.get("errors"), body
    result: dict[str, Any] = body["data"]
    return result


async def _process(session: Any, client_id: uuid.UUID, name: str) -> tuple[uuid.UUID, ...]:
    process = await create_process(session, actor=SYSTEM, client_id=client_id, name=name)
    kpi = await add_kpi(session, actor=SYSTEM, process_id=process.id, name="Accuracy")
    incident = await report_incident(
        session,
        actor=SYSTEM,
        process_id=process.id,
        title="Wrong answer",
        severity=m.IncidentSeverity.LOW,
        occurred_at=datetime.now(UTC) - timedelta(hours=1),
    )
    return process.id, kpi.id, incident.id


async def _log_in_and_set_up(browser: Browser, world: World, engine: AsyncEngine) -> Setup:
    user = person("globex.test", groups=["ai-owners"])
    await world.providers["client"].next_user(**user)
    response = await browser.login(world.a.tenant.slug, world.a.client_idp_id)
    assert response.status_code == 303, response.text
    client_id = world.a.client_org_id
    assert client_id is not None
    async with tenant_session(engine, world.a.tenant) as s:
        member = await s.scalar(select(m.Member).where(m.Member.email == user["email"]))
        assert member is not None and member.role.value == "client_owner"
        suffix = uuid.uuid4().hex[:6]
        p = await _process(s, client_id, f"Claims triage {suffix}")
        q = await _process(s, client_id, f"Invoice matching {suffix}")
        owner = await create_owner(
            s, actor=SYSTEM, client_id=client_id, name=user["name"], member_id=member.id
        )
        await assign_owner(
            s,
            actor=SYSTEM,
            process_id=p[0],
            owner_id=owner.id,
            raci_role=m.RaciRole.RESPONSIBLE,
            responsibilities=[m.Responsibility.INCIDENTS],
            hours_per_week=Decimal("2"),
            starts_on=date.today(),
        )
    return Setup(member.id, user["email"], owner.id, (p[0], p[1], p[2]), (q[0], q[1], q[2]))


def _feedback(
    process: tuple[uuid.UUID, uuid.UUID, uuid.UUID],
) -> list[tuple[str, str, dict[str, Any]]]:
    pid, kpi, incident = process
    now = datetime.now(UTC).isoformat()
    return [
        (
            "recordProcessReview",
            REVIEW,
            {
                "processId": global_id("AIProcess", pid),
                "reviewedOn": date.today().isoformat(),
                "reviewer": "Owner",
                "summary": "Fine",
                "outcome": "ON_TRACK",
            },
        ),
        (
            "reportIncident",
            INCIDENT,
            {
                "processId": global_id("AIProcess", pid),
                "title": "Slow",
                "severity": "MEDIUM",
                "occurredAt": now,
            },
        ),
        (
            "updateIncident",
            UPDATE_INCIDENT,
            {"id": global_id("Incident", incident), "version": 1, "status": "INVESTIGATING"},
        ),
        (
            "updateKpi",
            UPDATE_KPI,
            {
                "id": global_id("ProcessKpi", kpi),
                "version": 1,
                "latestValue": 0.97,
                "measuredAt": now,
            },
        ),
    ]


@pytest.fixture
async def setup(browser: Browser, world: World, engine: AsyncEngine) -> Setup:
    return await _log_in_and_set_up(browser, world, engine)


async def test_an_assigned_client_owner_records_feedback_on_their_process_only(
    browser: Browser, setup: Setup
) -> None:
    for name, query, fields in _feedback(setup.q):
        refused = (await _post(browser, query, {"input": fields}))[name]
        assert [e["code"] for e in refused["errors"]] == ["FORBIDDEN"], name
    for name, query, fields in _feedback(setup.p):
        allowed = (await _post(browser, query, {"input": fields}))[name]
        assert allowed["errors"] == [], (name, allowed)


async def test_the_client_owner_is_forbidden_every_other_mutation_even_on_their_process(
    browser: Browser, setup: Setup, world: World
) -> None:
    assert world.a.client_org_id is not None
    real = {
        "AIProcess": global_id("AIProcess", setup.p[0]),
        "ProcessKpi": global_id("ProcessKpi", setup.p[1]),
        "Incident": global_id("Incident", setup.p[2]),
        "Owner": global_id("Owner", setup.owner),
        "ClientOrganisation": global_id("ClientOrganisation", world.a.client_org_id),
        "Member": global_id("Member", setup.member_id),
    }
    wrong = []
    for spec in mutations():
        if spec.name in OWNER_FEEDBACK:
            continue
        assert not MUTATION_POLICIES[spec.name].assigned_client_owner, spec.name
        variables = {"input": build_input(spec, lambda _f, t: real.get(t, fake_id(t)))}
        codes = [
            e["code"]
            for e in (await _post(browser, document(spec), variables))[spec.name]["errors"]
        ]
        if codes != ["FORBIDDEN"]:
            wrong.append(f"{spec.name}: {codes}")
    assert wrong == []


async def test_viewer_and_owner_show_the_member(
    browser: Browser, setup: Setup, world: World
) -> None:
    viewer = (await _post(browser, VIEWER))["viewer"]
    assert viewer["role"] == "CLIENT_OWNER"
    assert viewer["member"] == {
        "id": global_id("Member", setup.member_id),
        "email": setup.email,
        "role": "CLIENT_OWNER",
        "status": "ACTIVE",
        "clientOrganisation": {"id": global_id("ClientOrganisation", world.a.client_org_id)},  # type: ignore[arg-type]
    }
    owner = (await _post(browser, OWNER, {"id": global_id("Owner", setup.owner)}))["node"]
    assert owner == {"member": {"id": global_id("Member", setup.member_id), "email": setup.email}}


async def test_a_token_issued_to_the_member_carries_the_same_rights(
    setup: Setup, world: World, engine: AsyncEngine
) -> None:
    async with engine.connect() as conn, conn.begin():
        issued = await issue_token(
            conn,
            tenant=world.a.tenant,
            role="client_owner",
            name="owner script",
            client_organisation_id=world.a.client_org_id,
            member_id=setup.member_id,
        )
    async with httpx.AsyncClient(base_url=world.auth_url, timeout=30) as http:
        for process, expected in ((setup.q, ["FORBIDDEN"]), (setup.p, [])):
            name, query, fields = _feedback(process)[0]
            response = await http.post(
                "/graphql",
                json={"query": query, "variables": {"input": fields}},
                headers={"authorization": f"Bearer {issued.secret}"},
            )
            errors = response.json()["data"][name]["errors"]
            assert [e["code"] for e in errors] == expected
