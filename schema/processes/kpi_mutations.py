"""Add, update and remove KPIs of a process."""

from __future__ import annotations

from datetime import datetime

import strawberry

from schema.enums import KpiDirection
from schema.input_fields import global_id_of, optional
from schema.mutation_support import row_input, updating, write_mutation
from schema.numbers import to_decimal
from schema.payloads import Payload, written_payload
from schema.processes.types import ProcessKpiNode
from schema.row_writes import OF_PROCESS, Ref, new_row, process_of_row, removed_row, row_at_version
from tenants import models as m
from tenants.services import kpis as service


@strawberry.input(description="A value (`latestValue`) needs `measuredAt`.")
class AddKpiInput:
    process_id: strawberry.ID = global_id_of("AIProcess")
    name: str = strawberry.field(
        description="The KPI's name; unique within its process (case-insensitive)."
    )
    unit: str | None = optional("The unit of target and values, e.g. % or hours; null: none.")
    target: float | None = optional("The value to reach; null: no target set.")
    direction: KpiDirection | None = optional("Default HIGHER.")  # type: ignore[valid-type]
    latest_value: float | None = optional("The latest measured value; null: none measured yet.")
    measured_at: datetime | None = optional("With a time zone, not in the future.")


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
    add_kpi = write_mutation(
        AddKpiInput,
        ProcessKpiPayload,
        new_row(service.add_kpi, OF_PROCESS, convert=_NUMBERS),
        description="Add a KPI to a process. Staff writers.",
    )
    update_kpi = write_mutation(
        UpdateKpiInput,
        ProcessKpiPayload,
        row_at_version(service.update_kpi, _KPI, convert=_NUMBERS),
        description=(
            "Change a KPI, e.g. record a new value. Staff writers, and client "
            "owners assigned to the process."
        ),
        # Client owners may update KPIs of processes they are assigned to.
        process_of=process_of_row(m.ProcessKpi, _KPI),
    )
    remove_kpi = write_mutation(
        RemoveKpiInput,
        RemoveKpiPayload,
        removed_row(service.remove_kpi, _KPI),
        description="Delete a KPI (reviews keep their snapshots of it). Staff writers.",
    )
