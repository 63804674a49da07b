"""restoreX brings back what archiveX archived; deleteMilestone removes a milestone.

Both are versioned (a stale version is a CONFLICT and changes nothing), audited, and
all-or-nothing. Isolation and the role matrix cover them through the schema walk
(tests/security): foreign ids are like missing ones, every role gets its policy.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from schema.ids import global_id, parse_global_id
from tenants import models as m
from tenants.registry import TenantRef
from tenants.session import tenant_session
from tests.schema.support import demo_tenant, issue_secret, mutation
from tests.support import data, gql


@dataclass
class Demo:
    tenant: TenantRef
    token: str


@pytest.fixture(scope="module")
async def demo(engine: AsyncEngine) -> Demo:
    tenant = await demo_tenant(engine, "rest", "Restore")
    return Demo(tenant, await issue_secret(engine, tenant, "consultant", "c"))


STATE = """query($id: ID!) { node(id: $id) {
  ... on AIProcess { version archivedAt }
  ... on Owner { version archivedAt }
  ... on ClientOrganisation { version archivedAt }
  ... on Milestone { version }
} }"""
TRAIL = (
    "query($id: ID!) { auditEvents(filter: {objectId: $id}, first: 1) "
    "{ edges { node { action } } } }"
)


async def _run(
    client: httpx.AsyncClient, demo: Demo, field: str, /, **input: Any
) -> list[dict[str, Any]]:
    """The errors of mutation `field` run with `input` (its payload selects nothing else)."""
    errors: list[dict[str, Any]] = (await mutation(field, "").send(client, demo.token, **input))[
        "errors"
    ]
    return errors


async def _state(client: httpx.AsyncClient, demo: Demo, node_id: str) -> Any:
    return data(await gql(client, STATE, {"id": node_id}, token=demo.token))["node"]


async def _last_action(client: httpx.AsyncClient, demo: Demo, node_id: str) -> str:
    edges = data(await gql(client, TRAIL, {"id": node_id}, token=demo.token))["auditEvents"][
        "edges"
    ]
    return str(edges[0]["node"]["action"]).lower()


async def _one(engine: AsyncEngine, demo: Demo, stmt: Any) -> Any:
    async with tenant_session(engine, demo.tenant) as s:
        return await s.scalar(stmt.limit(1))


# The archivable kinds: each has archive<Kind> and restore<Kind>.
KINDS = ("AIProcess", "ClientOrganisation", "Owner")


async def _archivable(engine: AsyncEngine, demo: Demo, kind: str) -> str:
    """A live object of `kind` that archiveX accepts (an owner with no open assignment)."""
    if kind == "Owner":
        a = m.OwnershipAssignment
        busy = select(a.owner_id).where(a.ends_on.is_(None))
        row = await _one(
            engine,
            demo,
            select(m.Owner.id).where(m.Owner.id.not_in(busy), m.Owner.archived_at.is_(None)),
        )
    else:
        model: Any = getattr(m, kind)
        row = await _one(engine, demo, select(model.id).where(model.archived_at.is_(None)))
    assert row is not None, f"the demo has no archivable {kind}"
    return global_id(kind, row)


@pytest.mark.parametrize("kind", KINDS)
async def test_restore_brings_back_what_archive_archived_and_is_audited(
    client: httpx.AsyncClient, engine: AsyncEngine, demo: Demo, kind: str
) -> None:
    archive, restore = f"archive{kind}", f"restore{kind}"
    node_id = await _archivable(engine, demo, kind)
    version = (await _state(client, demo, node_id))["version"]
    assert await _run(client, demo, archive, id=node_id, version=version) == []
    archived = await _state(client, demo, node_id)
    assert archived["archivedAt"] is not None
    errors = await _run(client, demo, restore, id=node_id, version=archived["version"])
    assert errors == []
    restored = await _state(client, demo, node_id)
    assert restored == {"version": archived["version"] + 1, "archivedAt": None}
    assert await _last_action(client, demo, node_id) == "restore"
    # Restoring again: it is not archived any more.
    again = await _run(client, demo, restore, id=node_id, version=restored["version"])
    assert [(e["field"], e["code"]) for e in again] == [("id", "VALIDATION")]
    assert await _state(client, demo, node_id) == restored


async def test_a_stale_version_is_a_conflict_and_restores_nothing(
    client: httpx.AsyncClient, engine: AsyncEngine, demo: Demo
) -> None:
    node_id = await _archivable(engine, demo, "AIProcess")
    version = (await _state(client, demo, node_id))["version"]
    assert await _run(client, demo, "archiveAIProcess", id=node_id, version=version) == []
    # The version the caller saw before archiving is stale now.
    errors = await _run(client, demo, "restoreAIProcess", id=node_id, version=version)
    assert [(e["field"], e["code"]) for e in errors] == [("version", "CONFLICT")]
    assert (await _state(client, demo, node_id))["archivedAt"] is not None
    assert await _last_action(client, demo, node_id) == "archive"


async def test_a_process_of_an_archived_client_stays_archived(
    client: httpx.AsyncClient, engine: AsyncEngine, demo: Demo
) -> None:
    async with tenant_session(engine, demo.tenant) as s:
        live = select(m.AIProcess.id, m.AIProcess.client_id).where(
            m.AIProcess.archived_at.is_(None)
        )
        found = (await s.execute(live.limit(1))).one()
    process_id = global_id("AIProcess", found[0])
    client_id = global_id("ClientOrganisation", found[1])
    p = await _state(client, demo, process_id)
    assert await _run(client, demo, "archiveAIProcess", id=process_id, version=p["version"]) == []
    c = await _state(client, demo, client_id)
    archived = await _run(
        client, demo, "archiveClientOrganisation", id=client_id, version=c["version"]
    )
    assert archived == []
    p = await _state(client, demo, process_id)
    errors = await _run(client, demo, "restoreAIProcess", id=process_id, version=p["version"])
    assert [(e["field"], e["code"]) for e in errors] == [("id", "VALIDATION")]
    assert "client organisation is archived" in errors[0]["message"]
    assert await _state(client, demo, process_id) == p


async def test_an_owner_whose_email_a_live_owner_took_stays_archived(
    client: httpx.AsyncClient, engine: AsyncEngine, demo: Demo
) -> None:
    node_id = await _archivable(engine, demo, "Owner")
    owner_uuid = _uuid(node_id)
    version = (await _state(client, demo, node_id))["version"]
    assert await _run(client, demo, "archiveOwner", id=node_id, version=version) == []
    async with tenant_session(engine, demo.tenant) as s:
        archived = await s.get(m.Owner, owner_uuid)
        assert archived is not None
        email = archived.email or f"{uuid.uuid4().hex}@client.test"
        archived.email = email
        s.add(m.Owner(client_id=archived.client_id, name="Successor", email=email.upper()))
    before = await _state(client, demo, node_id)
    errors = await _run(client, demo, "restoreOwner", id=node_id, version=before["version"])
    assert [(e["field"], e["code"]) for e in errors] == [("id", "VALIDATION")]
    assert await _state(client, demo, node_id) == before
    assert await _last_action(client, demo, node_id) != "restore"


def _uuid(node_id: str) -> uuid.UUID:
    parsed = parse_global_id(node_id)
    assert parsed is not None
    return parsed[1]


async def test_delete_milestone_removes_it_and_leaves_its_values_in_the_trail(
    client: httpx.AsyncClient, engine: AsyncEngine, demo: Demo
) -> None:
    row = await _one(engine, demo, select(m.Milestone.id).order_by(m.Milestone.id))
    node_id = global_id("Milestone", row)
    version = (await _state(client, demo, node_id))["version"]
    stale = await _run(client, demo, "deleteMilestone", id=node_id, version=version + 1)
    assert [(e["field"], e["code"]) for e in stale] == [("version", "CONFLICT")]
    assert await _state(client, demo, node_id) == {"version": version}
    deleted = await _run(client, demo, "deleteMilestone", id=node_id, version=version)
    assert deleted == []
    assert await _state(client, demo, node_id) is None
    async with tenant_session(engine, demo.tenant) as s:
        assert await s.get(m.Milestone, row) is None
        event = await s.scalar(
            select(m.AuditEvent).where(
                m.AuditEvent.object_id == row, m.AuditEvent.action == "delete"
            )
        )
    # The trail keeps what the milestone had: each field's value before, none after.
    assert event is not None and event.before("title") is not None
    assert all(change["after"] is None for change in event.changes)
    again = await _run(client, demo, "deleteMilestone", id=node_id, version=version)
    assert [(e["field"], e["code"]) for e in again] == [("id", "NOT_FOUND")]


async def test_delete_milestone_answers_its_id(
    client: httpx.AsyncClient, engine: AsyncEngine, demo: Demo
) -> None:
    row = await _one(engine, demo, select(m.Milestone.id).order_by(m.Milestone.id.desc()))
    node_id = global_id("Milestone", row)
    version = (await _state(client, demo, node_id))["version"]
    delete = mutation("deleteMilestone", "deletedMilestoneId", errors="code")
    deleted = await delete.send(client, demo.token, id=node_id, version=version)
    assert deleted == {"deletedMilestoneId": node_id, "errors": []}


async def test_restoring_a_process_waits_for_an_archive_of_its_client_in_flight(
    engine: AsyncEngine, make_tenant: Any
) -> None:
    # The live-client check reads the client row under a share lock: a restore racing an
    # archive of the client sees the archive once it commits, instead of restoring a
    # process into an archived client.
    from tenants.services.audit import Actor
    from tenants.services.clients import archive_client
    from tenants.services.processes import archive_process
    from tenants.services.restore import restore_process
    from tests.jobs.seed import seed_client
    from tests.support import race_uncommitted

    tenant = await make_tenant()
    seeded = await seed_client(engine, tenant, processes=1)
    actor = Actor("test", m.AuditActorKind.SYSTEM)
    process_id = seeded.process_ids[0]
    async with tenant_session(engine, tenant) as s:
        process = await archive_process(s, actor=actor, process_id=process_id, expected_version=1)
        version = process.version

    async def archive(session: Any) -> None:
        await archive_client(session, actor=actor, client_id=seeded.client_id, expected_version=1)

    async def restore(session: Any) -> Any:
        return await restore_process(
            session, actor=actor, process_id=process_id, expected_version=version
        )

    _, refused = await race_uncommitted(engine, tenant, archive, restore)
    assert [(e.field, e.code.value) for e in refused.errors] == [("id", "VALIDATION")]
    async with tenant_session(engine, tenant) as s:
        assert (await s.get(m.AIProcess, process_id)).archived_at is not None  # type: ignore[union-attr]
