"""Load a `ClientSnapshot` for one client with a fixed number of SQL statements.

Fourteen SELECTs, one per collection, each filtered by the client id, whatever the
client's size (`STATEMENTS`; the benchmark and a test check it). Archived processes are
left out entirely (they are neither live nor judged); of reviews only the latest per
process is read, of assessments only the latest per owner, and of incidents only the
unresolved ones: that is all any rule or the health report looks at, and it keeps the
rows read proportional to the client's processes and owners, not to its history.

The database and the snapshot differ in two conventions, translated here:
an assignment's `ends_on` is exclusive in the database and inclusive in the snapshot,
and a finished milestone is `completed` in the database and `done` in the snapshot.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import date, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, func, literal_column, select
from sqlalchemy.dialects.postgresql import distinct_on
from sqlalchemy.ext.asyncio import AsyncSession

from jobs.readiness.snapshot import (
    AssessmentSnap,
    AssignmentSnap,
    ChangePlanSnap,
    ClientSnapshot,
    DimensionSnap,
    IncidentSnap,
    KpiSnap,
    MilestoneSnap,
    OwnerSnap,
    ProcessSnap,
    RegulatorySnap,
    ReviewSnap,
    ToolSnap,
    VendorAgreementSnap,
)
from tenants import models as m

STATEMENTS = 14
_EMPTY: ColumnElement[Any] = literal_column("'[]'::jsonb")


def _count(doc: Any, key: str | None = None) -> ColumnElement[int]:
    value = doc[key] if key is not None else doc
    return func.coalesce(func.jsonb_array_length(func.coalesce(value, _EMPTY)), 0)


def _process_ids(client_id: uuid.UUID) -> Select[uuid.UUID]:
    return select(m.AIProcess.id).where(
        m.AIProcess.client_id == client_id, m.AIProcess.archived_at.is_(None)
    )


def _tools(raw: Any) -> tuple[ToolSnap, ...]:
    out = []
    for t in raw or ():
        if isinstance(t, dict) and t.get("name"):
            out.append(ToolSnap(str(t["name"]), t.get("vendor") or None, t.get("purpose") or ""))
    return tuple(out)


async def _processes(db: AsyncSession, client_id: uuid.UUID) -> tuple[ProcessSnap, ...]:
    p = m.AIProcess
    stmt = (
        select(
            p.id,
            p.name,
            p.purpose,
            p.business_unit,
            p.lifecycle_stage,
            p.risk_tier,
            _count(p.boundaries, "steps"),
            _count(p.boundaries, "upstream"),
            _count(p.boundaries, "downstream"),
            _count(p.boundaries, "data_inputs"),
            _count(p.boundaries, "outputs"),
            _count(p.checkpoints),
            _count(p.escalation_path),
            p.tools,
            p.last_reviewed_at,
        )
        .where(p.client_id == client_id, p.archived_at.is_(None))
        .order_by(p.created_at, p.id)
    )
    return tuple(
        ProcessSnap(
            id=r[0],
            name=r[1],
            purpose=r[2] or "",
            business_unit=r[3] or "",
            lifecycle_stage=r[4].value,
            risk_tier=r[5].value,
            step_count=r[6],
            upstream_count=r[7],
            downstream_count=r[8],
            data_input_count=r[9],
            output_count=r[10],
            checkpoint_count=r[11],
            escalation_level_count=r[12],
            tools=_tools(r[13]),
            last_reviewed_at=r[14].date() if r[14] else None,
        )
        for r in (await db.execute(stmt))
    )


async def _owners(db: AsyncSession, client_id: uuid.UUID) -> tuple[OwnerSnap, ...]:
    o = m.Owner
    stmt = select(o.id, o.name, o.title, o.business_unit, o.decision_authority).where(
        o.client_id == client_id
    )
    return tuple(
        OwnerSnap(r[0], r[1], r[2] or "", r[3] or "", r[4].value)
        for r in (await db.execute(stmt.order_by(o.id)))
    )


async def _assignments(db: AsyncSession, client_id: uuid.UUID) -> tuple[AssignmentSnap, ...]:
    a = m.OwnershipAssignment
    stmt = select(
        a.id,
        a.owner_id,
        a.process_id,
        a.raci_role,
        a.starts_on,
        a.ends_on,
        a.hours_per_week,
        a.responsibilities,
    ).where(a.process_id.in_(_process_ids(client_id)))
    return tuple(
        AssignmentSnap(
            id=r[0],
            owner_id=r[1],
            process_id=r[2],
            raci_role=r[3].value,
            starts_on=r[4],
            # exclusive in the database, inclusive in the snapshot
            ends_on=r[5] - timedelta(days=1) if r[5] else None,
            hours_per_week=float(r[6]),
            responsibilities=frozenset(r[7] or ()),
        )
        for r in (await db.execute(stmt.order_by(a.id)))
    )


async def _assessments(db: AsyncSession, client_id: uuid.UUID) -> tuple[AssessmentSnap, ...]:
    ca = m.CapabilityAssessment
    latest = (
        select(ca.id, ca.owner_id, ca.assessed_on)
        .join(m.Owner, m.Owner.id == ca.owner_id)
        .where(m.Owner.client_id == client_id)
        .ext(distinct_on(ca.owner_id))
        .order_by(ca.owner_id, ca.assessed_on.desc(), ca.created_at.desc(), ca.id.desc())
        .subquery()
    )
    s, d = m.CapabilityScore, m.CapabilityDimension
    stmt = (
        select(latest.c.id, latest.c.owner_id, latest.c.assessed_on, d.key, s.score)
        .outerjoin(s, s.assessment_id == latest.c.id)
        .outerjoin(d, d.id == s.dimension_id)
        .order_by(latest.c.owner_id)
    )
    heads: dict[uuid.UUID, tuple[uuid.UUID, date]] = {}
    scores: dict[uuid.UUID, dict[str, int]] = defaultdict(dict)
    for aid, owner_id, on, key, score in await db.execute(stmt):
        heads[aid] = (owner_id, on)
        if key is not None:
            scores[aid][key] = int(score)
    return tuple(AssessmentSnap(aid, o, on, scores.get(aid, {})) for aid, (o, on) in heads.items())


async def _dimensions(db: AsyncSession) -> tuple[DimensionSnap, ...]:
    d = m.CapabilityDimension
    stmt = select(d.key, d.name, d.bar).order_by(d.position, d.key)
    return tuple(DimensionSnap(*r) for r in (await db.execute(stmt)))


_MILESTONE = {"completed": "done"}


async def _change_plans(db: AsyncSession, client_id: uuid.UUID) -> tuple[ChangePlanSnap, ...]:
    cp, ms = m.ChangePlan, m.Milestone
    plans = await db.execute(
        select(cp.id, cp.objective, cp.status, cp.process_id)
        .where(cp.client_id == client_id)
        .order_by(cp.created_at, cp.id)
    )
    rows = await db.execute(
        select(ms.plan_id, ms.id, ms.title, ms.due_on, ms.status)
        .join(cp, cp.id == ms.plan_id)
        .where(cp.client_id == client_id, ms.due_on.is_not(None))
        .order_by(ms.plan_id, ms.position, ms.id)
    )
    by_plan: dict[uuid.UUID, list[MilestoneSnap]] = defaultdict(list)
    for plan_id, mid, title, due_on, status in rows:
        assert due_on is not None
        by_plan[plan_id].append(
            MilestoneSnap(mid, title, due_on, _MILESTONE.get(status.value, status.value))
        )
    return tuple(
        ChangePlanSnap(pid, objective, status.value, process_id, tuple(by_plan.get(pid, ())))
        for pid, objective, status, process_id in plans
    )


async def _agreements(db: AsyncSession, client_id: uuid.UUID) -> tuple[VendorAgreementSnap, ...]:
    va, vap = m.VendorAgreement, m.VendorAgreementProcess
    covered: dict[uuid.UUID, set[uuid.UUID]] = defaultdict(set)
    links = await db.execute(
        select(vap.agreement_id, vap.process_id)
        .join(va, va.id == vap.agreement_id)
        .where(va.client_id == client_id)
    )
    for agreement_id, process_id in links:
        covered[agreement_id].add(process_id)
    stmt = select(va).where(va.client_id == client_id).order_by(va.created_at, va.id)
    return tuple(
        VendorAgreementSnap(
            id=a.id,
            vendor=a.vendor,
            product=a.product or "",
            starts_on=a.starts_on,
            ends_on=a.ends_on,
            covered_process_ids=frozenset(covered.get(a.id, ())),
            monitoring_party=a.monitoring_party.value,
            incident_response_party=a.incident_response_party.value,
            updates_party=a.updates_party.value,
            data_governance_party=a.data_governance_party.value,
            incident_response_hours=(
                float(a.incident_response_hours) if a.incident_response_hours is not None else None
            ),
        )
        for a in await db.scalars(stmt)
    )


async def _reviews(db: AsyncSession, client_id: uuid.UUID) -> tuple[ReviewSnap, ...]:
    r = m.ProcessReview
    stmt = (
        select(r.id, r.process_id, r.reviewed_on)
        .where(r.process_id.in_(_process_ids(client_id)))
        .ext(distinct_on(r.process_id))
        .order_by(r.process_id, r.reviewed_on.desc(), r.id)
    )
    return tuple(ReviewSnap(*row) for row in (await db.execute(stmt)))


async def _incidents(db: AsyncSession, client_id: uuid.UUID) -> tuple[IncidentSnap, ...]:
    i = m.Incident
    stmt = (
        select(i.id, i.process_id, i.severity, i.status, i.occurred_at, i.escalation_level)
        .where(
            i.process_id.in_(_process_ids(client_id)),
            i.status.in_([m.IncidentStatus.OPEN, m.IncidentStatus.INVESTIGATING]),
        )
        .order_by(i.occurred_at, i.id)
    )
    return tuple(
        IncidentSnap(r[0], r[1], r[2].value, r[3].value, r[4].date(), r[5])
        for r in (await db.execute(stmt))
    )


async def _kpis(db: AsyncSession, client_id: uuid.UUID) -> tuple[KpiSnap, ...]:
    k = m.ProcessKpi
    stmt = (
        select(k.id, k.process_id, k.name, k.target)
        .where(k.process_id.in_(_process_ids(client_id)))
        .order_by(k.process_id, k.name)
    )
    return tuple(
        KpiSnap(r[0], r[1], r[2], float(r[3]) if r[3] is not None else None)
        for r in (await db.execute(stmt))
    )


async def _profiles(db: AsyncSession, client_id: uuid.UUID) -> tuple[RegulatorySnap, ...]:
    r = m.ProcessRegulatoryProfile
    stmt = (
        select(r.process_id, r.client_role, r.eu_ai_act_class, r.annex_iii_area)
        .where(r.process_id.in_(_process_ids(client_id)))
        .order_by(r.process_id)
    )
    return tuple(
        RegulatorySnap(row[0], row[1].value, row[2].value, row[3].value if row[3] else None)
        for row in (await db.execute(stmt))
    )


async def load_snapshot(
    db: AsyncSession, *, client_id: uuid.UUID, as_of: date
) -> ClientSnapshot | None:
    """The client's snapshot as of `as_of`, or None when the client does not exist."""
    client = (
        await db.execute(
            select(m.ClientOrganisation.id, m.ClientOrganisation.name).where(
                m.ClientOrganisation.id == client_id
            )
        )
    ).first()
    if client is None:
        return None
    return ClientSnapshot(
        client_id=client_id,
        client_name=client[1],
        as_of=as_of,
        processes=await _processes(db, client_id),
        owners=await _owners(db, client_id),
        assignments=await _assignments(db, client_id),
        assessments=await _assessments(db, client_id),
        dimensions=await _dimensions(db),
        change_plans=await _change_plans(db, client_id),
        vendor_agreements=await _agreements(db, client_id),
        reviews=await _reviews(db, client_id),
        incidents=await _incidents(db, client_id),
        kpis=await _kpis(db, client_id),
        regulatory_profiles=await _profiles(db, client_id),
    )
