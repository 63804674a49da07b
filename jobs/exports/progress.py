"""An export's progress: counted in memory as rows are written, saved every
`PROGRESS_EVERY_S` by a task beside the writer, in transactions of its own, so a query
sees the numbers move while the export's own snapshot is still open."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator

import structlog
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncEngine

from tenants import models as m
from tenants.registry import TenantRef
from tenants.session import tenant_session

log = structlog.get_logger("steward.jobs.exports")
PROGRESS_EVERY_S = 0.5


class Progress:
    def __init__(self, engine: AsyncEngine, tenant: TenantRef, export_id: uuid.UUID) -> None:
        self.engine, self.tenant, self.export_id = engine, tenant, export_id
        self.done: int = 0
        self.total: int | None = None
        self._saved: tuple[int, int | None] = (-1, None)

    @property
    def latest(self) -> tuple[int, int | None]:
        return self.done, self.total

    def update(self, done: int, total: int | None) -> None:
        """Rows written so far and rows in all (None while unknown); synchronous, cheap."""
        self.done, self.total = done, total

    async def save(self) -> None:
        if self.latest == self._saved:
            return
        done, total = self._saved = self.latest
        e = m.Export
        async with tenant_session(self.engine, self.tenant) as db:
            await db.execute(
                update(e)
                .where(e.id == self.export_id, e.status == m.ReportStatus.RUNNING)
                .values(rows_written=done, rows_total=total, version=e.version + 1)
                .execution_options(synchronize_session=False)
            )

    async def _loop(self) -> None:
        while True:
            await asyncio.sleep(PROGRESS_EVERY_S)
            try:
                await self.save()
            except Exception:
                # Progress is a courtesy; the export itself goes on.
                log.warning("export.progress_not_saved", export_id=str(self.export_id))

    @contextlib.asynccontextmanager
    async def saving(self) -> AsyncIterator[Progress]:
        """Save progress in the background while the body writes the file."""
        task = asyncio.create_task(self._loop())
        try:
            yield self
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
