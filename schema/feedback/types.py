"""The ProcessReview and Incident nodes: a process's feedback loops."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

import strawberry
from sqlalchemy import DateTime, Numeric, Text, and_, case, cast, func, literal, type_coerce

from schema.common_fields import CHANGED, CREATED, Versioned
from schema.compiled.encode import py_str_sql
from schema.compiled.sql import Expr, Row, document_rows, json_text, sql
from schema.enums import IncidentSeverity, IncidentStatus, KpiDirection, ReviewOutcome
from schema.from_model import items_of
from schema.links import link
from schema.node import Node, node_type, register_node
from schema.numbers import to_float
from tenants import models as m

# What a snapshot value must look like to be read: a JSON string as
# tenants/services/feedback.py writes it (`str(Decimal)`, an aware `isoformat()`);
# anything else reads as null, on both read paths. The patterns are plain enough to
# mean the same to Python's `re` and PostgreSQL's `~`.
DECIMAL_TEXT = r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)"
DATETIME_TEXT = (
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}[T ]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]{1,6})?)?"
    r"(Z|[+-][0-9]{2}:[0-9]{2})"
)


def _decimal(value: Any) -> Decimal | None:
    if not isinstance(value, str) or not re.fullmatch(DECIMAL_TEXT, value):
        return None
    try:
        number = Decimal(value)
    except InvalidOperation:
        return None
    # PostgreSQL's numeric has no negative zero.
    return number.copy_abs() if number.is_zero() else number


def _direction(value: Any) -> m.KpiDirection | None:
    try:
        return None if value is None else m.KpiDirection(value)
    except ValueError:
        return None


def _datetime(value: Any) -> datetime | None:
    """An aware timestamp, rendered in UTC like every other DateTime of the API."""
    if not isinstance(value, str) or not re.fullmatch(DATETIME_TEXT, value):
        return None
    try:
        return datetime.fromisoformat(value).astimezone(UTC)
    except ValueError:
        return None


def _text_sql(value: Any) -> Any:
    """SQL: a JSON scalar's text (null for JSON null), typed as text."""
    return type_coerce(json_text(value), Text)


def _matching(value: Any, pattern: str) -> Any:
    """SQL: the JSON string's text when it matches `pattern` in full, else null."""
    text = _text_sql(value)
    matches = and_(
        func.jsonb_typeof(value) == "string", text.op("~")(literal(f"^({pattern})$", Text))
    )
    return case((matches, text), else_=None)


def _decimal_sql(row: Row, key: str) -> Any:
    return cast(_matching(row.col(key), DECIMAL_TEXT), Numeric)


def _datetime_sql(row: Row, key: str) -> Any:
    return cast(_matching(row.col(key), DATETIME_TEXT), DateTime(timezone=True))


def _direction_sql(row: Row) -> Any:
    text = _text_sql(row.col("direction"))
    return case((text.in_([d.value for d in m.KpiDirection]), text), else_=None)


SNAPSHOT_KEYS = ["name", "unit", "target", "direction", "latest_value", "measured_at"]


@strawberry.type(description="A KPI as it stood when the review was recorded.")
class KpiSnapshot:
    name: str = strawberry.field(
        description="The KPI's name then.",
        # str(raw.get("name", "")), as from_json reads it.
        metadata=sql(Expr(lambda row, _: py_str_sql({"name": row.col("name")}, "name", ""))),
    )
    unit: str | None = strawberry.field(description="Its unit then, e.g. %; null: none.")
    target: float | None = strawberry.field(
        description="Its target then; null: none was set.",
        metadata=sql(Expr(lambda row, _: _decimal_sql(row, "target"))),
    )
    direction: KpiDirection | None = strawberry.field(  # type: ignore[valid-type]
        description="Whether higher or lower was better; null if not recorded.",
        metadata=sql(Expr(lambda row, _: _direction_sql(row))),
    )
    latest_value: float | None = strawberry.field(
        description="Its latest value then; null: none measured yet.",
        metadata=sql(Expr(lambda row, _: _decimal_sql(row, "latest_value"))),
    )
    measured_at: datetime | None = strawberry.field(
        description="When that value was measured; null: no value.",
        metadata=sql(Expr(lambda row, _: _datetime_sql(row, "measured_at"))),
    )

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> KpiSnapshot:
        return cls(
            name=str(raw.get("name", "")),
            unit=raw.get("unit"),
            target=to_float(_decimal(raw.get("target"))),
            direction=_direction(raw.get("direction")),
            latest_value=to_float(_decimal(raw.get("latest_value"))),
            measured_at=_datetime(raw.get("measured_at")),
        )


@node_type(
    "ProcessReview", description="A periodic performance review of a process.", stamps=CREATED
)
class ProcessReviewNode(Node):
    process_id: strawberry.Private[uuid.UUID]
    reviewed_on: date = strawberry.field(description="The day of the review.")
    reviewer: str = strawberry.field(description="Who reviewed (free text).")
    summary: str = strawberry.field(description="What the review found.")
    outcome: ReviewOutcome = strawberry.field(description="The verdict.")  # type: ignore[valid-type]
    kpi_snapshot: list[KpiSnapshot] = strawberry.field(
        description="The process's KPIs when reviewed; later KPI edits do not change it.",
        metadata=sql(document_rows("kpi_snapshot", SNAPSHOT_KEYS)),
    )

    FROM_MODEL = {
        "kpi_snapshot": items_of("kpi_snapshot", KpiSnapshot.from_json),
    }

    process = link(
        m.AIProcess,
        "process_id",
        "schema.processes.types:AIProcessNode",
        "The reviewed process.",
        attr="process_id",
    )


@node_type("Incident", description="Something that went wrong in a process.", stamps=CHANGED)
class IncidentNode(Node, Versioned):
    process_id: strawberry.Private[uuid.UUID]
    title: str = strawberry.field(description="What happened, in a few words.")
    description: str | None = strawberry.field(
        description="What happened, in detail; null: none given."
    )
    severity: IncidentSeverity = strawberry.field(description="How bad it is.")  # type: ignore[valid-type]
    status: IncidentStatus = strawberry.field(description="Where its handling stands.")  # type: ignore[valid-type]
    escalation_level: int = strawberry.field(
        description="0: not escalated; n: level n of the process's escalation path."
    )
    occurred_at: datetime = strawberry.field(description="When it happened.")
    resolved_at: datetime | None = strawberry.field(description="Set when RESOLVED or CLOSED.")

    process = link(
        m.AIProcess,
        "process_id",
        "schema.processes.types:AIProcessNode",
        "The process the incident happened in.",
        attr="process_id",
    )


@strawberry.input(description="Narrow a list of incidents; all given conditions must hold.")
class IncidentFilter:
    status: list[IncidentStatus] | None = strawberry.field(  # type: ignore[valid-type]
        default=None, description="Any of these statuses."
    )
    severity: list[IncidentSeverity] | None = strawberry.field(  # type: ignore[valid-type]
        default=None, description="Any of these severities."
    )


register_node(ProcessReviewNode, m.ProcessReview)
register_node(IncidentNode, m.Incident)
