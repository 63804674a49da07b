"""Record process reviews, report and update incidents.

A client_owner may run these on a process they are currently assigned to, so
the process is known before `authorize` is called. An update of an incident keeps its
own input: it adds `status` and `resolvedAt`, which reporting does not take, in another
field order than the report input, so it cannot be derived from it without moving the SDL.
"""

from __future__ import annotations

from datetime import date, datetime

import strawberry

from schema.enums import IncidentSeverity, IncidentStatus, ReviewOutcome
from schema.feedback.types import IncidentNode, ProcessReviewNode
from schema.input_fields import global_id_of, omittable, optional
from schema.mutation_support import SEEN, write_mutation
from schema.payloads import Payload, written_payload
from schema.row_writes import (
    OF_PROCESS,
    Ref,
    named_process,
    new_row,
    process_of_row,
    row_at_version,
)
from tenants import models as m
from tenants.services import feedback as service


@strawberry.input(description="A performance review of a process; it snapshots the process's KPIs.")
class RecordProcessReviewInput:
    process_id: strawberry.ID = global_id_of("AIProcess")
    reviewed_on: date = strawberry.field(description="Not in the future.")
    reviewer: str = strawberry.field(description="Who reviewed (free text).")
    summary: str = strawberry.field(description="What the review found.")
    outcome: ReviewOutcome = strawberry.field(description="The verdict.")  # type: ignore[valid-type]


@strawberry.input(description="Something that went wrong in a process; it starts OPEN.")
class ReportIncidentInput:
    process_id: strawberry.ID = global_id_of("AIProcess")
    title: str = strawberry.field(description="What happened, in a few words.")
    severity: IncidentSeverity = strawberry.field(description="How bad it is.")  # type: ignore[valid-type]
    occurred_at: datetime = strawberry.field(description="With a time zone; not in the future.")
    description: str | None = optional("What happened, in detail; null: none given.")
    escalation_level: int | None = optional(
        "0 (default): not escalated; at most the process's escalation path levels."
    )


@strawberry.input(description="Omitted fields are unchanged; null clears an optional field.")
class UpdateIncidentInput:
    # Declared here, not by `row_input`: authorizing reads `id` before the write.
    id: strawberry.ID = strawberry.field(description="The global id of the Incident to change.")
    version: int = strawberry.field(description=SEEN)
    title: str | None = omittable("What happened, in a few words.")
    description: str | None = omittable("What happened, in detail; null: none given.")
    severity: IncidentSeverity | None = omittable("How bad it is.")  # type: ignore[valid-type]
    status: IncidentStatus | None = omittable(  # type: ignore[valid-type]
        "RESOLVED or CLOSED sets resolvedAt (now unless given); reopening clears it."
    )
    escalation_level: int | None = omittable(
        "0: not escalated; n: level n of the process's escalation path."
    )
    resolved_at: datetime | None = omittable("Set when RESOLVED or CLOSED.")


@written_payload("process_review", ProcessReviewNode, "recordProcessReview")
class ProcessReviewPayload(Payload):
    pass


@written_payload("incident", IncidentNode, "reportIncident", "updateIncident")
class IncidentPayload(Payload):
    pass


_INCIDENT = Ref("Incident", "incident_id")


@strawberry.type
class FeedbackMutation:
    record_process_review = write_mutation(
        RecordProcessReviewInput,
        ProcessReviewPayload,
        new_row(service.record_process_review, OF_PROCESS),
        description=(
            "Record a performance review; it moves the process's lastReviewedAt but"
            " not its version. Staff writers, and client owners assigned to the "
            "process."
        ),
        process_of=named_process(OF_PROCESS),
    )
    report_incident = write_mutation(
        ReportIncidentInput,
        IncidentPayload,
        new_row(service.report_incident, OF_PROCESS),
        description=(
            "Report an incident in a process. Staff writers, and client owners "
            "assigned to the process."
        ),
        process_of=named_process(OF_PROCESS),
    )
    update_incident = write_mutation(
        UpdateIncidentInput,
        IncidentPayload,
        row_at_version(service.update_incident, _INCIDENT),
        description=(
            "Change an incident, e.g. its status. Staff writers, and client owners "
            "assigned to the process."
        ),
        process_of=process_of_row(m.Incident, _INCIDENT),
    )
