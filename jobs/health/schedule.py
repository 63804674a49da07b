"""When health reports are due, per tenant, and which period a run reports on.

Reports are weekly. A tenant's schedule (tenants.models.ReportSchedule, defaults
Mondays 06:00 UTC) names the moment in its own time zone; the run at that moment
reports on the seven days before it: a Monday 2026-06-08 run covers 2026-06-01 to
2026-06-07. The cron ticks every minute and asks for the latest moment due at or
before now, so a worker that was down at the due time produces the missed period's
report as soon as it runs again (catch-up); a period is reported once, because its
job id and the table's unique (client_id, period_start) both name it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy.ext.asyncio import AsyncSession

from tenants.models import ReportSchedule

DEFAULT_WEEKDAY, DEFAULT_HOUR, DEFAULT_MINUTE, DEFAULT_TIMEZONE = 0, 6, 0, "UTC"


@dataclass(frozen=True, slots=True)
class Schedule:
    weekday: int = DEFAULT_WEEKDAY
    hour: int = DEFAULT_HOUR
    minute: int = DEFAULT_MINUTE
    timezone: str = DEFAULT_TIMEZONE
    enabled: bool = True
    # The webhook secret is not here: only the delivery decrypts it (jobs/webhooks.py).
    webhook_url: str | None = None

    @property
    def zone(self) -> ZoneInfo:
        try:
            return ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            return ZoneInfo("UTC")


@dataclass(frozen=True, slots=True)
class Period:
    start: date
    end: date
    due_at: datetime


def due_period(schedule: Schedule, now: datetime) -> Period:
    """The latest period whose run is due at or before `now` (an aware datetime)."""
    zone = schedule.zone
    local = now.astimezone(zone)
    days_back = (local.weekday() - schedule.weekday) % 7
    day = local.date() - timedelta(days=days_back)
    at = time(schedule.hour, schedule.minute)
    due = datetime.combine(day, at, tzinfo=zone)
    if due > local:
        due = datetime.combine(day - timedelta(days=7), at, tzinfo=zone)
    end = due.date() - timedelta(days=1)
    return Period(start=end - timedelta(days=6), end=end, due_at=due)


async def load_schedule(db: AsyncSession) -> Schedule:
    row = await db.get(ReportSchedule, 1)
    if row is None:
        return Schedule()
    return Schedule(
        weekday=row.weekday,
        hour=row.hour,
        minute=row.minute,
        timezone=row.timezone,
        enabled=row.enabled,
        webhook_url=row.webhook_url,
    )


async def save_schedule(
    db: AsyncSession, schedule: Schedule, *, webhook_secret_encrypted: str | None = None
) -> None:
    """Create or replace the tenant's schedule (used by tests and operators).

    The secret comes already encrypted (SecretBox.encrypt), as the API stores it.
    """
    ZoneInfo(schedule.timezone)  # an unknown zone is refused here, not at run time
    row = await db.get(ReportSchedule, 1)
    if row is None:
        row = ReportSchedule(id=1)
        db.add(row)
    row.weekday, row.hour, row.minute = schedule.weekday, schedule.hour, schedule.minute
    row.timezone, row.enabled = schedule.timezone, schedule.enabled
    row.webhook_url, row.webhook_secret_encrypted = schedule.webhook_url, webhook_secret_encrypted
    row.legacy_webhook_secret = None
    await db.flush()
