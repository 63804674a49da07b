"""Add, update and remove KPIs of a process."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry
from sqlalchemy import select

from schema.context import Info
from schema.enums import KpiDirection
from schema.errors import UserError, atomic
from schema.ids import decode_id
from schema.mutation_support import given, or_default, required
from schema.numbers import to_decimal
from schema.permissions import actor_of, authorize
from schema.processes.types import ProcessKpiNode
from tenants import models as m
from tenants.services import kpis as service


@strawberry.input(description="A value (`latestValue`) needs `measuredAt`.")
class AddKpiInput:
    process_id: strawberry.ID = strawberry.field(description="The global id of an AIProcess.")
    name: str = strawberry.field(
        description="The KPI's name; unique within its process (case-insensitive)."
    )
    unit: str | None = strawberry.field(
        default=None, description="The unit of target and values, e.g. % or hours; null: none."
    )
    target: float | None = strawberry.field(
        default=None, description="The value to reach; null: no target set."
    )
    direction: KpiDirection | None = strawberry.field(  # type: ignore[valid-type]
        default=None, description="Default HIGHER."
    )
    latest_value: float | None = strawberry.field(
        default=None, description="The latest measured value; null: none measured yet."
    )
    measured_at: datetime | None = strawberry.field(
        default=None, description="With a time zone, not in the future."
    )


@strawberry.input(
    description=(
        "Omitted fields are unchanged; null clears an optional field. A new "
        "`latestValue` needs `measuredAt`. Client owners may update KPIs of processes "
        "they are assigned to."
    )
)
class UpdateKpiInput:
    id: strawberry.ID = strawberry.field(description="The global id of the ProcessKpi to change.")
    version: int = strawberry.field(description="The version you last saw.")
    name: str | None = strawberry.field(
        default=strawberry.UNSET,
        description="The KPI's name; unique within its process (case-insensitive).",
    )
    unit: str | None = strawberry.field(
        default=strawberry.UNSET,
        description="The unit of target and values, e.g. % or hours; null: none.",
    )
    target: float | None = strawberry.field(
        default=strawberry.UNSET, description="The value to reach; null: no target set."
    )
    direction: KpiDirection | None = strawberry.field(  # type: ignore[valid-type]
        default=strawberry.UNSET, description="Whether higher or lower is better."
    )
    latest_value: float | None = strawberry.field(
        default=strawberry.UNSET, description="The latest measured value; null: none measured yet."
    )
    measured_at: datetime | None = strawberry.field(
        default=strawberry.UNSET, description="When latestValue was measured; null: no value."
    )


@strawberry.input(description="Which KPI to remove, at the version you last saw.")
class RemoveKpiInput:
    id: strawberry.ID = strawberry.field(description="The global id of the ProcessKpi to remove.")
    version: int = strawberry.field(
        description="The version you last saw; a stale one is a CONFLICT."
    )


@strawberry.type(description="The result of addKpi, updateKpi: the object written, or `errors`.")
class ProcessKpiPayload:
    process_kpi: ProcessKpiNode | None = strawberry.field(
        description="The ProcessKpi as written; null when there are errors."
    )
    errors: list[UserError] = strawberry.field(
        description=(
            "What went wrong, each naming its input field; empty on success. With "
            "errors nothing was written."
        )
    )


@strawberry.type(description="The result of removeKpi: the object written, or `errors`.")
class RemoveKpiPayload:
    removed_process_kpi_id: strawberry.ID | None = strawberry.field(
        description="The id of the KPI removed; null when there are errors."
    )
    errors: list[UserError] = strawberry.field(
        description=(
            "What went wrong, each naming its input field; empty on success. With "
            "errors nothing was written."
        )
    )


def _payload(obj: m.ProcessKpi | None, errors: list[UserError]) -> ProcessKpiPayload:
    node = ProcessKpiNode.from_model(obj) if obj is not None and not errors else None
    return ProcessKpiPayload(process_kpi=node, errors=errors)


@strawberry.type
class KpiMutation:
    @strawberry.mutation(description="Add a KPI to a process. Staff writers.")
    async def add_kpi(
        self,
        info: Info,
        input: Annotated[
            AddKpiInput,
            strawberry.argument(
                description=(
                    "What to write; each error names its field within it (e.g. `name`, "
                    "`scores[0].score`)."
                )
            ),
        ],
    ) -> ProcessKpiPayload:
        obj = None
        async with atomic(info) as outcome:
            await authorize(info)
            obj = await service.add_kpi(
                info.context.db,
                actor=actor_of(info.context.principal),
                process_id=decode_id(input.process_id, "AIProcess", "processId"),
                name=input.name,
                unit=input.unit,
                target=to_decimal(input.target),
                direction=or_default(input.direction, m.KpiDirection.HIGHER),
                latest_value=to_decimal(input.latest_value),
                measured_at=input.measured_at,
            )
        return _payload(obj, outcome.errors)

    @strawberry.mutation(
        description=(
            "Change a KPI, e.g. record a new value. Staff writers, and client "
            "owners assigned to the process."
        )
    )
    async def update_kpi(
        self,
        info: Info,
        input: Annotated[
            UpdateKpiInput,
            strawberry.argument(
                description=(
                    "What to write; each error names its field within it (e.g. `name`, "
                    "`scores[0].score`)."
                )
            ),
        ],
    ) -> ProcessKpiPayload:
        obj = None
        async with atomic(info) as outcome:
            kpi_id = decode_id(input.id, "ProcessKpi", "id")
            process_id = await info.context.db.scalar(
                select(m.ProcessKpi.process_id).where(m.ProcessKpi.id == kpi_id)
            )
            await authorize(info, process_id=process_id)
            obj = await service.update_kpi(
                info.context.db,
                actor=actor_of(info.context.principal),
                kpi_id=kpi_id,
                expected_version=input.version,
                name=required(input.name, "name"),
                unit=given(input.unit),
                target=given(to_decimal(input.target)),
                direction=required(input.direction, "direction"),
                latest_value=given(to_decimal(input.latest_value)),
                measured_at=given(input.measured_at),
            )
        return _payload(obj, outcome.errors)

    @strawberry.mutation(
        description="Delete a KPI (reviews keep their snapshots of it). Staff writers."
    )
    async def remove_kpi(
        self,
        info: Info,
        input: Annotated[
            RemoveKpiInput,
            strawberry.argument(
                description=(
                    "What to write; each error names its field within it (e.g. `name`, "
                    "`scores[0].score`)."
                )
            ),
        ],
    ) -> RemoveKpiPayload:
        removed = False
        async with atomic(info) as outcome:
            await authorize(info)
            await service.remove_kpi(
                info.context.db,
                actor=actor_of(info.context.principal),
                kpi_id=decode_id(input.id, "ProcessKpi", "id"),
                expected_version=input.version,
            )
            removed = True
        errors = outcome.errors
        return RemoveKpiPayload(
            removed_process_kpi_id=input.id if removed and not errors else None, errors=errors
        )
