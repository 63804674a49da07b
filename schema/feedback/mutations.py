"""Record process reviews, report and update incidents.

A client_owner may run these on a process they are currently assigned to, so
the process is known before `authorize` is called.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated

import strawberry

from schema.context import Info
from schema.enums import IncidentSeverity, IncidentStatus, ReviewOutcome
from schema.errors import UserError, atomic
from schema.feedback.types import IncidentNode, ProcessReviewNode
from schema.ids import decode_id, parse_global_id
from schema.mutation_support import given, or_default, required
from schema.permissions import actor_of, authorize
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
    id: strawberry.ID = strawberry.field(description="The global id of the Incident to change.")
    version: int = strawberry.field(description="The version you last saw.")
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


@strawberry.type(description="The result of recordProcessReview: the object written, or `errors`.")
class ProcessReviewPayload:
    process_review: ProcessReviewNode | None = strawberry.field(
        description="The ProcessReview as written; null when there are errors."
    )
    errors: list[UserError] = strawberry.field(
        description=(
            "What went wrong, each naming its input field; empty on success. With "
            "errors nothing was written."
        )
    )


@strawberry.type(
    description=("The result of reportIncident, updateIncident: the object written, or `errors`.")
)
class IncidentPayload:
    incident: IncidentNode | None = strawberry.field(
        description="The Incident as written; null when there are errors."
    )
    errors: list[UserError] = strawberry.field(
        description=(
            "What went wrong, each naming its input field; empty on success. With "
            "errors nothing was written."
        )
    )


def _id_of(value: str, type_name: str) -> uuid.UUID | None:
    """The uuid of a global id of `type_name`, or None (decode_id reports it later)."""
    parsed = parse_global_id(value)
    return parsed[1] if parsed is not None and parsed[0] == type_name else None


def _incident_payload(obj: m.Incident | None, errors: list[UserError]) -> IncidentPayload:
    node = IncidentNode.from_model(obj) if obj is not None and not errors else None
    return IncidentPayload(incident=node, errors=errors)


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
        self,
        info: Info,
        input: Annotated[
            RecordProcessReviewInput,
            strawberry.argument(
                description=(
                    "What to write; each error names its field within it (e.g. `name`, "
                    "`scores[0].score`)."
                )
            ),
        ],
    ) -> ProcessReviewPayload:
        obj = None
        async with atomic(info) as outcome:
            await authorize(info, process_id=_id_of(input.process_id, "AIProcess"))
            obj = await service.record_process_review(
                info.context.db,
                actor=actor_of(info.context.principal),
                process_id=decode_id(input.process_id, "AIProcess", "processId"),
                reviewed_on=input.reviewed_on,
                reviewer=input.reviewer,
                summary=input.summary,
                outcome=input.outcome,
            )
        node = ProcessReviewNode.from_model(obj) if obj is not None and not outcome.errors else None
        return ProcessReviewPayload(process_review=node, errors=outcome.errors)

    @strawberry.mutation(
        description=(
            "Report an incident in a process. Staff writers, and client owners "
            "assigned to the process."
        )
    )
    async def report_incident(
        self,
        info: Info,
        input: Annotated[
            ReportIncidentInput,
            strawberry.argument(
                description=(
                    "What to write; each error names its field within it (e.g. `name`, "
                    "`scores[0].score`)."
                )
            ),
        ],
    ) -> IncidentPayload:
        obj = None
        async with atomic(info) as outcome:
            await authorize(info, process_id=_id_of(input.process_id, "AIProcess"))
            obj = await service.report_incident(
                info.context.db,
                actor=actor_of(info.context.principal),
                process_id=decode_id(input.process_id, "AIProcess", "processId"),
                title=input.title,
                severity=input.severity,
                occurred_at=input.occurred_at,
                description=input.description,
                escalation_level=or_default(input.escalation_level, 0),
            )
        return _incident_payload(obj, outcome.errors)

    @strawberry.mutation(
        description=(
            "Change an incident, e.g. its status. Staff writers, and client owners "
            "assigned to the process."
        )
    )
    async def update_incident(
        self,
        info: Info,
        input: Annotated[
            UpdateIncidentInput,
            strawberry.argument(
                description=(
                    "What to write; each error names its field within it (e.g. `name`, "
                    "`scores[0].score`)."
                )
            ),
        ],
    ) -> IncidentPayload:
        obj = None
        async with atomic(info) as outcome:
            incident_id = _id_of(input.id, "Incident")
            current = (
                None if incident_id is None else await info.context.db.get(m.Incident, incident_id)
            )
            await authorize(info, process_id=None if current is None else current.process_id)
            obj = await service.update_incident(
                info.context.db,
                actor=actor_of(info.context.principal),
                incident_id=decode_id(input.id, "Incident", "id"),
                expected_version=input.version,
                title=required(input.title, "title"),
                description=given(input.description),
                severity=required(input.severity, "severity"),
                status=required(input.status, "status"),
                escalation_level=required(input.escalation_level, "escalationLevel"),
                resolved_at=given(input.resolved_at),
            )
        return _incident_payload(obj, outcome.errors)
