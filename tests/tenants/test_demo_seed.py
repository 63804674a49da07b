"""The demo seed: a believable engagement with the gaps the readiness rules look for."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession
from sqlalchemy.orm import selectinload

from tenants.base import TenantBase
from tenants.demo_seed import DEMO_ACTOR, seed_demo
from tenants.models import (
    AIProcess,
    AuditEvent,
    CapabilityAssessment,
    CapabilityDimension,
    ChangePlan,
    ClientOrganisation,
    DecisionAuthority,
    Incident,
    IncidentSeverity,
    IncidentStatus,
    LifecycleStage,
    Milestone,
    MilestoneStatus,
    Owner,
    OwnershipAssignment,
    ProcessKpi,
    RaciRole,
    RiskTier,
    VendorAgreement,
    VendorAgreementProcess,
)
from tenants.provisioning import create_tenant
from tenants.registry import TenantRef
from tenants.services.assessments import capability_gaps
from tenants.services.assignments import hours_by_owner
from tenants.services.audit import SYSTEM
from tenants.services.change_plans import overdue_by_plan
from tenants.services.processes import orphaned_by_process
from tenants.services.vendors import missing_clauses
from tenants.session import tenant_session
from tests.support import unique_slug


async def _count(session: AsyncSession, model: type[TenantBase]) -> int:
    return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def test_demo_seed_builds_an_engagement_with_deliberate_gaps(engine: AsyncEngine) -> None:
    ref = await create_tenant(engine, slug=unique_slug(), name="Demo", after_migrate=seed_demo)
    today = date.today()
    async with tenant_session(engine, ref) as s:
        clients = list(await s.scalars(select(ClientOrganisation)))
        processes = list(await s.scalars(select(AIProcess)))
        owners = list(await s.scalars(select(Owner)))
        assignments = list(await s.scalars(select(OwnershipAssignment)))

        assert len(clients) >= 3
        assert {"Northwind Insurance", "Harbor Retail", "Meridian Logistics"} <= {
            c.name for c in clients
        }
        assert len(processes) >= 30
        assert {p.lifecycle_stage for p in processes} == set(LifecycleStage)
        assert {p.risk_tier for p in processes} == set(RiskTier)
        assert all(p.parsed_boundaries().documented for p in processes if p.is_live)

        # Orphaned: live and no current accountable owner.
        orphaned = await orphaned_by_process(s, processes=processes)
        assert sum(orphaned.values()) >= 2
        # High-impact processes: some have checkpoints, some do not (oversight findings).
        high_impact = (RiskTier.HIGH, RiskTier.CRITICAL)
        high = [p for p in processes if p.is_live and p.risk_tier in high_impact]
        assert any(p.checkpoints for p in high) and any(not p.checkpoints for p in high)

        # Capacity: one owner over 20 h/week; some owners advisory only.
        hours = await hours_by_owner(s, owner_ids=[o.id for o in owners])
        assert max(hours.values()) > Decimal(20)
        assert any(o.decision_authority is DecisionAuthority.ADVISORY for o in owners)
        assert {a.raci_role for a in assignments} == set(RaciRole)

        # History: an ended accountable assignment handed over to a successor on that day.
        ended = [
            a for a in assignments if a.raci_role is RaciRole.ACCOUNTABLE and a.ends_on is not None
        ]
        handed_over = [
            a
            for a in ended
            if any(
                b.process_id == a.process_id
                and b.raci_role is RaciRole.ACCOUNTABLE
                and b.ends_on is None
                and b.starts_on == a.ends_on
                for b in assignments
            )
        ]
        assert handed_over
        assert any(o.archived_at is not None for o in owners)

        # Capability: the three defaults, gaps below the bar, an owner never assessed.
        keys = set(await s.scalars(select(CapabilityDimension.key)))
        assert keys == {"ai_fundamentals", "data_interpretation", "operational_management"}
        assert await _count(s, CapabilityAssessment) > 0
        # (Not services.assessments.gaps_by_owner: its `.distinct(col)` is deprecated in
        # SQLAlchemy 2.1 and the suite turns warnings into errors.)
        latest: dict[uuid.UUID, CapabilityAssessment] = {}
        for a in await s.scalars(
            select(CapabilityAssessment)
            .options(selectinload(CapabilityAssessment.scores))
            .order_by(CapabilityAssessment.assessed_on)
        ):
            latest[a.owner_id] = a
        dims = list(await s.scalars(select(CapabilityDimension)))
        assert any(
            capability_gaps(dims, {sc.dimension_id: sc.score for sc in a.scores})
            for a in latest.values()
        )
        assessed = set(await s.scalars(select(CapabilityAssessment.owner_id)))
        assert any(o.id not in assessed for o in owners if o.archived_at is None)

        # Change management: an overdue milestone and a completed one.
        plan_ids = list(await s.scalars(select(ChangePlan.id)))
        overdue = await overdue_by_plan(s, plan_ids=plan_ids, today=today)
        assert any(overdue.values())
        statuses = set(await s.scalars(select(Milestone.status)))
        assert MilestoneStatus.COMPLETED in statuses

        # Vendor agreements: missing clauses, one expiring within 60 days, processes covered.
        agreements = list(await s.scalars(select(VendorAgreement)))
        assert any(missing_clauses(a) for a in agreements)
        assert any("incident_response" in missing_clauses(a) for a in agreements)
        assert any(
            a.ends_on is not None and today <= a.ends_on <= today + timedelta(days=60)
            for a in agreements
        )
        assert await _count(s, VendorAgreementProcess) > 0

        # Feedback loops: recent and stale reviews, KPIs with and without targets.
        live = [p for p in processes if p.is_live]
        recent = today - timedelta(days=90)
        reviewed = [p.last_reviewed_at.date() for p in live if p.last_reviewed_at is not None]
        assert any(d >= recent for d in reviewed) and any(d < recent for d in reviewed)
        assert any(p.last_reviewed_at is None for p in live)
        targets = list(await s.scalars(select(ProcessKpi.target)))
        assert any(t is not None for t in targets) and any(t is None for t in targets)

        incidents = list(await s.scalars(select(Incident)))
        assert any(
            i.severity in (IncidentSeverity.HIGH, IncidentSeverity.CRITICAL)
            and i.status is IncidentStatus.OPEN
            for i in incidents
        )
        assert any(i.status is IncidentStatus.RESOLVED for i in incidents)

        # Everything went through the services: audited as the demo seed, apart from
        # the default capability dimensions that provisioning gives every tenant.
        actors = set(await s.scalars(select(AuditEvent.actor).distinct()))
        assert actors == {DEMO_ACTOR.label, SYSTEM.label}
        by_system = await s.scalars(
            select(AuditEvent.object_type).where(AuditEvent.actor == SYSTEM.label)
        )
        assert list(by_system) == ["CapabilityDimension"] * 3
        assert await _count(s, AuditEvent) > len(processes) + len(assignments)


async def test_seed_is_relative_to_today_and_restores_the_login_role(engine: AsyncEngine) -> None:
    fixed = date.today() - timedelta(days=400)
    roles: list[tuple[str, str]] = []

    async def seed_then_check_role(conn: AsyncConnection, ref: TenantRef) -> None:
        await seed_demo(conn, ref, today=fixed)
        row = (await conn.execute(text("SELECT current_user, session_user"))).one()
        roles.append((row[0], row[1]))

    ref = await create_tenant(
        engine, slug=unique_slug(), name="Demo", after_migrate=seed_then_check_role
    )
    assert roles and roles[0][0] == roles[0][1]

    async with tenant_session(engine, ref) as s:
        plan_ids = list(await s.scalars(select(ChangePlan.id)))
        overdue = await overdue_by_plan(s, plan_ids=plan_ids, today=fixed)
        assert any(overdue.values())
        ends = [a.ends_on for a in await s.scalars(select(VendorAgreement))]
        assert any(e is not None and fixed <= e <= fixed + timedelta(days=60) for e in ends)
        assessed = [a.assessed_on for a in await s.scalars(select(CapabilityAssessment))]
        assert max(assessed) <= fixed
