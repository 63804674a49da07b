"""Export a whole tenant as JSON lines, and import such a file into an empty tenant.

Generic over the tenant's tables: the table list is `TenantBase.metadata.sorted_tables`
(dependency order, parents first), so a table added by a later migration is exported
and imported without any change here; `tests/exports` checks that list against the
tables PostgreSQL actually has in a migrated tenant schema.

Rows are rendered by PostgreSQL (`row_to_json`) and written as they arrive from a
server-side cursor (`yield_per`), never decoded in Python; the import parses them back
with `json_populate_recordset` against the same table type, so every column type
(uuid, timestamptz, numeric, enums, jsonb, bytea) round-trips exactly. Ids are
preserved, not mapped: each tenant has its own schema, so a source's ids cannot collide
in the target, and every relation (foreign keys) and audit event stays as it was.

File format, one JSON document per line:
  {"format": "steward.tenant-export", "version": 1, "revision": "0011", "tables": {name: rows}}
  {"t": "<table>", "r": {<row>}}            (tables in dependency order)
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import IO

from sqlalchemy import Table, Text, column, func, select, text
from sqlalchemy import table as table_clause
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from sqlalchemy.sql.elements import ColumnElement

import tenants.models  # noqa: F401  (registers every tenant table on the metadata)
from tenants.base import TenantBase
from tenants.registry import TenantRef
from tenants.session import bind_connection
from tenants.slugs import quote_ident

FORMAT = "steward.tenant-export"
VERSION = 1
BATCH_SIZE = 500
# Rows provisioning writes into every new tenant: the default capability dimensions and
# the audit events recording them. An "empty" tenant still holds them; the import
# replaces them with the source's own (which come with their own history).
PROVISIONING_TABLES = frozenset({"capability_dimensions", "audit_events"})
# Export jobs and their files: derived, expiring artefacts, not the tenant's data. An
# export would otherwise carry every earlier export file (and its own RUNNING row).
DERIVED_TABLES = frozenset({"exports", "export_chunks"})

Progress = Callable[[int, int], None]  # (rows done, rows in total)


class TenantImportError(ValueError):
    """The file or the target tenant does not allow an import; nothing was written."""


@dataclass
class ExportStats:
    rows: int
    tables: dict[str, int]
    largest_batch: int  # rows held in memory at once, never above the batch size


def tenant_tables() -> list[Table]:
    """Every tenant table but the derived ones, parents before children."""
    return [t for t in TenantBase.metadata.sorted_tables if t.name not in DERIVED_TABLES]


async def _revision(conn: AsyncConnection, tenant: TenantRef) -> str:
    version = table_clause("alembic_version", column("version_num"), schema=tenant.schema_name)
    return str(await conn.scalar(select(version.c.version_num)))


async def _counts(
    conn: AsyncConnection, scope: Mapping[str, ColumnElement[bool]] | None = None
) -> dict[str, int]:
    counts = {}
    for t in _tables(scope):
        query = select(func.count()).select_from(t)
        if scope is not None:
            query = query.where(scope[t.name])
        counts[t.name] = int(await conn.scalar(query) or 0)
    return counts


def _tables(scope: Mapping[str, ColumnElement[bool]] | None) -> list[Table]:
    return [t for t in tenant_tables() if scope is None or t.name in scope]


async def export_tenant(
    engine: AsyncEngine,
    tenant: TenantRef,
    out: IO[str],
    *,
    batch_size: int = BATCH_SIZE,
    progress: Progress | None = None,
    scope: Mapping[str, ColumnElement[bool]] | None = None,
) -> ExportStats:
    """Write `tenant` to `out`, one consistent snapshot, `batch_size` rows in memory at most.

    `scope` (jobs/exports/scope.py) limits the export to some tables and rows of each,
    e.g. one client engagement; None is the whole tenant.
    """
    async with engine.connect() as raw:
        # One snapshot for the counts and every table: a write during the export
        # cannot leave a child row whose parent was read before it existed.
        raw = await raw.execution_options(isolation_level="REPEATABLE READ")
        async with raw.begin():
            await raw.execute(text("SET TRANSACTION READ ONLY"))
            conn = await bind_connection(raw, tenant)
            counts = await _counts(conn, scope)
            header = {"format": FORMAT, "version": VERSION, "tables": counts}
            header["revision"] = await _revision(raw, tenant)
            out.write(json.dumps(header) + "\n")
            total, done, largest = sum(counts.values()), 0, 0
            for table in _tables(scope):
                stmt = select(func.row_to_json(table.table_valued()).cast(Text))
                stmt = stmt.select_from(table).order_by(*table.primary_key.columns)
                if scope is not None:
                    stmt = stmt.where(scope[table.name])
                result = await conn.stream(stmt, execution_options={"yield_per": batch_size})
                async for batch in result.partitions():
                    largest = max(largest, len(batch))
                    prefix = '{"t":' + json.dumps(table.name) + ',"r":'
                    out.writelines(f"{prefix}{row[0]}}}\n" for row in batch)
                    done += len(batch)
                    if progress is not None:
                        progress(done, total)
    return ExportStats(rows=done, tables=counts, largest_batch=largest)


def _read_header(lines: Iterator[str]) -> dict[str, object]:
    try:
        header = json.loads(next(lines))
    except (StopIteration, json.JSONDecodeError):
        raise TenantImportError("not a Steward tenant export: no header line") from None
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise TenantImportError("not a Steward tenant export: wrong format marker")
    if header.get("version") != VERSION:
        raise TenantImportError(f"unsupported export version {header.get('version')!r}")
    return header


def _rows_by_table(lines: Iterable[str], batch_size: int) -> Iterator[tuple[str, list[str]]]:
    """(table, raw JSON rows) in batches of at most `batch_size`, in file order."""
    current, batch = "", list[str]()
    for number, line in enumerate(lines, start=2):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            table, row = item["t"], item["r"]
        except (json.JSONDecodeError, KeyError, TypeError):
            raise TenantImportError(f"line {number}: not a table row") from None
        if (table != current and batch) or len(batch) >= batch_size:
            yield current, batch
            batch = []
        current = table
        batch.append(json.dumps(row))
    if batch:
        yield current, batch


async def _check_empty(conn: AsyncConnection) -> None:
    """Refuse a tenant holding anything but provisioning's defaults (and their audit)."""
    for name, rows in (await _counts(conn)).items():
        if rows and name not in PROVISIONING_TABLES:
            raise TenantImportError(f"target tenant is not empty: {name} has {rows} rows")
    events = TenantBase.metadata.tables["audit_events"]
    dimensions = TenantBase.metadata.tables["capability_dimensions"]
    other = select(func.count()).where(events.c.object_id.not_in(select(dimensions.c.id)))
    if rows := int(await conn.scalar(other) or 0):
        raise TenantImportError(f"target tenant is not empty: audit_events has {rows} rows")


