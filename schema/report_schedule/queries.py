from __future__ import annotations

import strawberry
from sqlalchemy import false, func, literal, select, true

from schema.compiled.sql import Related, Row, Source, context, sql
from schema.context import Info
from schema.report_schedule.deliveries import WebhookDeliveryQuery
from schema.report_schedule.types import ReportScheduleType
from tenants.models import ReportSchedule
from tenants.services.report_schedules import SCHEDULE_ID


def _schedule() -> Source:
    """The schedule's row, or ReportScheduleType.default()'s values without one; staff only."""
    default = ReportScheduleType.default()
    s = Row.of(ReportSchedule).entity
    one = select(literal(1).label("one")).subquery("one")
    lat = (
        select(
            func.coalesce(s.enabled, default.enabled).label("enabled"),
            func.coalesce(s.weekday, default.weekday.value).label("weekday"),
            func.coalesce(s.hour, default.hour).label("hour"),
            func.coalesce(s.minute, default.minute).label("minute"),
            func.coalesce(s.timezone, default.timezone).label("timezone"),
            s.webhook_url.label("webhook_url"),
            func.coalesce(
                func.coalesce(
                    func.nullif(s.webhook_secret_encrypted, ""),
                    func.nullif(s.legacy_webhook_secret, ""),
                ).is_not(None),
                false(),
            ).label("has_webhook_secret"),
            s.version.label("version"),
        )
        .select_from(one.outerjoin(s, s.id == SCHEDULE_ID))
        .where(true() if context().is_staff else false())
        .correlate_except(one, s)
        .lateral()
    )
    return Source(Row(lat), froms=[lat])


@strawberry.type
class ReportScheduleQuery(WebhookDeliveryQuery):
    @strawberry.field(
        description="The weekly health report schedule (defaults until configured); staff only.",
        metadata=sql(Related(lambda _row, _args: _schedule())),
    )
    async def report_schedule(self, info: Info) -> ReportScheduleType | None:
        if not info.context.principal.is_staff:
            return None
        row = await info.context.db.get(ReportSchedule, SCHEDULE_ID)
        return ReportScheduleType.from_model(row) if row else ReportScheduleType.default()
