"""Rows for job tests and the benchmark, written in bulk with Core inserts.

`seed_client(engine, tenant, processes=n)` writes one active client with n production
processes and everything the rules read: owners (one per 10 processes), accountable
assignments (every 7th process left orphaned), KPIs, reviews, a vendor agreement with
a clause gap, a change plan with an overdue milestone, open incidents and assessments.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncEngine

from tenants import models as m
from tenants.registry import TenantRef
from tenants.session import tenant_session

TODAY = datetime.now(UTC).date()


@dataclass
class Seeded:
    client_id: uuid.UUID
    process_ids: list[uuid.UUID] = field(default_factory=list)
    owner_ids: list[uuid.UUID] = field(default_factory=list)
    orphaned_ids: list[uuid.UUID] = field(default_factory=list)


def _boundaries(i: int) -> dict[str, Any]:
    return {
        "steps": [{"name": f"step {i}", "ai_role": "classify", "description": None}],
        "upstream": ["intake"],
        "downstream": ["ledger"],
        "data_inputs": ["invoices"],
        "outputs": ["postings"],
    }


def _accountable(owner_id: uuid.UUID, process_id: uuid.UUID, *, days_ago: int) -> dict[str, Any]:
    """An accountable assignment with every responsibility, begun `days_ago` days ago."""
    return {
        "owner_id": owner_id,
        "process_id": process_id,
        "raci_role": m.RaciRole.ACCOUNTABLE,
        "responsibilities": [r.value for r in m.Responsibility],
        "hours_per_week": 2,
        "starts_on": TODAY - timedelta(days=days_ago),
        "version": 1,
    }


async def seed_client(
    engine: AsyncEngine,
    tenant: TenantRef,
    *,
    processes: int = 10,
    name: str = "Northwind Retail",
    status: m.EngagementStatus = m.EngagementStatus.ACTIVE,
    orphan_every: int = 7,
) -> Seeded:
    client_id = uuid.uuid4()
    seeded = Seeded(client_id)
    owners = max(1, processes // 10)
    seeded.owner_ids = [uuid.uuid4() for _ in range(owners)]
    seeded.process_ids = [uuid.uuid4() for _ in range(processes)]
    tiers = list(m.RiskTier)
    async with tenant_session(engine, tenant) as db:
        await db.execute(
            insert(m.ClientOrganisation).values(
                id=client_id, name=name, engagement_status=status, version=1
            )
        )
        await db.execute(
            insert(m.Owner),
            [
                {
                    "id": oid,
                    "client_id": client_id,
                    "name": f"Owner {i}",
                    "decision_authority": m.DecisionAuthority.FULL,
                    "version": 1,
                }
                for i, oid in enumerate(seeded.owner_ids)
            ],
        )
        if not processes:
            return seeded
        await db.execute(
            insert(m.AIProcess),
            [
                {
                    "id": pid,
                    "client_id": client_id,
                    "name": f"Process {i}",
                    "purpose": f"invoice matching {i % 13}",
                    "business_unit": f"Unit {i % 5}",
                    "lifecycle_stage": m.LifecycleStage.PRODUCTION,
                    "risk_tier": tiers[i % 4],
                    "boundaries": _boundaries(i),
                    "checkpoints": [{"name": "review", "stage": "post", "reviewer_role": "lead"}]
                    if i % 3
                    else [],
                    "escalation_path": [{"level": 1, "trigger": "error", "contact": "ops"}],
                    "tools": [{"name": f"Tool {i % 9}", "vendor": "Acme AI", "purpose": "ocr"}],
                    "version": 1,
                }
                for i, pid in enumerate(seeded.process_ids)
            ],
        )
        assignments = []
        for i, pid in enumerate(seeded.process_ids):
            if orphan_every and i % orphan_every == 0:
                seeded.orphaned_ids.append(pid)
                continue
            assignments.append(_accountable(seeded.owner_ids[i % owners], pid, days_ago=100))
        if assignments:
            await db.execute(insert(m.OwnershipAssignment), assignments)
        await db.execute(
            insert(m.ProcessKpi),
            [
                {"process_id": pid, "name": "accuracy", "target": 95 if i % 2 else None}
                | {"version": 1}
                for i, pid in enumerate(seeded.process_ids)
            ],
        )
        await db.execute(
            insert(m.ProcessReview),
            [
                {
                    "process_id": pid,
                    "reviewed_on": TODAY - timedelta(days=10 if i % 4 else 200),
                    "reviewer": "Lead",
                    "summary": "ok",
                    "outcome": m.ReviewOutcome.ON_TRACK,
                    "version": 1,
                }
                for i, pid in enumerate(seeded.process_ids)
            ],
        )
        incidents = [
            {
                "process_id": pid,
                "title": "Mismatch",
                "severity": m.IncidentSeverity.HIGH,
                "status": m.IncidentStatus.OPEN,
                "occurred_at": datetime.now(UTC) - timedelta(days=2),
                "version": 1,
            }
            for pid in seeded.process_ids[::50]
        ]
        await db.execute(insert(m.Incident), incidents)
        agreement = uuid.uuid4()
        await db.execute(
            insert(m.VendorAgreement).values(
                id=agreement,
                client_id=client_id,
                vendor="Acme AI",
                ends_on=TODAY + timedelta(days=30),
                monitoring_party=m.ResponsibleParty.VENDOR,
                version=1,
            )
        )
        await db.execute(
            insert(m.VendorAgreementProcess),
            [{"agreement_id": agreement, "process_id": p} for p in seeded.process_ids[::2]],
        )
        plan = uuid.uuid4()
        await db.execute(
            insert(m.ChangePlan).values(
                id=plan,
                client_id=client_id,
                objective="Adopt ownership",
                status=m.ChangePlanStatus.ACTIVE,
                version=1,
            )
        )
        await db.execute(
            insert(m.Milestone).values(
                plan_id=plan, title="Train owners", due_on=TODAY - timedelta(days=3), version=1
            )
        )
    return seeded


async def set_accountable(
    engine: AsyncEngine, tenant: TenantRef, *, owner_id: uuid.UUID, process_ids: list[uuid.UUID]
) -> None:
    """Give processes an accountable owner (fixes their OWN-001 finding)."""
    async with tenant_session(engine, tenant) as db:
        await db.execute(
            insert(m.OwnershipAssignment),
            [_accountable(owner_id, pid, days_ago=1) for pid in process_ids],
        )


async def queue_report(
    engine: AsyncEngine, tenant: TenantRef, client_id: uuid.UUID, **values: Any
) -> uuid.UUID:
    """A readiness report row as the mutation writes it (QUEUED), or with `values`."""
    report_id = uuid.uuid4()
    async with tenant_session(engine, tenant) as db:
        await db.execute(
            insert(m.ReadinessReport).values(
                id=report_id,
                client_id=client_id,
                status=values.pop("status", m.ReportStatus.QUEUED),
                requested_by="test",
                pillar_scores={},
                findings=[],
                attempts=values.pop("attempts", 0),
                version=1,
                **values,
            )
        )
    return report_id


async def seed_queued_report(
    engine: AsyncEngine, tenant: TenantRef, *, processes: int, **values: Any
) -> tuple[Seeded, uuid.UUID]:
    """A client seeded with `processes` processes and a readiness report queued for it
    (`values` as for `queue_report`): what every report job test starts from."""
    seeded = await seed_client(engine, tenant, processes=processes)
    return seeded, await queue_report(engine, tenant, seeded.client_id, **values)


async def report_row(engine: AsyncEngine, tenant: TenantRef, report_id: uuid.UUID) -> Any:
    from sqlalchemy import select
    from sqlalchemy.orm import undefer

    async with tenant_session(engine, tenant) as db:
        return await db.scalar(
            select(m.ReadinessReport)
            .where(m.ReadinessReport.id == report_id)
            .options(undefer(m.ReadinessReport.html), undefer(m.ReadinessReport.pdf))
        )


def period_monday(day: date) -> date:
    return day - timedelta(days=day.weekday())
