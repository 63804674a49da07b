"""Revision 0014 converts events of the old shape (whole rows, column names, raw uuids)."""

from __future__ import annotations

import json
import uuid
from typing import Any

from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncEngine

from tenants.global_ids import global_id
from tenants.migrate import TENANT, downgrade_tenant, upgrade_tenant
from tenants.models import AuditEvent
from tenants.principals import Role
from tenants.services.audit import SYSTEM
from tenants.services.members import invite_member
from tenants.session import tenant_session
from tests.conftest import TenantFactory

CLIENT, PROCESS, OTHER = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
TOKEN = uuid.uuid4()
OLD_EVENTS: list[dict[str, Any]] = [
    {  # an update: only `name` really changed
        "action": "update",
        "object_type": "AIProcess",
        "object_id": PROCESS,
        "before": {"name": "A", "client_id": str(CLIENT), "version": 1, "updated_at": "t1"},
        "after": {"name": "B", "client_id": str(CLIENT), "version": 2, "updated_at": "t2"},
    },
    {  # a create: foreign keys become global ids, an id of unknown type goes
        "action": "create",
        "object_type": "VendorAgreement",
        "object_id": uuid.uuid4(),
        "before": None,
        "after": {
            "client_id": str(CLIENT),
            "process_ids": [str(PROCESS), str(OTHER)],
            "request_id": str(uuid.uuid4()),
            "monitoring_party": "vendor",
            "auto_renews": False,
            "ends_on": None,
        },
    },
    {  # an update that changed nothing: it recorded nothing, and goes
        "action": "update",
        "object_type": "Owner",
        "object_id": uuid.uuid4(),
        "before": {"name": "Ann", "version": 3},
        "after": {"name": "Ann", "version": 3},
    },
    {  # an identity provider's client_id is its OAuth client id, not an organisation
        "action": "create",
        "object_type": "IdentityProvider",
        "object_id": uuid.uuid4(),
        "before": None,
        "after": {"client_id": "steward-web", "issuer": "https://idp.test"},
    },
]


def _before_0014() -> str:
    """The revision 0014 follows (the chain may be re-ordered when branches merge)."""
    cfg = Config()
    cfg.set_main_option("script_location", str(TENANT))
    down = ScriptDirectory.from_config(cfg).get_revision("0014").down_revision
    assert isinstance(down, str)
    return down


async def _insert_old(engine: AsyncEngine, tenant: Any, member_id: uuid.UUID) -> None:
    actors = [f"member:{member_id}", f"api_token:{TOKEN}", "cli", "cli"]
    kinds = ["member", "api_token", "system", "system"]
    async with tenant_session(engine, tenant) as s:
        for event, actor, kind in zip(OLD_EVENTS, actors, kinds, strict=True):
            await s.execute(
                text(
                    f'INSERT INTO "{tenant.schema_name}".audit_events'
                    " (id, actor, actor_kind, action, object_type, object_id, before, after)"
                    " VALUES (:id, :actor, :kind, :action, :type, :object_id,"
                    " CAST(:before AS jsonb), CAST(:after AS jsonb))"
                ),
                {
                    "id": uuid.uuid4(),
                    "actor": actor,
                    "kind": kind,
                    "action": event["action"],
                    "type": event["object_type"],
                    "object_id": event["object_id"],
                    "before": json.dumps(event["before"]) if event["before"] else None,
                    "after": json.dumps(event["after"]),
                },
            )


async def test_old_events_become_diffs_of_api_fields_with_named_actors(
    engine: AsyncEngine, make_tenant: TenantFactory
) -> None:
    tenant = await make_tenant()
    async with tenant_session(engine, tenant) as s:
        member = await invite_member(
            s, actor=SYSTEM, email="ann@consultancy.test", role=Role.ADMIN, display_name="Ann"
        )
        member_id = member.id
    async with engine.connect() as conn, conn.begin():
        await downgrade_tenant(conn, tenant, _before_0014())
    await _insert_old(engine, tenant, member_id)
    async with engine.connect() as conn, conn.begin():
        await upgrade_tenant(conn, tenant)
    async with tenant_session(engine, tenant) as s:
        events = {
            e.object_id: e
            for e in await s.scalars(select(AuditEvent).where(AuditEvent.action != "invite"))
        }
    update, create, noop, idp = (events.get(e["object_id"]) for e in OLD_EVENTS)
    assert noop is None
    assert update is not None and update.changes == [{"field": "name", "before": "A", "after": "B"}]
    assert (update.actor, update.actor_kind, update.actor_id) == ("Ann", "member", member_id)
    assert create is not None and (create.actor, create.actor_id) == ("API token", TOKEN)
    assert {c["field"]: c["after"] for c in create.changes} == {
        "clientOrganisation": global_id("ClientOrganisation", CLIENT),
        "processes": [global_id("AIProcess", PROCESS), global_id("AIProcess", OTHER)],
        "monitoringParty": "vendor",  # enum values stay as stored then
        "autoRenews": False,
    }
    assert idp is not None and (idp.actor, idp.actor_kind) == ("steward command line", "cli")
    assert {c["field"]: c["after"] for c in idp.changes} == {
        "clientId": "steward-web",
        "issuer": "https://idp.test",
    }
