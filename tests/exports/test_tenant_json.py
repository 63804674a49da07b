"""Tenant export/import (issue 11 item 5, offboarding): every table covered, a seeded tenant
round-trips object by object into a fresh one, the export streams within a bound, and a bad
import writes nothing."""

from __future__ import annotations

import io
import json
import uuid
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from jobs.exports.scope import client_scope, excluded
from jobs.exports.tenant_json import (
    DERIVED_TABLES,
    TenantImportError,
    export_tenant,
    import_tenant,
    tenant_tables,
)
from tenants.demo_seed import seed_demo
from tenants.provisioning import create_tenant
from tenants.registry import TenantRef
from tenants.session import tenant_connection
from tenants.slugs import quote_ident
from tests.support import unique_slug


async def _rows(engine: AsyncEngine, tenant: TenantRef) -> dict[str, list[Any]]:
    """Every row of every table in the schema, as PostgreSQL renders it, in primary-key order."""
    out: dict[str, list[Any]] = {}
    schema = quote_ident(tenant.schema_name)
    async with tenant_connection(engine, tenant) as conn:
        for table in tenant_tables():
            order = ", ".join(quote_ident(c.name) for c in table.primary_key.columns)
            sql = f"SELECT row_to_json(t)::text FROM {schema}.{quote_ident(table.name)} t"
            result = await conn.execute(text(f"{sql} ORDER BY {order}"))
            out[table.name] = [json.loads(r[0]) for r in result]
    return out


async def _export(engine: AsyncEngine, tenant: TenantRef, **kw: Any) -> str:
    buf = io.StringIO()
    await export_tenant(engine, tenant, buf, **kw)
    return buf.getvalue()


@pytest.fixture
async def seeded(engine: AsyncEngine) -> TenantRef:
    return await create_tenant(engine, slug=unique_slug(), name="Seeded", after_migrate=seed_demo)


async def test_every_table_of_a_migrated_tenant_schema_is_exported(
    engine: AsyncEngine, seeded: TenantRef
) -> None:
    # Held against the catalogue, not the models: a table a migration adds without a model
    # (or a model a migration lacks) fails here instead of being left out of an export.
    async with engine.connect() as conn:
        actual = set(
            await conn.scalars(
                text("SELECT tablename FROM pg_tables WHERE schemaname = :s"),
                {"s": seeded.schema_name},
            )
        )
    kept = actual - {"alembic_version"} - DERIVED_TABLES
    assert actual >= DERIVED_TABLES and kept == {t.name for t in tenant_tables()}
    header = json.loads((await _export(engine, seeded)).splitlines()[0])
    assert set(header["tables"]) == kept


async def test_a_seeded_tenant_round_trips_object_by_object(
    engine: AsyncEngine, seeded: TenantRef, make_tenant: Any
) -> None:
    dump = await _export(engine, seeded)
    fresh = await make_tenant()
    written = await import_tenant(engine, fresh, io.StringIO(dump))
    source, target = await _rows(engine, seeded), await _rows(engine, fresh)
    assert written == sum(len(rows) for rows in source.values())
    # The seed reaches the engagement's objects, their relations and the audit trail.
    for name in ("client_organisations", "ai_processes", "ownership_assignments", "audit_events"):
        assert source[name], name
    for name in source:  # ids preserved: equal rows, same primary keys, same foreign keys
        assert target[name] == source[name], name
    # Identity sequences continue past the imported audit events.
    schema = quote_ident(fresh.schema_name)
    async with tenant_connection(engine, fresh) as conn:
        nxt = await conn.scalar(
            text(f"SELECT nextval(pg_get_serial_sequence('{schema}.audit_events', 'seq'))")
        )
    assert nxt == max(e["seq"] for e in source["audit_events"]) + 1


