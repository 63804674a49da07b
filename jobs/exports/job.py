"""`build_export`: one requested export (`requestExport`), made by a worker with progress.

The rows come from a server-side cursor and are written as they arrive into a spooled
temporary file (memory up to `SPOOL_BYTES`, disk beyond), the same writers as the
synchronous /exports routes (jobs/exports/writers.py, tenant_json.py). While it writes,
`rows_written` of `rows_total` is saved every `PROGRESS_EVERY_S`, so a client polling the
Export node sees it move. The file is then copied into `export_chunks` piece by piece in
the one transaction that marks the export SUCCEEDED: a download sees the whole file or
nothing. At no point is the whole tenant, or the whole file, in memory.

Idempotent, because arq may run a job twice: an export already SUCCEEDED or FAILED is
left alone; a re-run of a RUNNING one (its worker died, or a transient database error
raised `arq.Retry`) starts the file again, and replaces any chunks in the same
transaction that stores the new ones.
"""

from __future__ import annotations

import asyncio
import tempfile
import uuid
from collections.abc import AsyncIterator, Sequence
from datetime import UTC, datetime, timedelta
from typing import IO, Any, cast

import structlog
from arq import Retry
from sqlalchemy import delete, func, insert, select, true
from sqlalchemy.ext.asyncio import AsyncEngine

from jobs.config import DEFAULT_EXPORT_TTL_S, DEFAULT_JOB_TIMEOUT_S
from jobs.enqueue import id_argument
from jobs.exports.progress import Progress
from jobs.exports.scope import client_scope
from jobs.exports.tables import EXPORTS, TableExport
from jobs.exports.tenant_json import export_tenant
from jobs.exports.writers import Cell, csv_chunks, write_xlsx
from jobs.retry import MAX_TRIES, backoff_s, is_transient
from tenants import models as m
from tenants.registry import TenantRef, lookup_tenant
from tenants.session import tenant_connection, tenant_session

log = structlog.get_logger("steward.jobs.exports")
SPOOL_BYTES = 1 << 20
CHUNK_BYTES = 1 << 20
FETCH_SIZE = 500
_TIMEOUT_MARGIN_S = 5.0
MAX_ATTEMPTS = 5  # runs started (a worker that died mid-file counts); then FAILED
TERMINAL = frozenset({m.ReportStatus.SUCCEEDED, m.ReportStatus.FAILED})


def _now() -> datetime:
    return datetime.now(UTC)


async def _claim(engine: AsyncEngine, tenant: TenantRef, export_id: uuid.UUID) -> m.Export | None:
    """Mark the export RUNNING; None when there is nothing to do."""
    async with tenant_session(engine, tenant) as db:
        export = await db.get(m.Export, export_id, with_for_update=True)
        if export is None or export.status in TERMINAL:
            return None
        if export.attempts >= MAX_ATTEMPTS:
            export.status = m.ReportStatus.FAILED
            export.finished_at = _now()
            export.failure_reason = f"abandoned after {export.attempts} attempts"
            return None
        export.status = m.ReportStatus.RUNNING
        export.started_at = _now()
        export.attempts += 1
        export.rows_written = 0
        export.failure_reason = None
        await db.flush()
        db.expunge(export)
    return export


async def _table_rows(
    engine: AsyncEngine, tenant: TenantRef, table: TableExport, progress: Progress
) -> AsyncIterator[Sequence[Cell]]:
    async with tenant_connection(engine, tenant) as conn:
        total = await conn.scalar(select(func.count()).select_from(table.query.subquery()))
        progress.update(0, int(total or 0))
        result = await conn.stream(table.query, execution_options={"yield_per": FETCH_SIZE})
        done = 0
        async for row in result:
            done += 1  # counted as it is handed to the writer
            progress.update(done, int(total or 0))
            yield tuple(row)


async def _write_table(
    engine: AsyncEngine, tenant: TenantRef, export: m.Export, out: IO[bytes], progress: Progress
) -> None:
    assert export.client_id is not None  # a CHECK constraint holds it for table kinds
    table = EXPORTS[export.kind.value](export.client_id, true())
    rows = _table_rows(engine, tenant, table, progress)
    if export.format is m.ExportFormat.XLSX:
        await write_xlsx(out, table.name, table.header, rows)
        return
    async for chunk in csv_chunks(table.header, rows):
        out.write(chunk.encode())


