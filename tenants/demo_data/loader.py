"""Writes a `ClientSpec` through the domain services, so demo data obeys every rule.

Nothing here inserts rows itself: each object goes through the service a GraphQL
mutation would call, which validates it and records its AuditEvent.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tenants.demo_data.spec import ClientSpec, ProcessSpec
from tenants.models import Boundaries, CapabilityDimension, IncidentStatus, Owner
from tenants.services.assessments import (
    ScoreInput,
    ensure_default_dimensions,
    record_assessment,
)
from tenants.services.assignments import assign_owner, end_assignment, hand_over_accountability
from tenants.services.audit import Actor
from tenants.services.change_plans import add_milestone, create_change_plan
from tenants.services.clients import create_client
from tenants.services.feedback import record_process_review, report_incident, update_incident
from tenants.services.kpis import add_kpi
from tenants.services.owners import archive_owner, create_owner
from tenants.services.processes import create_process
from tenants.services.vendors import create_vendor_agreement

# Events on a day happen mid-morning UTC; every timestamp is at least two days back,
# so it is in the past whatever the local time zone of "today".
_AT = time(9, 30)
_LATEST_TIMESTAMP_OFFSET = -2


@dataclass(frozen=True, slots=True)
class SeedContext:
    session: AsyncSession
    actor: Actor
    today: date

    def day(self, offset: int) -> date:
        return self.today + timedelta(days=offset)

    def moment(self, offset: int) -> datetime:
        if offset > _LATEST_TIMESTAMP_OFFSET:
            raise ValueError("demo timestamps must be at least two days before today")
        return datetime.combine(self.day(offset), _AT, tzinfo=UTC)


async def dimensions_by_key(ctx: SeedContext) -> dict[str, uuid.UUID]:
    """The default capability dimensions (created when missing), by key."""
    await ensure_default_dimensions(ctx.session, actor=ctx.actor)
    dimensions = await ctx.session.scalars(select(CapabilityDimension))
    return {d.key: d.id for d in dimensions}


async def _create_process(ctx: SeedContext, client_id: uuid.UUID, spec: ProcessSpec) -> uuid.UUID:
    process = await create_process(
        ctx.session,
        actor=ctx.actor,
        client_id=client_id,
        name=spec.name,
        purpose=spec.purpose,
        business_unit=spec.business_unit,
        lifecycle_stage=spec.stage,
        risk_tier=spec.tier,
        boundaries=Boundaries(
            steps=list(spec.steps),
            upstream=list(spec.upstream),
            downstream=list(spec.downstream),
            data_inputs=list(spec.inputs),
            outputs=list(spec.outputs),
        ),
        checkpoints=spec.checkpoints,
        escalation_path=spec.escalation,
        tools=spec.tools,
    )
    for kpi in spec.kpis:
        await add_kpi(
            ctx.session,
            actor=ctx.actor,
            process_id=process.id,
            name=kpi.name,
            unit=kpi.unit,
            target=None if kpi.target is None else Decimal(kpi.target),
            direction=kpi.direction,
            latest_value=None if kpi.latest is None else Decimal(kpi.latest),
            measured_at=None if kpi.latest is None else ctx.moment(kpi.measured),
        )
    return process.id


def _day_or_none(ctx: SeedContext, offset: int | None) -> date | None:
    return None if offset is None else ctx.day(offset)


async def load_client(
    ctx: SeedContext, spec: ClientSpec, dimensions: dict[str, uuid.UUID]
) -> uuid.UUID:
    """Create one client organisation and everything of its engagement; returns its id.

    The order matters: owners and processes first (everything else refers to them),
    leavers archived only after their handovers, reviews and incidents last.
    """
    client = await create_client(
        ctx.session,
        actor=ctx.actor,
        name=spec.name,
        industry=spec.industry,
        size=spec.size,
        region=spec.region,
        engagement_status=spec.status,
        engagement_start=ctx.day(spec.engagement_start),
        engagement_end=_day_or_none(ctx, spec.engagement_end),
        lead_consultant=spec.lead_consultant,
    )
    owners = await _load_owners(ctx, spec, client.id)
    processes = {p.key: await _create_process(ctx, client.id, p) for p in spec.processes}
    ids = {o.key: owner.id for o, owner in zip(spec.owners, owners, strict=True)}
    await _load_assignments(ctx, spec, processes, ids)
    for o, owner in zip(spec.owners, owners, strict=True):
        if o.leaves:
            await archive_owner(
                ctx.session, actor=ctx.actor, owner_id=owner.id, expected_version=owner.version
            )
    await _load_assessments(ctx, spec, ids, dimensions)
    await _load_plans(ctx, spec, client.id, processes)
    await _load_agreements(ctx, spec, client.id, processes)
    await _load_reviews(ctx, spec, processes)
    await _load_incidents(ctx, spec, processes)
    return client.id


async def _load_owners(ctx: SeedContext, spec: ClientSpec, client_id: uuid.UUID) -> list[Owner]:
    return [
        await create_owner(
            ctx.session,
            actor=ctx.actor,
            client_id=client_id,
            name=o.name,
            email=o.email,
            title=o.title,
            business_unit=o.business_unit,
            decision_authority=o.authority,
        )
        for o in spec.owners
    ]


async def _load_assignments(
    ctx: SeedContext,
    spec: ClientSpec,
    processes: dict[str, uuid.UUID],
    owners: dict[str, uuid.UUID],
) -> None:
    s, actor = ctx.session, ctx.actor
    for a in spec.assignments:
        assignment = await assign_owner(
            s,
            actor=actor,
            process_id=processes[a.process],
            owner_id=owners[a.owner],
            raci_role=a.role,
            responsibilities=list(a.duties),
            hours_per_week=Decimal(a.hours),
            starts_on=ctx.day(a.start),
        )
        if a.end is not None:
            await end_assignment(
                s,
                actor=actor,
                assignment_id=assignment.id,
                expected_version=assignment.version,
                ends_on=ctx.day(a.end),
            )
    for h in spec.handovers:
        await hand_over_accountability(
            s,
            actor=actor,
            process_id=processes[h.process],
            to_owner_id=owners[h.to_owner],
            on=ctx.day(h.on),
            responsibilities=list(h.duties),
            hours_per_week=Decimal(h.hours),
        )


async def _load_assessments(
    ctx: SeedContext,
    spec: ClientSpec,
    owners: dict[str, uuid.UUID],
    dimensions: dict[str, uuid.UUID],
) -> None:
    for asmt in spec.assessments:
        await record_assessment(
            ctx.session,
            actor=ctx.actor,
            owner_id=owners[asmt.owner],
            assessed_on=ctx.day(asmt.on),
            assessor=asmt.assessor,
            scores=[ScoreInput(dimensions[key], score) for key, score in asmt.scores],
            notes=asmt.notes,
            training_recommendations=asmt.training,
            today=ctx.today,
        )


async def _load_plans(
    ctx: SeedContext, spec: ClientSpec, client_id: uuid.UUID, processes: dict[str, uuid.UUID]
) -> None:
    s, actor = ctx.session, ctx.actor
    for plan in spec.plans:
        created = await create_change_plan(
            s,
            actor=actor,
            client_id=client_id,
            objective=plan.objective,
            process_id=None if plan.process is None else processes[plan.process],
            stakeholders=plan.stakeholders,
            communication_plan=plan.communication,
            readiness=plan.readiness,
            status=plan.status,
            due_on=_day_or_none(ctx, plan.due),
        )
        for m in plan.milestones:
            await add_milestone(
                s,
                actor=actor,
                plan_id=created.id,
                title=m.title,
                due_on=_day_or_none(ctx, m.due),
                status=m.status,
                completed_on=_day_or_none(ctx, m.completed),
                today=ctx.today,
            )


async def _load_agreements(
    ctx: SeedContext, spec: ClientSpec, client_id: uuid.UUID, processes: dict[str, uuid.UUID]
) -> None:
    for ag in spec.agreements:
        await create_vendor_agreement(
            ctx.session,
            actor=ctx.actor,
            client_id=client_id,
            vendor=ag.vendor,
            product=ag.product,
            starts_on=_day_or_none(ctx, ag.starts),
            ends_on=_day_or_none(ctx, ag.ends),
            renewal_on=_day_or_none(ctx, ag.renewal),
            auto_renews=ag.auto_renews,
            monitoring=ag.monitoring,
            incident_response=ag.incident_response,
            incident_response_hours=ag.incident_hours,
            updates=ag.updates,
            data_governance=ag.data_governance,
            process_ids=[processes[k] for k in ag.processes],
        )


async def _load_reviews(
    ctx: SeedContext, spec: ClientSpec, processes: dict[str, uuid.UUID]
) -> None:
    for r in spec.reviews:
        await record_process_review(
            ctx.session,
            actor=ctx.actor,
            process_id=processes[r.process],
            reviewed_on=ctx.day(r.on),
            reviewer=r.reviewer,
            summary=r.summary,
            outcome=r.outcome,
            today=ctx.today,
        )


async def _load_incidents(
    ctx: SeedContext, spec: ClientSpec, processes: dict[str, uuid.UUID]
) -> None:
    for inc in spec.incidents:
        incident = await report_incident(
            ctx.session,
            actor=ctx.actor,
            process_id=processes[inc.process],
            title=inc.title,
            severity=inc.severity,
            occurred_at=ctx.moment(inc.occurred),
            description=inc.description,
            escalation_level=inc.escalation_level,
        )
        if inc.status is not IncidentStatus.OPEN:
            await update_incident(
                ctx.session,
                actor=ctx.actor,
                incident_id=incident.id,
                expected_version=incident.version,
                status=inc.status,
                resolved_at=None if inc.resolved is None else ctx.moment(inc.resolved),
            )
