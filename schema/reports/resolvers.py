"""Report lists and computed fields, batched so statement counts do not grow with lists."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Float, Text, and_, case, column, func, literal, select, true, type_coerce
from sqlalchemy import cast as sql_cast
from sqlalchemy.dialects.postgresql import JSONB, aggregate_order_by, distinct_on
from sqlalchemy.orm import aliased

from jobs.readiness import compare
from jobs.readiness.comparison import PreviousReport
from jobs.readiness.findings import ObjectType, Pillar, Severity
from jobs.readiness.store import finding_of, score_of
from schema.compiled.encode import py_round_sql
from schema.compiled.sql import Args, Related, Row, Source, json_text, lateral_row
from schema.context import Info
from schema.loaders import loader
from schema.node import node_or_none
from schema.node_lists import NodeList
from schema.pagination import Ordering
from schema.reports.types import (
    ReadinessComparison,
    ReadinessFinding,
    ReadinessReportNode,
)
from schema.scoping import visible
from tenants import models as m

READINESS_ORDER = Ordering(m.ReadinessReport.requested_at, descending=True)
HEALTH_ORDER = Ordering(m.EngagementHealthReport.period_start, descending=True)


def readiness_conditions(status: list[m.ReportStatus] | None) -> tuple[list[Any], Any]:
    """`status` keeps reports of any of these statuses; null or empty: every report."""
    statuses = tuple(sorted(m.ReportStatus(s) for s in status or ()))
    return ([m.ReadinessReport.status.in_(statuses)] if statuses else []), statuses


# ClientOrganisation.readinessReports and .engagementHealthReports
CLIENT_READINESS_REPORTS = NodeList(
    m.ReadinessReport,
    m.ReadinessReport.client_id,
    READINESS_ORDER,
    "schema.reports.types:ReadinessReportNode",
    readiness_conditions,
    argument="status",
)
CLIENT_HEALTH_REPORTS = NodeList(
    m.EngagementHealthReport,
    m.EngagementHealthReport.client_id,
    HEALTH_ORDER,
    "schema.reports.types:EngagementHealthReportNode",
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
    return node_or_none(ReadinessReportNode.from_model, obj)


def previous_success(client_id: Any, finished_at: Any, report_id: Any) -> Any:
    """LATERAL: score and findings of the client's latest report that succeeded before
    the one given by its columns (what `comparedToPrevious` compares with)."""
    prev = aliased(m.ReadinessReport)
    return (
        select(prev.score.label("score"), prev.findings.label("findings"))
        .where(
            prev.client_id == client_id,
            prev.status == m.ReportStatus.SUCCEEDED,
            prev.finished_at < finished_at,
            prev.id != report_id,
        )
        .order_by(prev.finished_at.desc(), prev.id.desc())
        .limit(1)
        .correlate_except(prev)
        .lateral()
    )


# -- the same in SQL, for the compiled read path (schema/compiled) --------------------

_UUID_TEXT = "^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$"


def _text(value: Any) -> Any:
    return type_coerce(json_text(value), Text)


def _valid_finding(doc: Any) -> Any:
    """`finding_of(doc) is not None` in SQL: every key there, known pillar, severity and
    object type, an object id that is a uuid (in its usual spelling)."""
    return and_(
        *(doc.has_key(k) for k in ("rule_id", "message", "recommendation")),
        _text(doc["pillar"]).in_([p.value for p in Pillar]),
        _text(doc["severity"]).in_([v.value for v in Severity]),
        _text(doc["object_type"]).in_([o.value for o in ObjectType]),
        _text(doc["object_id"]).op("~")(_UUID_TEXT),
    )


def _elements(findings: Any) -> Any:
    return (
        func.jsonb_array_elements(findings)
        .table_valued(column("value", JSONB), with_ordinality="ord")
        .render_derived()
    )


def _rule(doc: Any) -> Any:
    return _text(doc["rule_id"]).collate("C")


def _object(doc: Any) -> Any:
    # str(UUID(...)): lower case, as FindingKey and Finding.sort_key spell it
    return func.lower(_text(doc["object_id"])).collate("C")


def _new_findings(findings: Any, previous: Any) -> Any:
    """compare()'s new findings: current findings whose (rule, object) the previous
    report did not have, by Finding.sort_key (then in stored order, as sorted() keeps)."""
    cur, prev = _elements(findings), _elements(previous)
    c, p = cur.c.value, prev.c.value
    seen = (
        select(literal(1))
        .select_from(prev)
        .where(_valid_finding(p), _rule(p) == _rule(c), _object(p) == _object(c))
        .correlate_except(prev)
        .exists()
    )
    rank = case({s.value: s.rank for s in Severity}, value=_text(c["severity"]))
    order = (rank, _rule(c), _text(c["object_type"]).collate("C"), _object(c), cur.c.ord)
    agg = func.jsonb_agg(aggregate_order_by(c, *order))
    stmt = select(agg).select_from(cur).where(_valid_finding(c), ~seen).correlate_except(cur)
    return func.coalesce(stmt.scalar_subquery(), sql_cast(literal("[]"), JSONB))


def _resolved_findings(findings: Any, previous: Any) -> Any:
    """compare()'s resolved findings: the previous report's (rule, object) keys now gone,
    each as the previous report stored it (its last such finding), by rule then object."""
    cur, prev, later = _elements(findings), _elements(previous), _elements(previous)
    c, p, q = cur.c.value, prev.c.value, later.c.value
    still = (
        select(literal(1))
        .select_from(cur)
        .where(_valid_finding(c), _rule(c) == _rule(p), _object(c) == _object(p))
        .correlate_except(cur)
        .exists()
    )
    # `before` maps each key to the last stored finding with it
    superseded = (
        select(literal(1))
        .select_from(later)
        .where(later.c.ord > prev.c.ord, _rule(q) == _rule(p), _object(q) == _object(p))
        .correlate_except(later)
        .exists()
    )
    agg = func.jsonb_agg(aggregate_order_by(p, _rule(p), _object(p)))
    stmt = (
        select(agg)
        .select_from(prev)
        .where(_valid_finding(p), ~still, ~superseded)
        .correlate_except(prev)
    )
    return func.coalesce(stmt.scalar_subquery(), sql_cast(literal("[]"), JSONB))


def comparison_source(row: Row) -> Source:
    """`comparedToPrevious` in SQL: null unless SUCCEEDED and there is a previous report."""
    earlier = previous_success(row.col("client_id"), row.col("finished_at"), row.col("id"))
    score, before = row.col("score"), earlier.c.score
    change = case(
        (score.is_(None) | before.is_(None), None),
        else_=py_round_sql(sql_cast(score, Float) - sql_cast(before, Float), 1),
    )
    return lateral_row(
        change.label("score_change"),
        _new_findings(row.col("findings"), earlier.c.findings).label("new_findings"),
        _resolved_findings(row.col("findings"), earlier.c.findings).label("resolved_findings"),
        froms=[earlier],
        where=[row.col("status") == m.ReportStatus.SUCCEEDED],
    )


def latest_readiness_spec() -> Related:
    """`latest_readiness_report` in SQL: the client's latest request (or success)."""

    def build(row: Row, args: Args) -> Source:
        target = Row.of(m.ReadinessReport)
        r = target.entity
        where = [r.client_id == row.col("id")]
        if args.get("succeeded_only"):
            where.append(r.status == m.ReportStatus.SUCCEEDED)
        return Source(
            target,
            froms=[r],
            where=where,
            order_by=[r.requested_at.desc(), r.id.desc()],
            model=m.ReadinessReport,
        )

    return Related(build)


def _findings(docs: list[dict[str, Any]]) -> list[Any]:
    return [f for f in (finding_of(d) for d in docs) if f is not None]


async def comparison_of(info: Info, report_id: uuid.UUID) -> ReadinessComparison | None:
    """Against the client's latest report that succeeded before this one (LATERAL join)."""

    async def batch(ids: list[uuid.UUID]) -> list[ReadinessComparison | None]:
        cur = aliased(m.ReadinessReport)
        earlier = previous_success(cur.client_id, cur.finished_at, cur.id)
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
