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
from schema.errors import UserError
from schema.ids import decode_id
from schema.mutation_support import WRITE_INPUT, input_values, payload_of, run_write, updating
from schema.numbers import to_decimal
from schema.processes.types import ProcessKpiNode
from tenants import models as m
from tenants.services import kpis as service
from tenants.services.audit import Actor


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
    exclude=["process_id"],
    described={
        "direction": "Whether higher or lower is better.",
        "measured_at": "When latestValue was measured; null: no value.",
    },
)
class UpdateKpiInput:
    id: strawberry.ID = strawberry.field(description="The global id of the ProcessKpi to change.")
    version: int = strawberry.field(description="The version you last saw.")


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


_payload = payload_of(ProcessKpiPayload, "process_kpi", ProcessKpiNode.from_model)

# Float inputs as the service's Decimals.
_NUMBERS = {"target": to_decimal, "latest_value": to_decimal}


def _removed(removed: strawberry.ID | None, errors: list[UserError]) -> RemoveKpiPayload:
    return RemoveKpiPayload(removed_process_kpi_id=removed if not errors else None, errors=errors)


@strawberry.type
class KpiMutation:
    @strawberry.mutation(description="Add a KPI to a process. Staff writers.")
    async def add_kpi(
        self, info: Info, input: Annotated[AddKpiInput, WRITE_INPUT]
    ) -> ProcessKpiPayload:
        return await run_write(
            info,
            _payload,
            lambda db, actor: service.add_kpi(
                db,
                actor=actor,
                process_id=decode_id(input.process_id, "AIProcess", "processId"),
                **input_values(input, skip=["process_id"], convert=_NUMBERS),
            ),
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
            kpi_id = decode_id(input.id, "ProcessKpi", "id")
            return await db.scalar(select(m.ProcessKpi.process_id).where(m.ProcessKpi.id == kpi_id))

        return await run_write(
            info,
            _payload,
            lambda db, actor: service.update_kpi(
                db,
                actor=actor,
                kpi_id=decode_id(input.id, "ProcessKpi", "id"),
                expected_version=input.version,
                **input_values(input, convert=_NUMBERS),
            ),
            process_of=process_of,
        )

    @strawberry.mutation(
        description="Delete a KPI (reviews keep their snapshots of it). Staff writers."
    )
    async def remove_kpi(
        self, info: Info, input: Annotated[RemoveKpiInput, WRITE_INPUT]
    ) -> RemoveKpiPayload:
        async def remove(db: AsyncSession, actor: Actor) -> strawberry.ID:
            await service.remove_kpi(
                db,
                actor=actor,
                kpi_id=decode_id(input.id, "ProcessKpi", "id"),
                expected_version=input.version,
            )
            return input.id

        return await run_write(info, _removed, remove)