async def _insert(conn: AsyncConnection, tenant: TenantRef, table: str, rows: list[str]) -> None:
    target = f"{quote_ident(tenant.schema_name)}.{quote_ident(table)}"
    # OVERRIDING SYSTEM VALUE keeps identity columns (audit_events.seq) as exported. The
    # identifiers are quoted names from the registry and the metadata, never file content
    # (a table named in the file is checked against the metadata first).
    sql = (
        f"INSERT INTO {target} OVERRIDING SYSTEM VALUE "  # noqa: S608
        f"SELECT * FROM json_populate_recordset(NULL::{target}, CAST(:rows AS json))"
    )
    await conn.execute(text(sql), {"rows": "[" + ",".join(rows) + "]"})


async def _reset_identities(conn: AsyncConnection, tenant: TenantRef) -> None:
    """Move identity sequences past the imported values so new rows do not collide."""
    for tbl in tenant_tables():
        for col in tbl.columns:
            if col.identity is None:
                continue
            target = f"{quote_ident(tenant.schema_name)}.{quote_ident(tbl.name)}"
            latest = select(func.max(col)).scalar_subquery()
            sequence = func.pg_get_serial_sequence(target, col.name)
            await conn.execute(select(func.setval(sequence, func.coalesce(latest, 0) + 1, False)))


async def import_tenant(
    engine: AsyncEngine,
    tenant: TenantRef,
    lines: Iterable[str],
    *,
    batch_size: int = BATCH_SIZE,
    progress: Progress | None = None,
) -> int:
    """Load an export into an empty `tenant` in one transaction; returns the rows written."""
    stream = iter(lines)
    header = _read_header(stream)
    known = {t.name for t in tenant_tables()}
    tables = header.get("tables")
    if not isinstance(tables, dict) or not set(tables) <= known:
        unknown = sorted(set(tables or ()) - known) if isinstance(tables, dict) else []
        raise TenantImportError(f"export has tables this version does not know: {unknown}")
    total, done = sum(int(v) for v in tables.values()), 0
    async with engine.connect() as raw, raw.begin():
        revision = await _revision(raw, tenant)
        if header.get("revision") != revision:
            raise TenantImportError(
                f"export is at migration {header.get('revision')}, tenant at {revision}:"
                " migrate both to the same head first"
            )
        conn = await bind_connection(raw, tenant)
        await _check_empty(conn)
        for name in sorted(PROVISIONING_TABLES):  # neither refers to the other
            await conn.execute(TenantBase.metadata.tables[name].delete())
        try:
            for table_name, rows in _rows_by_table(stream, batch_size):
                if table_name not in known:
                    raise TenantImportError(f"row for unknown table {table_name!r}")
                await _insert(raw, tenant, table_name, rows)
                done += len(rows)
                if progress is not None:
                    progress(done, total)
        except DBAPIError as exc:
            first = str(exc.orig).splitlines()[0] if exc.orig else str(exc)
            raise TenantImportError(f"rows rejected by the database: {first}") from None
        if done != total:
            raise TenantImportError(f"export is truncated: {done} of {total} rows")
        await _reset_identities(conn, tenant)
    return done
