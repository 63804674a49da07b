"""`requestReadinessReport`: queue a report; a worker builds it (jobs/readiness/job.py).
`requestEngagementHealthReport`: a health report now (jobs/health/request.py)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import strawberry
from arq.connections import ArqRedis
from sqlalchemy.ext.asyncio import AsyncSession

from jobs.enqueue import HEALTH_CREATED, enqueue_readiness, enqueue_webhook
from jobs.health.request import request_health_report
from schema.branding.types import ReportLocale
from schema.context import Info
from schema.input_fields import global_id_of, optional
from schema.mutation_support import enqueued_after_commit, write_mutation
from schema.payloads import Payload, written_payload
from schema.reports.types import EngagementHealthReportNode, ReadinessReportNode
from schema.row_writes import OF_CLIENT
from tenants.models import EngagementHealthReport, ReadinessReport
from tenants.services import reports as service
from tenants.services.audit import Actor


@strawberry.input(description="Which client to report on, and in which language.")
class RequestReadinessReportInput:
    client_organisation_id: strawberry.ID = global_id_of("ClientOrganisation")
    locale: ReportLocale | None = optional(
        "The report's language; null: the tenant's branding locale."
    )


@written_payload("readiness_report", ReadinessReportNode, "requestReadinessReport")
class RequestReadinessReportPayload(Payload):
    pass


@strawberry.input(description="Which client to report on.")
class RequestEngagementHealthReportInput:
    client_organisation_id: strawberry.ID = global_id_of("ClientOrganisation")


@written_payload(
    "engagement_health_report", EngagementHealthReportNode, "requestEngagementHealthReport"
)
class RequestEngagementHealthReportPayload(Payload):
    pass


async def _request_readiness(
    info: Info, input: RequestReadinessReportInput, db: AsyncSession, actor: Actor
) -> ReadinessReport:
    # An identical request returns the report already queued or built (deduplicated).
    report, _created = await service.request_readiness_report(
        db,
        actor=actor,
        client_id=OF_CLIENT.decode(input),
        locale=input.locale.value if input.locale is not None else None,
    )
    return report


# The jobs a report requested starts once the request commits.
async def _enqueue_readiness(redis: ArqRedis, tenant: str, report_id: uuid.UUID) -> None:
    # Also for a report that already existed: its id is deterministic, so this is a no-op
    # while its job exists and a recovery if it was lost.
    await enqueue_readiness(redis, tenant=tenant, report_id=report_id)


async def _announce_health(redis: ArqRedis, tenant: str, report_id: uuid.UUID) -> None:
    # The delivery job reads the tenant's webhook; without one it does nothing.
    await enqueue_webhook(redis, tenant=tenant, event=HEALTH_CREATED, subject_id=report_id)


async def _request_health(
    info: Info, input: RequestEngagementHealthReportInput, db: AsyncSession, actor: Actor
) -> EngagementHealthReport:
    return await request_health_report(
        db, actor=actor, client_id=OF_CLIENT.decode(input), now=datetime.now(UTC)
    )


@strawberry.type
class ReportMutation:
    request_readiness_report = write_mutation(
        RequestReadinessReportInput,
        RequestReadinessReportPayload,
        _request_readiness,
        description="Queue a readiness report for a client and return it in state QUEUED; "
        "while one is QUEUED or RUNNING for the client, that one is returned instead. "
        "The job is enqueued once the request is committed. If the job queue (Redis) is "
        "unreachable at that moment the report is still recorded as QUEUED, and the "
        "sweeper, which runs every minute in the worker, enqueues it as soon as Redis is "
        "back: a QUEUED report always runs. Follow it by polling `status`.",
        answer=enqueued_after_commit(RequestReadinessReportPayload.of, _enqueue_readiness),
    )
    request_engagement_health_report = write_mutation(
        RequestEngagementHealthReportInput,
        RequestEngagementHealthReportPayload,
        _request_health,
        description="Produce a client's engagement health report now, covering the seven "
        "days up to today (from the engagement start, if later), and return it. Staff "
        "only; one request makes exactly one report, written in the request's "
        "transaction; at most one a minute per client (UNAVAILABLE with the wait "
        "otherwise); refused before the engagement starts. Announced to the tenant's "
        "webhook as `health_report.created`.",
        answer=enqueued_after_commit(RequestEngagementHealthReportPayload.of, _announce_health),
    )
