"""Record process reviews, report and update incidents.

A client_owner may run these on a process they are currently assigned to, so
the process is known before `authorize` is called. An update of an incident keeps its
own input: it adds `status` and `resolvedAt`, which reporting does not take, in another
field order than the report input, so it cannot be derived from it without moving the SDL.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession

from schema.context import Info
from schema.enums import IncidentSeverity, IncidentStatus, ReviewOutcome
from schema.feedback.types import IncidentNode, ProcessReviewNode
from schema.ids import parse_global_id
from schema.mutation_support import (
    OF_PROCESS,
    SEEN,
    WRITE_INPUT,
    Ref,
    new_row,
    row_at_version,
    run_write,
)
from schema.payloads import Payload, written_payload
from tenants import models as m
from tenants.services import feedback as service


@strawberry.input(description="A performance review of a process; it snapshots the process's KPIs.")
class RecordProcessReviewInput:
    process_id: strawberry.ID = strawberry.field(description="The global id of an AIProcess.")
    reviewed_on: date = strawberry.field(description="Not in the future.")
    reviewer: str = strawberry.field(description="Who reviewed (free text).")
    summary: str = strawberry.field(description="What the review found.")
    outcome: ReviewOutcome = strawberry.field(description="The verdict.")  # type: ignore[valid-type]


@strawberry.input(description="Something that went wrong in a process; it starts OPEN.")
class ReportIncidentInput:
    process_id: strawberry.ID = strawberry.field(description="The global id of an AIProcess.")
    title: str = strawberry.field(description="What happened, in a few words.")
    severity: IncidentSeverity = strawberry.field(description="How bad it is.")  # type: ignore[valid-type]
    occurred_at: datetime = strawberry.field(description="With a time zone; not in the future.")
    description: str | None = strawberry.field(
        default=None, description="What happened, in detail; null: none given."
    )
    escalation_level: int | None = strawberry.field(
        default=None,
        description="0 (default): not escalated; at most the process's escalation path levels.",
    )


@strawberry.input(description="Omitted fields are unchanged; null clears an optional field.")
class UpdateIncidentInput:
    # Declared here, not by `row_input`: `update_incident` reads `id` before the write.
    id: strawberry.ID = strawberry.field(description="The global id of the Incident to change.")
    version: int = strawberry.field(description=SEEN)
    title: str | None = strawberry.field(
        default=strawberry.UNSET, description="What happened, in a few words."
    )
    description: str | None = strawberry.field(
        default=strawberry.UNSET, description="What happened, in detail; null: none given."
    )
    severity: IncidentSeverity | None = strawberry.field(  # type: ignore[valid-type]
        default=strawberry.UNSET, description="How bad it is."
    )
    status: IncidentStatus | None = strawberry.field(  # type: ignore[valid-type]
        default=strawberry.UNSET,
        description="RESOLVED or CLOSED sets resolvedAt (now unless given); reopening clears it.",
    )
    escalation_level: int | None = strawberry.field(
        default=strawberry.UNSET,
        description="0: not escalated; n: level n of the process's escalation path.",
    )
    resolved_at: datetime | None = strawberry.field(
        default=strawberry.UNSET, description="Set when RESOLVED or CLOSED."
    )


@written_payload("process_review", ProcessReviewNode, "recordProcessReview")
class ProcessReviewPayload(Payload):
    pass


@written_payload("incident", IncidentNode, "reportIncident", "updateIncident")
class IncidentPayload(Payload):
    pass


def _id_of(value: str, type_name: str) -> uuid.UUID | None:
    """The uuid of a global id of `type_name`, or None (decode_id reports it later)."""
    parsed = parse_global_id(value)
    return parsed[1] if parsed is not None and parsed[0] == type_name else None


_INCIDENT = Ref("Incident", "incident_id")


@strawberry.type
class FeedbackMutation:
    @strawberry.mutation(
        description=(
            "Record a performance review; it moves the process's lastReviewedAt but"
            " not its version. Staff writers, and client owners assigned to the "
            "process."
        )
    )
    async def record_process_review(
        self, info: Info, input: Annotated[RecordProcessReviewInput, WRITE_INPUT]
    ) -> ProcessReviewPayload:
        return await run_write(
            info,
            ProcessReviewPayload.of,
            new_row(service.record_process_review, input, OF_PROCESS),
            process_id=_id_of(input.process_id, "AIProcess"),
        )

    @strawberry.mutation(
        description=(
            "Report an incident in a process. Staff writers, and client owners "
            "assigned to the process."
        )
    )
    async def report_incident(
        self, info: Info, input: Annotated[ReportIncidentInput, WRITE_INPUT]
    ) -> IncidentPayload:
        return await run_write(
            info,
            IncidentPayload.of,
            new_row(service.report_incident, input, OF_PROCESS),
            process_id=_id_of(input.process_id, "AIProcess"),
        )

    @strawberry.mutation(
        description=(
            "Change an incident, e.g. its status. Staff writers, and client owners "
            "assigned to the process."
        )
    )
    async def update_incident(
        self, info: Info, input: Annotated[UpdateIncidentInput, WRITE_INPUT]
    ) -> IncidentPayload:
        async def process_of(db: AsyncSession) -> uuid.UUID | None:
            # A malformed id authorizes as no process; the write then reports it on `id`.
            incident_id = _id_of(input.id, "Incident")
            current = None if incident_id is None else await db.get(m.Incident, incident_id)
            return None if current is None else current.process_id

        return await run_write(
            info,
            IncidentPayload.of,
            row_at_version(service.update_incident, input, _INCIDENT),
            process_of=process_of,
        )
