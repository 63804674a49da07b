"""Add, update and remove KPIs of a process."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

import strawberry
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from schema.context import Info
from schema.enums import KpiDirection
from schema.mutation_support import (
    OF_PROCESS,
    WRITE_INPUT,
    Ref,
    new_row,
    removed_row,
    row_at_version,
    row_input,
    run_write,
    updating,
)
from schema.numbers import to_decimal
from schema.payloads import Payload, written_payload
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
@updating(
    AddKpiInput,
    "ProcessKpi",
    exclude=["process_id"],
    described={
        "direction": "Whether higher or lower is better.",
        "measured_at": "When latestValue was measured; null: no value.",
    },
)
class UpdateKpiInput:
    pass


@strawberry.input(description="Which KPI to remove, at the version you last saw.")
@row_input("ProcessKpi", "remove")
class RemoveKpiInput:
    pass


@written_payload("process_kpi", ProcessKpiNode, "addKpi", "updateKpi")
class ProcessKpiPayload(Payload):
    pass


@written_payload(
    "removed_process_kpi_id",
    strawberry.ID,
    "removeKpi",
    about="The id of the KPI removed; null when there are errors.",
)
class RemoveKpiPayload(Payload):
    pass


# Float inputs as the service's Decimals.
_NUMBERS = {"target": to_decimal, "latest_value": to_decimal}
_KPI = Ref("ProcessKpi", "kpi_id")


@strawberry.type
class KpiMutation:
    @strawberry.mutation(description="Add a KPI to a process. Staff writers.")
    async def add_kpi(
        self, info: Info, input: Annotated[AddKpiInput, WRITE_INPUT]
    ) -> ProcessKpiPayload:
        return await run_write(
            info,
            ProcessKpiPayload.of,
            new_row(service.add_kpi, input, OF_PROCESS, convert=_NUMBERS),
        )

    @strawberry.mutation(
        description=(
            "Change a KPI, e.g. record a new value. Staff writers, and client "
            "owners assigned to the process."
        )
    )
    async def update_kpi(
        self, info: Info, input: Annotated[UpdateKpiInput, WRITE_INPUT]
    ) -> ProcessKpiPayload:
        async def process_of(db: AsyncSession) -> uuid.UUID | None:
            # Client owners may update KPIs of processes they are assigned to.
            kpi_id = _KPI.decode(input)
            return await db.scalar(select(m.ProcessKpi.process_id).where(m.ProcessKpi.id == kpi_id))

        return await run_write(
            info,
            ProcessKpiPayload.of,
            row_at_version(service.update_kpi, input, _KPI, convert=_NUMBERS),
            process_of=process_of,
        )

    @strawberry.mutation(
        description="Delete a KPI (reviews keep their snapshots of it). Staff writers."
    )
    async def remove_kpi(
        self, info: Info, input: Annotated[RemoveKpiInput, WRITE_INPUT]
    ) -> RemoveKpiPayload:
        return await run_write(
            info, RemoveKpiPayload.of, removed_row(service.remove_kpi, input, _KPI)
        )
