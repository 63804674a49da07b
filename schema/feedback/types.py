"""The ProcessReview and Incident nodes: a process's feedback loops."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Annotated, Any, ClassVar

import strawberry

from schema.context import Info
from schema.enums import IncidentSeverity, IncidentStatus, KpiDirection, ReviewOutcome
from schema.loaders import by_id
from schema.node import Node, register_node
from tenants import models as m

if TYPE_CHECKING:
    from schema.processes.types import AIProcessNode


@strawberry.type(description="A KPI as it stood when the review was recorded.")
class KpiSnapshot:
    name: str
    unit: str | None
    target: Decimal | None
    direction: KpiDirection | None  # type: ignore[valid-type]
    latest_value: Decimal | None
    measured_at: datetime | None

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> KpiSnapshot:
        return cls(
            name=str(raw.get("name", "")),
            unit=raw.get("unit"),
            target=_decimal(raw.get("target")),
            direction=_direction(raw.get("direction")),
            latest_value=_decimal(raw.get("latest_value")),
            measured_at=_datetime(raw.get("measured_at")),
        )


def _decimal(value: Any) -> Decimal | None:
    try:
        return None if value is None else Decimal(str(value))
    except InvalidOperation:
        return None


def _direction(value: Any) -> m.KpiDirection | None:
    try:
        return None if value is None else m.KpiDirection(value)
    except ValueError:
        return None


def _datetime(value: Any) -> datetime | None:
    try:
        return None if value is None else datetime.fromisoformat(str(value))
    except ValueError:
        return None


async def _process(info: Info, process_id: uuid.UUID) -> AIProcessNode | None:
    from schema.processes.types import AIProcessNode

    obj = await by_id(info, m.AIProcess).load(process_id)
    return None if obj is None else AIProcessNode.from_model(obj)


@strawberry.type(name="ProcessReview", description="A periodic performance review of a process.")
class ProcessReviewNode(Node):
    NODE_NAME: ClassVar[str] = "ProcessReview"
    process_id: strawberry.Private[uuid.UUID]
    reviewed_on: date
    reviewer: str
    summary: str
    outcome: ReviewOutcome  # type: ignore[valid-type]
    kpi_snapshot: list[KpiSnapshot] = strawberry.field(
        description="The process's KPIs when reviewed; later KPI edits do not change it."
    )
    created_at: datetime

    @classmethod
    def from_model(cls, obj: m.ProcessReview) -> ProcessReviewNode:
        return cls(
            db_id=obj.id,
            process_id=obj.process_id,
            reviewed_on=obj.reviewed_on,
            reviewer=obj.reviewer,
            summary=obj.summary,
            outcome=obj.outcome,
            kpi_snapshot=[KpiSnapshot.from_json(k) for k in obj.kpi_snapshot],
            created_at=obj.created_at,
        )

    @strawberry.field(description="The reviewed process.")
    async def process(
        self, info: Info
    ) -> Annotated[AIProcessNode, strawberry.lazy("schema.processes.types")] | None:
        return await _process(info, self.process_id)


@strawberry.type(name="Incident", description="Something that went wrong in a process.")
class IncidentNode(Node):
    NODE_NAME: ClassVar[str] = "Incident"
    process_id: strawberry.Private[uuid.UUID]
    version: int = strawberry.field(
        description="Send it back with updates; a stale one is a CONFLICT."
    )
    title: str
    description: str | None
    severity: IncidentSeverity  # type: ignore[valid-type]
    status: IncidentStatus  # type: ignore[valid-type]
    escalation_level: int = strawberry.field(
        description="0: not escalated; n: level n of the process's escalation path."
    )
    occurred_at: datetime
    resolved_at: datetime | None = strawberry.field(description="Set when RESOLVED or CLOSED.")
    created_at: datetime
    updated_at: datetime

    @classmethod
    def from_model(cls, obj: m.Incident) -> IncidentNode:
        return cls(
            db_id=obj.id,
            process_id=obj.process_id,
            version=obj.version,
            title=obj.title,
            description=obj.description,
            severity=obj.severity,
            status=obj.status,
            escalation_level=obj.escalation_level,
            occurred_at=obj.occurred_at,
            resolved_at=obj.resolved_at,
            created_at=obj.created_at,
            updated_at=obj.updated_at,
        )

    @strawberry.field(description="The process the incident happened in.")
    async def process(
        self, info: Info
    ) -> Annotated[AIProcessNode, strawberry.lazy("schema.processes.types")] | None:
        return await _process(info, self.process_id)


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
