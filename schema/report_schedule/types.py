"""The tenant's engagement health report schedule."""

from __future__ import annotations

from enum import Enum

import strawberry

from schema.audit.shape import register_audit_shape
from schema.enums import documented_enum
from schema.from_model import FromModel
from tenants.models import ReportSchedule


@documented_enum(
    "Day of the week, in the schedule's time zone.",
    {
        "MONDAY": "Monday.",
        "TUESDAY": "Tuesday.",
        "WEDNESDAY": "Wednesday.",
        "THURSDAY": "Thursday.",
        "FRIDAY": "Friday.",
        "SATURDAY": "Saturday.",
        "SUNDAY": "Sunday.",
    },
)
class Weekday(Enum):
    MONDAY = 0
    TUESDAY = 1
    WEDNESDAY = 2
    THURSDAY = 3
    FRIDAY = 4
    SATURDAY = 5
    SUNDAY = 6


@strawberry.type(
    name="ReportSchedule",
    description="When weekly engagement health reports run, and where they go.",
)
class ReportScheduleType(FromModel):
    enabled: bool = strawberry.field(description="Whether the weekly reports run.")
    weekday: Weekday = strawberry.field(description="The day they run.")
    hour: int = strawberry.field(description="The hour they run, 0-23, in `timezone`.")
    minute: int = strawberry.field(description="The minute they run, 0-59.")
    timezone: str = strawberry.field(description="IANA time zone, e.g. Europe/London.")
    webhook_url: str | None = strawberry.field(
        description="Where each new report is announced (https); null: no webhook."
    )
    has_webhook_secret: bool = strawberry.field(description="The secret itself is write-only.")
    version: int | None = strawberry.field(
        description="Send it back with changes; null until the schedule is first configured."
    )

    @classmethod
    def default(cls) -> ReportScheduleType:
        return cls(
            enabled=True,
            weekday=Weekday.MONDAY,
            hour=6,
            minute=0,
            timezone="UTC",
            webhook_url=None,
            has_webhook_secret=False,
            version=None,
        )

    FROM_MODEL = {
        "weekday": lambda o: Weekday(o.weekday),
        "has_webhook_secret": lambda o: bool(o.webhook_secret_encrypted or o.legacy_webhook_secret),
    }


# Not a node, but audited: the trail names its columns by these fields.
register_audit_shape(ReportScheduleType, ReportSchedule, "ReportSchedule")
