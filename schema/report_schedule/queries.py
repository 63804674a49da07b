from __future__ import annotations

import strawberry

from schema.context import Info
from schema.report_schedule.types import ReportScheduleType
from tenants.models import ReportSchedule
from tenants.services.report_schedules import SCHEDULE_ID


@strawberry.type
class ReportScheduleQuery:
    @strawberry.field(
        description="The weekly health report schedule (defaults until configured); staff only."
    )
    async def report_schedule(self, info: Info) -> ReportScheduleType | None:
        if not info.context.principal.is_staff:
            return None
        row = await info.context.db.get(ReportSchedule, SCHEDULE_ID)
        return ReportScheduleType.from_model(row) if row else ReportScheduleType.default()
