"""`configureReportSchedule`: day, time and time zone of the weekly health reports, webhook."""

from __future__ import annotations

import strawberry

from schema.input_fields import optional
from schema.mutation_support import stored_value, write_mutation
from schema.payloads import Payload, written_payload
from schema.report_schedule.types import ReportScheduleType, Weekday
from schema.row_writes import tenant_settings
from tenants.services.report_schedules import configure_report_schedule


@strawberry.input(description="The whole schedule; the webhook secret is write-only.")
class ConfigureReportScheduleInput:
    version: int | None = strawberry.field(
        description="The version you last saw; null when configuring for the first time."
    )
    weekday: Weekday = strawberry.field(default=Weekday.MONDAY, description="The day they run.")
    hour: int = strawberry.field(default=6, description="The hour they run, 0-23, in `timezone`.")
    minute: int = strawberry.field(default=0, description="The minute they run, 0-59.")
    timezone: str = strawberry.field(
        default="UTC", description="IANA time zone, e.g. Europe/London."
    )
    enabled: bool = strawberry.field(default=True, description="Whether the weekly reports run.")
    webhook_url: str | None = optional(
        "Where each new report is announced (https); null: no webhook."
    )
    webhook_secret: str | None = optional(
        "Signs deliveries by the Standard Webhooks scheme: `whsec_` and the"
        " base64 of 24 to 64 random bytes. Write-only: stored encrypted, never shown."
    )


@written_payload("report_schedule", ReportScheduleType, "configureReportSchedule")
class ReportSchedulePayload(Payload):
    pass


@strawberry.type
class ReportScheduleMutation:
    configure_report_schedule = write_mutation(
        ConfigureReportScheduleInput,
        ReportSchedulePayload,
        tenant_settings(configure_report_schedule, convert={"weekday": stored_value}, sealing=True),
        description="Set when weekly health reports run and their webhook. Admins only.",
    )
