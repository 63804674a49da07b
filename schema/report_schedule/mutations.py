"""`configureReportSchedule`: day, time and time zone of the weekly health reports, webhook."""

from __future__ import annotations

from typing import Annotated

import strawberry

from schema.context import Info
from schema.errors import UserError, atomic
from schema.permissions import actor_of, authorize
from schema.report_schedule.types import ReportScheduleType, Weekday
from tenants.models import ReportSchedule
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
    webhook_url: str | None = strawberry.field(
        default=None, description="Where each new report is announced (https); null: no webhook."
    )
    webhook_secret: str | None = strawberry.field(
        default=None,
        description="Signs deliveries by the Standard Webhooks scheme: `whsec_` and the"
        " base64 of 24 to 64 random bytes. Write-only: stored encrypted, never shown.",
    )


@strawberry.type(
    description=("The result of configureReportSchedule: the object written, or `errors`.")
)
class ReportSchedulePayload:
    report_schedule: ReportScheduleType | None = strawberry.field(
        description="The ReportSchedule as written; null when there are errors."
    )
    errors: list[UserError] = strawberry.field(
        description=(
            "What went wrong, each naming its input field; empty on success. With "
            "errors nothing was written."
        )
    )


@strawberry.type
class ReportScheduleMutation:
    @strawberry.mutation(
        description="Set when weekly health reports run and their webhook. Admins only."
    )
    async def configure_report_schedule(
        self,
        info: Info,
        input: Annotated[
            ConfigureReportScheduleInput,
            strawberry.argument(
                description=(
                    "What to write; each error names its field within it (e.g. `name`, "
                    "`scores[0].score`)."
                )
            ),
        ],
    ) -> ReportSchedulePayload:
        row: ReportSchedule | None = None
        async with atomic(info) as outcome:
            await authorize(info)
            row = await configure_report_schedule(
                info.context.db,
                actor=actor_of(info.context.principal),
                expected_version=input.version,
                weekday=input.weekday.value,
                hour=input.hour,
                minute=input.minute,
                timezone=input.timezone,
                enabled=input.enabled,
                webhook_url=input.webhook_url,
                webhook_secret=input.webhook_secret,
                box=info.context.request.state.auth.box,
            )
        node = ReportScheduleType.from_model(row) if row is not None and not outcome.error else None
        return ReportSchedulePayload(report_schedule=node, errors=outcome.errors)
