"""The ReadinessReport and EngagementHealthReport nodes."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, cast

import strawberry
from sqlalchemy import (
    Float,
    Integer,
    Text,
    case,
    column,
    func,
    literal,
    select,
    type_coerce,
    values,
)
from sqlalchemy import cast as sql_cast
from sqlalchemy.dialects.postgresql import JSONB
from strawberry.scalars import JSON

from jobs.readiness.findings import Pillar, Severity
from schema.common_fields import CREATED, Versioned
from schema.compiled.encode import global_id_of_sql, py_str_sql
from schema.compiled.sql import (
    Expr,
    Related,
    Row,
    Source,
    context,
    document_rows,
    json_text,
    sql,
)
from schema.context import Info
from schema.enums import (
    FindingSeverity,
    HealthReasonLevel,
    HealthStatus,
    ReadinessPillar,
    ReportStatus,
    reason_level,
)
from schema.links import link
from schema.node import Node, node_type, register_node
from tenants import models as m

if TYPE_CHECKING:
    pass


FINDING_KEYS = [
    "rule_id",
    "pillar",
    "severity",
    "object_type",
    "object_id",
    "object_global_id",
    "message",
    "recommendation",
]


def _object_global_id(row: Row) -> Any:
    """ReadinessFinding.of: the stored global id, else one made from type and id."""
    stored = func.nullif(type_coerce(json_text(row.col("object_global_id")), Text), "")
    made = global_id_of_sql(json_text(row.col("object_type")), json_text(row.col("object_id")))
    return func.coalesce(stored, made)


def _pillar_scores(row: Row) -> Source:
    """The stored pillars, in Pillar's order (ReadinessReportNode.pillar_scores)."""
    pillars = values(
        column("pillar", Text), column("label", Text), column("position", Integer), name="pillars"
    ).data([(p.value, p.label, i) for i, p in enumerate(Pillar)])
    scores = row.col("pillar_scores")
    lat = (
        select(
            pillars.c.pillar.label("pillar"),
            pillars.c.label.label("label"),
            scores[pillars.c.pillar].label("score"),
            pillars.c.position.label("position"),
        )
        .select_from(pillars)
        .where(scores.has_key(pillars.c.pillar))
        .correlate_except(pillars)
        .lateral()
    )
    return Source(Row(lat), froms=[lat], order_by=[lat.c.position])


def _report_url(row: Row, kind: str, *, when: Any = None) -> Any:
    """`_url(info, f"/reports/{kind}/{id}...")` in SQL, null unless `when`."""
    url = literal(f"{context().base_url}/reports/{kind}/", Text) + sql_cast(row.col("id"), Text)
    return url if when is None else case((when, url), else_=None)


def _readiness_url(row: Row, suffix: str) -> Any:
    succeeded = row.col("status") == m.ReportStatus.SUCCEEDED
    return _report_url(row, "readiness", when=succeeded) + literal(suffix, Text)


def _level_sql(text: Any) -> Any:
    """`reason_level` in SQL: a level that is not one of the enum's reads as info."""
    values = [level.value for level in m.HealthReasonLevel]
    return case((text.in_(values), text), else_=literal(m.HealthReasonLevel.INFO.value, Text))


def _reasons(row: Row) -> Source:
    """EngagementHealthReportNode's reasons, with from_model's defaults for missing keys."""
    elements = (
        func.jsonb_array_elements(row.col("reasons"))
        .table_valued(column("value", JSONB), with_ordinality="ord")
        .render_derived()
    )
    r = elements.c.value
    lat = (
        select(
            py_str_sql(r, "code", "").label("code"),
            _level_sql(py_str_sql(r, "level", "info")).label("level"),
            py_str_sql(r, "message", "").label("message"),
            func.coalesce(r["params"], sql_cast("{}", JSONB)).label("params"),
            elements.c.ord.label("ord"),
        )
        .select_from(elements)
        .correlate_except(elements)
        .lateral()
    )
    return Source(Row(lat), froms=[lat], order_by=[lat.c.ord])


def _comparison(row: Row) -> Source:
    from schema.reports.resolvers import comparison_source

    return comparison_source(row)


@strawberry.type(description="A pillar's score, 0-100; null when no rule of it applies.")
class PillarScore:
    pillar: ReadinessPillar = strawberry.field(description="The pillar.")  # type: ignore[valid-type]
    label: str = strawberry.field(
        description="The pillar's name as reports print it, e.g. Ownership coverage."
    )
    score: float | None = strawberry.field(
        description="0-100; null when no rule of the pillar applies."
    )


