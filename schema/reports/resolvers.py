"""Report lists and computed fields, batched so statement counts do not grow with lists."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select, true
from sqlalchemy.dialects.postgresql import distinct_on
from sqlalchemy.orm import aliased

from jobs.readiness import compare
from jobs.readiness.comparison import PreviousReport
from jobs.readiness_store import finding_of, score_of
from schema.context import Info
from schema.loaders import loader
from schema.pagination import Connection, Ordering, child_connection
from schema.reports.types import (
    EngagementHealthReportNode,
    ReadinessComparison,
    ReadinessFinding,
    ReadinessReportNode,
)
from schema.scoping import visible
from tenants import models as m

READINESS_ORDER = Ordering(m.ReadinessReport.requested_at, descending=True)
HEALTH_ORDER = Ordering(m.EngagementHealthReport.period_start, descending=True)


async def client_readiness_reports(
    info: Info, client_id: uuid.UUID, *, first: int | None, after: str | None
) -> Connection[ReadinessReportNode]:
    return await child_connection(
        info,
        m.ReadinessReport,
        m.ReadinessReport.client_id,
        client_id,
        where=[],
        where_key=None,
        ordering=READINESS_ORDER,
        first=first,
        after=after,
        to_node=ReadinessReportNode.from_model,
    )


async def client_health_reports(
    info: Info, client_id: uuid.UUID, *, first: int | None, after: str | None
) -> Connection[EngagementHealthReportNode]:
    return await child_connection(
        info,
        m.EngagementHealthReport,
        m.EngagementHealthReport.client_id,
        client_id,
        where=[],
        where_key=None,
        ordering=HEALTH_ORDER,
        first=first,
        after=after,
        to_node=EngagementHealthReportNode.from_model,
    )


async def latest_readiness_report(
    info: Info, client_id: uuid.UUID, *, succeeded_only: bool
) -> ReadinessReportNode | None:
    r = m.ReadinessReport

    async def batch(ids: list[uuid.UUID]) -> list[m.ReadinessReport | None]:
        where = [r.client_id.in_(ids), visible(r, info.context.principal)]
        if succeeded_only:
            where.append(r.status == m.ReportStatus.SUCCEEDED)
        rows = await info.context.db.scalars(
            select(r)
            .where(*where)
            .ext(distinct_on(r.client_id))
            .order_by(r.client_id, r.requested_at.desc(), r.id.desc())
        )
        found = {row.client_id: row for row in rows}
        return [found.get(i) for i in ids]

    obj = await loader(info, ("readiness.latest", succeeded_only), batch).load(client_id)
    return None if obj is None else ReadinessReportNode.from_model(obj)


def _findings(docs: list[dict[str, Any]]) -> list[Any]:
    return [f for f in (finding_of(d) for d in docs) if f is not None]


async def comparison_of(info: Info, report_id: uuid.UUID) -> ReadinessComparison | None:
    """Against the client's latest report that succeeded before this one (LATERAL join)."""

    async def batch(ids: list[uuid.UUID]) -> list[ReadinessComparison | None]:
        cur, prev = aliased(m.ReadinessReport), aliased(m.ReadinessReport)
        earlier = (
            select(prev.score.label("score"), prev.findings.label("findings"))
            .where(
                prev.client_id == cur.client_id,
                prev.status == m.ReportStatus.SUCCEEDED,
                prev.finished_at < cur.finished_at,
                prev.id != cur.id,
            )
            .order_by(prev.finished_at.desc(), prev.id.desc())
            .limit(1)
            .lateral()
        )
        stmt = (
            select(cur.id, cur.score, cur.findings, earlier.c.score, earlier.c.findings)
            .join(earlier, true())
            .where(cur.id.in_(ids))
        )
        out: dict[uuid.UUID, ReadinessComparison] = {}
        for rid, score, docs, prev_score, prev_docs in await info.context.db.execute(stmt):
            before = {(d.get("rule_id"), str(d.get("object_id"))): d for d in prev_docs}
            now = {(d.get("rule_id"), str(d.get("object_id"))): d for d in docs}
            delta = compare(
                PreviousReport(score_of(prev_score), tuple(_findings(prev_docs))),
                PreviousReport(score_of(score), tuple(_findings(docs))),
            )
            out[rid] = ReadinessComparison(
                score_change=delta.score_change,
                new_findings=[
                    ReadinessFinding.of(now[(f.rule_id, str(f.object_id))])
                    for f in delta.new_findings
                ],
                resolved_findings=[
                    ReadinessFinding.of(before[(k.rule_id, str(k.object_id))])
                    for k in delta.resolved_findings
                ],
            )
        return [out.get(i) for i in ids]

    return await loader(info, "readiness.comparison", batch).load(report_id)
