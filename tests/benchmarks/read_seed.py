"""Workload W1 rows for `bench_read`, written through Steward's own services.

Every row goes through the same service functions the mutations call
(`create_client`, `create_process`, `create_owner`, `assign_owner`,
`record_assessment`), so validation, defaults and audit events are what the API
would have left. That is slower than Core inserts (tests/jobs/seed.py), so only
what the rounds read is seeded in full:

* one *measured* client per process count N (5, 50, 100), each with N processes
  (every one with a current accountable owner), 30 owners and 3 capability
  assessments per owner (a score per default dimension);
* *filler* clients up to `CLIENTS` in all, each with `FILLER_PROCESSES` processes
  and 30 owners with 3 assessments each, so the tables the query reads hold other
  clients' rows too (the query must find its client's rows, not all rows).
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from tenants import models as m
from tenants.registry import TenantRef
from tenants.services.assessments import ScoreInput, record_assessment
from tenants.services.assignments import assign_owner
from tenants.services.audit import Actor, AuditActorKind
from tenants.services.clients import create_client
from tenants.services.owners import create_owner
from tenants.services.processes import create_process
from tenants.session import tenant_session

CLIENTS = 20
OWNERS_PER_CLIENT = 30
ASSESSMENTS_PER_OWNER = 3
FILLER_PROCESSES = 5
ACTOR = Actor("bench-read seed", AuditActorKind.SYSTEM)
TITLES = ("Head of Claims", "Finance Operations Lead", "Service Manager", "Category Manager")
STAGES = (m.LifecycleStage.PRODUCTION, m.LifecycleStage.PILOT, m.LifecycleStage.IDEA)


@dataclass
class SeededClient:
    client_id: uuid.UUID
    name: str
    processes: int


@dataclass
class Seeded:
    measured: dict[int, SeededClient] = field(default_factory=dict)
    fillers: list[SeededClient] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    def describe(self) -> str:
        sizes = ", ".join(f"N={n}" for n in self.measured)
        counts = ", ".join(f"{v} {k}" for k, v in self.rows.items())
        return (
            f"{len(self.measured) + len(self.fillers)} clients through the services in "
            f"{self.seconds:.1f} s: one measured client per {sizes} and {len(self.fillers)} "
            f"filler clients of {FILLER_PROCESSES} processes ({counts}); every client has "
            f"{OWNERS_PER_CLIENT} owners with {ASSESSMENTS_PER_OWNER} assessments each"
        )


async def seed_client(
    engine: AsyncEngine,
    tenant: TenantRef,
    *,
    name: str,
    processes: int,
    today: date,
    rows: dict[str, int],
    owners_per_client: int = OWNERS_PER_CLIENT,
    assessments_per_owner: int = ASSESSMENTS_PER_OWNER,
) -> SeededClient:
    """One client in one transaction (one tenant session), all through the services."""
    async with tenant_session(engine, tenant) as db:
        dimensions = list(
            await db.scalars(
                select(m.CapabilityDimension.id).order_by(
                    m.CapabilityDimension.position, m.CapabilityDimension.key
                )
            )
        )
        client = await create_client(
            db,
            actor=ACTOR,
            name=name,
            industry="Insurance",
            engagement_status=m.EngagementStatus.ACTIVE,
            engagement_start=today - timedelta(days=90),
        )
        owners = []
        for i in range(owners_per_client):
            owner = await create_owner(
                db,
                actor=ACTOR,
                client_id=client.id,
                name=f"Owner {i:02d} of {name}",
                title=TITLES[i % len(TITLES)] if i % 5 else None,  # some titles are null
                decision_authority=m.DecisionAuthority.FULL,
            )
            owners.append(owner)
            for k in range(assessments_per_owner):
                await record_assessment(
                    db,
                    actor=ACTOR,
                    owner_id=owner.id,
                    assessed_on=today - timedelta(days=30 * (assessments_per_owner - k)),
                    assessor="Lead consultant",
                    scores=[
                        ScoreInput(dimension_id=d, score=1 + (i + j + k) % 5)
                        for j, d in enumerate(dimensions)
                    ],
                )
        tiers = list(m.RiskTier)
        for p in range(processes):
            process = await create_process(
                db,
                actor=ACTOR,
                client_id=client.id,
                name=f"Process {p:03d}",
                purpose="invoice matching",
                business_unit=f"Unit {p % 5}",
                lifecycle_stage=STAGES[p % len(STAGES)],
                risk_tier=tiers[p % len(tiers)],
            )
            await assign_owner(
                db,
                actor=ACTOR,
                process_id=process.id,
                owner_id=owners[p % len(owners)].id,
                raci_role=m.RaciRole.ACCOUNTABLE,
                responsibilities=list(m.Responsibility),
                hours_per_week=Decimal("2"),
                starts_on=today - timedelta(days=10),
            )
    rows["clients"] = rows.get("clients", 0) + 1
    rows["processes"] = rows.get("processes", 0) + processes
    rows["owners"] = rows.get("owners", 0) + owners_per_client
    rows["assessments"] = rows.get("assessments", 0) + owners_per_client * assessments_per_owner
    return SeededClient(client.id, name, processes)


async def seed_w1(engine: AsyncEngine, tenant: TenantRef, sizes: tuple[int, ...]) -> Seeded:
    """The measured clients (one per size) interleaved with filler clients."""
    started = time.perf_counter()
    today = date.today()
    seeded = Seeded()
    fillers = max(0, CLIENTS - len(sizes))

    async def measure(n: int) -> None:
        seeded.measured[n] = await seed_client(
            engine,
            tenant,
            name=f"Measured client N={n}",
            processes=n,
            today=today,
            rows=seeded.rows,
        )

    for i in range(fillers):
        if i < len(sizes):  # measured clients sit between fillers, not at one end
            await measure(sizes[i])
        seeded.fillers.append(
            await seed_client(
                engine,
                tenant,
                name=f"Filler client {i:02d}",
                processes=FILLER_PROCESSES,
                today=today,
                rows=seeded.rows,
            )
        )
    for n in sizes:
        if n not in seeded.measured:
            await measure(n)
    seeded.seconds = time.perf_counter() - started
    return seeded
