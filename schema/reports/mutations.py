"""`requestReadinessReport`: queue a report; a worker builds it (jobs/readiness/job.py).
`requestEngagementHealthReport`: a health report now (jobs/health/request.py)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Annotated

import strawberry
from arq.connections import ArqRedis
from sqlalchemy.ext.asyncio import AsyncSession

from jobs.enqueue import HEALTH_CREATED, enqueue_readiness, enqueue_webhook
from jobs.health.request import request_health_report
from schema.branding.types import ReportLocale
from schema.context import Info
from schema.mutation_support import OF_CLIENT, WRITE_INPUT, enqueued_after_commit, run_write
from schema.payloads import Payload, written_payload
from schema.reports.types import EngagementHealthReportNode, ReadinessReportNode
from tenants.models import ReadinessReport
from tenants.services import reports as service
from tenants.services.audit import Actor


@strawberry.input(description="Which client to report on, and in which language.")
class RequestReadinessReportInput:
    client_organisation_id: strawberry.ID = strawberry.field(
        description="The global id of a ClientOrganisation."
    )
    locale: ReportLocale | None = strawberry.field(
        default=None, description="The report's language; null: the tenant's branding locale."
    )


@written_payload("readiness_report", ReadinessReportNode, "requestReadinessReport")
class RequestReadinessReportPayload(Payload):
    pass


@strawberry.input(description="Which client to report on.")
class RequestEngagementHealthReportInput:
    client_organisation_id: strawberry.ID = strawberry.field(
        description="The global id of a ClientOrganisation."
    )


@written_payload(
    "engagement_health_report", EngagementHealthReportNode, "requestEngagementHealthReport"
)
class RequestEngagementHealthReportPayload(Payload):
    pass


async def _request_readiness(
    db: AsyncSession, actor: Actor, input: RequestReadinessReportInput
) -> ReadinessReport:
    # An identical request returns the report already queued or built (deduplicated).
    report, _created = await service.request_readiness_report(
        db,
        actor=actor,
        client_id=OF_CLIENT.decode(input),
        locale=input.locale.value if input.locale is not None else None,
    )
    return report


async def _enqueue_readiness(redis: ArqRedis, tenant: str, report_id: uuid.UUID) -> None:
    # Also for a report that already existed: its id is deterministic, so this is a no-op
    # while its job exists and a recovery if it was lost.
    await enqueue_readiness(redis, tenant=tenant, report_id=report_id)


async def _announce_health(redis: ArqRedis, tenant: str, report_id: uuid.UUID) -> None:
    # The delivery job reads the tenant's webhook; without one it does nothing.
    await enqueue_webhook(redis, tenant=tenant, event=HEALTH_CREATED, subject_id=report_id)


@strawberry.type
class ReportMutation:
    @strawberry.mutation(
        description="Queue a readiness report for a client and return it in state QUEUED; "
        "while one is QUEUED or RUNNING for the client, that one is returned instead. "
        "The job is enqueued once the request is committed. If the job queue (Redis) is "
        "unreachable at that moment the report is still recorded as QUEUED, and the "
        "sweeper, which runs every minute in the worker, enqueues it as soon as Redis is "
        "back: a QUEUED report always runs. Follow it by polling `status`."
    )
    async def request_readiness_report(
        self,
        info: Info,
        input: Annotated[RequestReadinessReportInput, WRITE_INPUT],
    ) -> RequestReadinessReportPayload:
        return await run_write(
            info,
            # A report requested is enqueued once the request commits.
            enqueued_after_commit(info, RequestReadinessReportPayload.of, _enqueue_readiness),
            lambda db, actor: _request_readiness(db, actor, input),
        )

    @strawberry.mutation(
        description="Produce a client's engagement health report now, covering the seven "
        "days up to today (from the engagement start, if later), and return it. Staff "
        "only; one request makes exactly one report, written in the request's "
        "transaction; at most one a minute per client (UNAVAILABLE with the wait "
        "otherwise); refused before the engagement starts. Announced to the tenant's "
        "webhook as `health_report.created`."
    )
    async def request_engagement_health_report(
        self,
        info: Info,
        input: Annotated[RequestEngagementHealthReportInput, WRITE_INPUT],
    ) -> RequestEngagementHealthReportPayload:
        return await run_write(
            info,
            # A report made is announced to the webhook once the request commits.
            enqueued_after_commit(info, RequestEngagementHealthReportPayload.of, _announce_health),
            lambda db, actor: request_health_report(
                db, actor=actor, client_id=OF_CLIENT.decode(input), now=datetime.now(UTC)
            ),
        )