async def test_export_streams_in_batches_of_at_most_the_fetch_size(
    engine: AsyncEngine, seeded: TenantRef
) -> None:
    seen: list[tuple[int, int]] = []
    buf = io.StringIO()
    stats = await export_tenant(
        engine, seeded, buf, batch_size=7, progress=lambda d, t: seen.append((d, t))
    )
    # Machine-independent: never more than 7 rows in memory, and progress per batch.
    assert stats.rows > 7 * 10
    assert 0 < stats.largest_batch <= 7
    assert len(seen) >= stats.rows // 7
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)
    assert seen[-1] == (stats.rows, stats.rows)
    assert len(buf.getvalue().splitlines()) == stats.rows + 1


async def test_import_reads_the_file_in_batches_of_at_most_the_batch_size(
    engine: AsyncEngine, seeded: TenantRef, make_tenant: Any
) -> None:
    dump = await _export(engine, seeded)
    done: list[int] = []
    fresh = await make_tenant()
    # A generator: the import can only see lines as it pulls them, never the whole file.
    lines = (line for line in dump.splitlines(keepends=True))
    rows = await import_tenant(
        engine, fresh, lines, batch_size=5, progress=lambda d, t: done.append(d)
    )
    steps = [b - a for a, b in zip([0, *done], done, strict=False)]
    assert rows > 5 * 10 and done[-1] == rows
    assert max(steps) <= 5


async def test_import_refuses_a_tenant_with_data_and_writes_nothing(
    engine: AsyncEngine, seeded: TenantRef
) -> None:
    dump = await _export(engine, seeded)
    before = await _rows(engine, seeded)
    with pytest.raises(TenantImportError, match="not empty"):
        await import_tenant(engine, seeded, io.StringIO(dump))
    assert await _rows(engine, seeded) == before


async def test_a_truncated_or_foreign_file_leaves_the_target_as_it_was(
    engine: AsyncEngine, seeded: TenantRef, make_tenant: Any
) -> None:
    dump = (await _export(engine, seeded)).splitlines(keepends=True)
    fresh = await make_tenant()
    before = await _rows(engine, fresh)
    with pytest.raises(TenantImportError, match="truncated"):
        await import_tenant(engine, fresh, iter(dump[: len(dump) // 2]))
    with pytest.raises(TenantImportError, match="not a Steward tenant export"):
        await import_tenant(engine, fresh, iter(['{"hello": 1}\n']))
    orphan = dump[0] + json.dumps({"t": "ai_processes", "r": json.loads(dump[-1])["r"]}) + "\n"
    with pytest.raises(TenantImportError):
        await import_tenant(engine, fresh, io.StringIO(orphan))
    assert await _rows(engine, fresh) == before


async def test_one_client_engagement_round_trips_without_its_neighbours(
    engine: AsyncEngine, seeded: TenantRef, make_tenant: Any
) -> None:
    source = await _rows(engine, seeded)
    clients = source["client_organisations"]
    mine, others = clients[0]["id"], {c["id"] for c in clients[1:]}
    assert others
    scope = client_scope(uuid.UUID(mine))
    # Only tenant-wide tables are left out: none names a client, so a client's table added
    # later (with a foreign key, or a client column) can never be silently dropped.
    left_out = excluded(scope)
    assert {"report_brandings", "report_schedules"} <= set(left_out)
    for table in tenant_tables():
        if table.name in left_out:
            assert not {"client_id", "client_organisation_id"} & set(table.c.keys()), table.name
    buf = io.StringIO()
    await export_tenant(engine, seeded, buf, scope=scope)
    fresh = await make_tenant()
    await import_tenant(engine, fresh, io.StringIO(buf.getvalue()))
    target = await _rows(engine, fresh)
    assert [c["id"] for c in target["client_organisations"]] == [mine]
    processes = {p["id"] for p in source["ai_processes"] if p["client_id"] == mine}
    assert {p["id"] for p in target["ai_processes"]} == processes
    assigned = [a for a in source["ownership_assignments"] if a["process_id"] in processes]
    assert target["ownership_assignments"] == assigned
    events = [e for e in source["audit_events"] if e["client_id"] == mine]
    assert events and target["audit_events"] == events
    # Nothing of another client crosses, in any table that names a client.
    for name, rows in target.items():
        for row in rows:
            assert row.get("client_id") not in others, name
            assert row.get("client_organisation_id") not in others, name