@strawberry.type(description="A rule that failed on one object, and what to do about it.")
class ReadinessFinding:
    rule_id: str = strawberry.field(
        description="The rule that failed, e.g. OWN-001 (jobs/readiness/RULES.md)."
    )
    pillar: ReadinessPillar = strawberry.field(description="The pillar the rule belongs to.")  # type: ignore[valid-type]
    severity: FindingSeverity = strawberry.field(description="How serious it is.")  # type: ignore[valid-type]
    object_type: str = strawberry.field(description="The GraphQL type of the object.")
    object_id: strawberry.ID = strawberry.field(
        description="The object's global id.",
        metadata=sql(Expr(lambda row, _: _object_global_id(row))),
    )
    message: str = strawberry.field(description="What is wrong, in a sentence.")
    recommendation: str = strawberry.field(description="What to do about it.")

    @classmethod
    def of(cls, doc: dict[str, Any]) -> ReadinessFinding:
        from tenants.global_ids import global_id

        object_id = doc.get("object_global_id") or global_id(
            str(doc["object_type"]), str(doc["object_id"])
        )
        return cls(
            rule_id=str(doc["rule_id"]),
            pillar=Pillar(doc["pillar"]),
            severity=Severity(doc["severity"]),
            object_type=str(doc["object_type"]),
            object_id=strawberry.ID(object_id),
            message=str(doc["message"]),
            recommendation=str(doc["recommendation"]),
        )


@strawberry.type(description="How a report differs from the client's previous successful one.")
class ReadinessComparison:
    score_change: float | None = strawberry.field(
        description="This score minus the previous one; null when either is null."
    )
    new_findings: list[ReadinessFinding] = strawberry.field(
        description="Findings (rule and object) the previous report did not have.",
        metadata=sql(document_rows("new_findings", FINDING_KEYS)),
    )
    resolved_findings: list[ReadinessFinding] = strawberry.field(
        description="Findings of the previous report that are gone, as they were then.",
        metadata=sql(document_rows("resolved_findings", FINDING_KEYS)),
    )


def _url(info: Info, path: str) -> str:
    return str(info.context.request.base_url).rstrip("/") + path


def _client_link() -> Any:
    """Either report's link to its client, whose id it keeps in `client_id`."""
    return link(
        m.ClientOrganisation,
        "client_id",
        "schema.clients.types:ClientOrganisationNode",
        "The client organisation the report is about.",
        attr="client_id",
    )


@node_type(
    "ReadinessReport",
    description="A readiness report: QUEUED, then RUNNING, then SUCCEEDED or FAILED. "
    "Poll `status` (or `node(id:)`) to follow it.",
)
class ReadinessReportNode(Node, Versioned):
    client_id: strawberry.Private[uuid.UUID]
    stored_findings: strawberry.Private[list[dict[str, Any]]]
    stored_pillars: strawberry.Private[dict[str, Any]]
    status: ReportStatus = strawberry.field(description="QUEUED, RUNNING, SUCCEEDED or FAILED.")  # type: ignore[valid-type]
    requested_by: str = strawberry.field(
        description="Who asked for it (the member's e-mail or the token's label)."
    )
    requested_at: datetime = strawberry.field(description="When it was asked for.")
    started_at: datetime | None = strawberry.field(
        description="When a worker last started it; null until one does."
    )
    finished_at: datetime | None = strawberry.field(
        description="When it SUCCEEDED or FAILED; null before."
    )
    failure_reason: str | None = strawberry.field(description="Why it FAILED; null otherwise.")
    attempts: int = strawberry.field(description="How many times a worker started it.")
    score: float | None = strawberry.field(
        description="Overall score 0-100 once SUCCEEDED; null when no pillar applies.",
        metadata=sql(Expr(lambda row, _: sql_cast(row.col("score"), Float))),
    )

    FROM_MODEL = {
        "stored_findings": lambda o: list(o.findings or []),
        "stored_pillars": lambda o: dict(o.pillar_scores or {}),
        "score": lambda o: None if o.score is None else float(o.score),
    }

    @property
    def succeeded(self) -> bool:
        return self.status is m.ReportStatus.SUCCEEDED

    @strawberry.field(
        description="Scores per pillar, in the report's order.",
        metadata=sql(Related(lambda row, _: _pillar_scores(row))),
    )
    def pillar_scores(self) -> list[PillarScore]:
        return [
            PillarScore(pillar=p, label=p.label, score=self.stored_pillars.get(p.value))
            for p in Pillar
            if p.value in self.stored_pillars
        ]

    @strawberry.field(
        description="Findings, most severe first, then by rule id.",
        metadata=sql(document_rows("findings", FINDING_KEYS)),
    )
    def findings(self) -> list[ReadinessFinding]:
        return [ReadinessFinding.of(d) for d in self.stored_findings]

    @strawberry.field(
        description="Change since the client's previous successful report; null until this "
        "report SUCCEEDED or when it is the first.",
        metadata=sql(Related(lambda row, _: _comparison(row))),
    )
    async def compared_to_previous(self, info: Info) -> ReadinessComparison | None:
        if not self.succeeded:
            return None
        from schema.reports.resolvers import comparison_of

        return await comparison_of(info, self.db_id)

    @strawberry.field(
        description="The rendered HTML document once SUCCEEDED, else null.",
        metadata=sql(Expr(lambda row, _: _readiness_url(row, ".html"))),
    )
    def html_url(self, info: Info) -> str | None:
        return _url(info, f"/reports/readiness/{self.db_id}.html") if self.succeeded else None

    @strawberry.field(
        description="The rendered PDF document once SUCCEEDED, else null.",
        metadata=sql(Expr(lambda row, _: _readiness_url(row, ".pdf"))),
    )
    def pdf_url(self, info: Info) -> str | None:
        return _url(info, f"/reports/readiness/{self.db_id}.pdf") if self.succeeded else None

    client_organisation = _client_link()


