"""The arq task registry and the cron schedule.

Every task takes the tenant's slug (never a schema name) and ids as strings, so its
arguments survive msgpack and a job names its tenant only through the registry.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from arq.cron import CronJob, cron

from jobs.exports.job import build_export
from jobs.exports.sweeper import sweep_exports
from jobs.health.job import build_health_report, schedule_health_reports
from jobs.readiness.job import build_readiness_report
from jobs.sweeper import sweep_reports
from jobs.webhooks import deliver_webhook

TASKS: tuple[Callable[..., Any], ...] = (
    build_readiness_report,
    build_health_report,
    deliver_webhook,
    schedule_health_reports,
    sweep_reports,
    build_export,
    sweep_exports,
)


def cron_jobs() -> list[CronJob]:
    """Every minute, once per tick across all workers (arq's unique cron job ids).

    The health tick works out per tenant which weekly period is due in the tenant's
    own time zone (default Mondays 06:00 UTC), so one schedule serves every tenant;
    both run at worker start too, which is how a worker catches up after downtime.
    """
    return [
        cron(
            schedule_health_reports,
            name="cron:health",
            second=0,
            run_at_startup=True,
            max_tries=3,
        ),
        cron(sweep_reports, name="cron:sweep", second=30, run_at_startup=True, max_tries=3),
        cron(sweep_exports, name="cron:exports", second=45, run_at_startup=True, max_tries=3),
    ]