async def _write_json(
    engine: AsyncEngine, tenant: TenantRef, export: m.Export, out: IO[bytes], progress: Progress
) -> None:
    scope = None if export.client_id is None else client_scope(export.client_id)
    text = cast(IO[str], _TextSink(out))  # write and writelines are all it calls
    await export_tenant(engine, tenant, text, progress=progress.update, scope=scope)


class _TextSink:
    """The text face `export_tenant` writes to, encoding into the binary spool."""

    def __init__(self, out: IO[bytes]) -> None:
        self.out = out

    def write(self, value: str) -> int:
        return self.out.write(value.encode())

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.out.write(line.encode())


async def _store(
    engine: AsyncEngine,
    tenant: TenantRef,
    export_id: uuid.UUID,
    spool: IO[bytes],
    progress: Progress,
    ttl_s: float,
) -> int:
    """Copy the file into chunks and mark the export SUCCEEDED, in one transaction."""
    size = spool.tell()
    spool.seek(0)
    async with tenant_session(engine, tenant) as db:
        export = await db.get(m.Export, export_id, with_for_update=True, populate_existing=True)
        if export is None or export.status is not m.ReportStatus.RUNNING:
            return -1
        await db.execute(delete(m.ExportChunk).where(m.ExportChunk.export_id == export_id))
        seq = 0
        while piece := spool.read(CHUNK_BYTES):
            await db.execute(insert(m.ExportChunk).values(export_id=export_id, seq=seq, data=piece))
            seq += 1
        done, total = progress.latest
        export.status = m.ReportStatus.SUCCEEDED
        export.rows_written = done
        export.rows_total = total if total is not None else done
        export.byte_size = size
        export.finished_at = _now()
        export.expires_at = export.finished_at + timedelta(seconds=ttl_s)
    return size


async def fail_export(
    engine: AsyncEngine, tenant: TenantRef, export_id: uuid.UUID, reason: str
) -> bool:
    """Mark a pending export FAILED with `reason`; False if it was not pending."""
    async with tenant_session(engine, tenant) as db:
        export = await db.get(m.Export, export_id, with_for_update=True, populate_existing=True)
        if export is None or export.status in TERMINAL:
            return False
        export.status = m.ReportStatus.FAILED
        export.finished_at = _now()
        export.failure_reason = reason[:1000]
    log.warning("export.failed", export_id=str(export_id), reason=reason)
    return True


async def _produce(engine: AsyncEngine, tenant: TenantRef, export: m.Export, ttl_s: float) -> str:
    progress = Progress(engine, tenant, export.id)
    with tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES) as spool:
        async with progress.saving():
            if export.format is m.ExportFormat.JSONL:
                await _write_json(engine, tenant, export, spool, progress)
            else:
                await _write_table(engine, tenant, export, spool, progress)
        size = await _store(engine, tenant, export.id, spool, progress, ttl_s)
    if size < 0:
        return "superseded"
    log.info("export.succeeded", export_id=str(export.id), rows=progress.latest[0], bytes=size)
    return "succeeded"


async def build_export(ctx: dict[str, Any], tenant: str, export_id: str) -> str:
    """Write one export's file and store it; returns what happened."""
    engine: AsyncEngine = ctx["engine"]
    eid = id_argument(export_id)
    if eid is None:
        return "invalid export id"
    ref = await lookup_tenant(engine, tenant)
    if ref is None:
        return "unknown tenant"
    export = await _claim(engine, ref, eid)
    if export is None:
        return "nothing to do"
    budget = float(ctx.get("job_timeout_s", DEFAULT_JOB_TIMEOUT_S)) - _TIMEOUT_MARGIN_S
    ttl_s = float(ctx.get("export_ttl_s", DEFAULT_EXPORT_TTL_S))
    try:
        async with asyncio.timeout(max(1.0, budget)):
            return await _produce(engine, ref, export, ttl_s)
    except TimeoutError:
        await fail_export(engine, ref, eid, f"the export took longer than {budget:.0f} s")
        return "timed out"
    except Exception as exc:
        job_try = int(ctx.get("job_try", 1))
        if is_transient(exc) and job_try < MAX_TRIES:
            # The database or Redis blinked: try again later; the re-run starts the file over.
            log.warning("export.retry", export_id=export_id, job_try=job_try)
            raise Retry(defer=backoff_s(job_try)) from exc
        # An export that fails on its data fails the same way on a re-run: record it.
        log.exception("export.error", export_id=export_id)
        await fail_export(engine, ref, eid, f"{type(exc).__name__}: the export could not be made")
        return "failed"