@strawberry.type(
    description="One reason behind a health status: a registered health rule that fired "
    "(jobs/health/RULES.md), with its code and parameters, so a front end can word it "
    "itself in any language."
)
class HealthReason:
    code: str = strawberry.field(
        description="The rule's code, e.g. ORPHANED_PROCESSES (the table in RULES.md)."
    )
    level: HealthReasonLevel = strawberry.field(  # type: ignore[valid-type]
        description="RED or AMBER sets the report's status at least that bad; INFO explains"
        " without changing it.",
    )
    message: str = strawberry.field(
        description="The sentence in the report's language (the tenant's report locale "
        "when the report was made), from the message catalogues."
    )
    params: JSON = strawberry.field(
        description="The rule's parameters as a JSON object, by name (RULES.md lists each "
        "rule's): numbers (count, days, hours, score, ...), `names` (at most three names, "
        "as a list of strings), `more` (how many names were left out), `duties` (list of "
        "strings). Empty object for a rule without parameters."
    )

    @classmethod
    def of(cls, doc: dict[str, Any]) -> HealthReason:
        params = doc.get("params")
        return cls(
            code=str(doc.get("code", "")),
            level=reason_level(doc.get("level")),
            message=str(doc.get("message", "")),
            params=cast(JSON, params if isinstance(params, dict) else {}),
        )


@node_type(
    "EngagementHealthReport",
    description="The weekly health of an engagement: RED, AMBER or GREEN and why.",
    stamps=CREATED,
)
class EngagementHealthReportNode(Node):
    client_id: strawberry.Private[uuid.UUID]
    period_start: date = strawberry.field(description="The first day the report covers.")
    period_end: date = strawberry.field(description="The last day the report covers (inclusive).")
    status: HealthStatus = strawberry.field(  # type: ignore[valid-type]
        description="RED, AMBER or GREEN, from the worst reason."
    )
    reasons: list[HealthReason] = strawberry.field(
        description=(
            "Why it has this status, in the order the job wrote them; empty when "
            "GREEN with nothing to say."
        ),
        metadata=sql(Related(lambda row, _: _reasons(row), column="reasons")),
    )

    FROM_MODEL = {
        "reasons": lambda o: [HealthReason.of(r) for r in o.reasons or []],
    }

    @strawberry.field(
        description="The rendered HTML document.",
        metadata=sql(Expr(lambda row, _: _report_url(row, "health") + literal(".html", Text))),
    )
    def html_url(self, info: Info) -> str:
        return _url(info, f"/reports/health/{self.db_id}.html")

    client_organisation = _client_link()


register_node(ReadinessReportNode, m.ReadinessReport)
register_node(EngagementHealthReportNode, m.EngagementHealthReport)
