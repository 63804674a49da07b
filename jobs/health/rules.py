"""The registered health signals (see jobs/health/registry.py and RULES.md)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from jobs.health.registry import HealthInput, Params, health_rule, names
from jobs.readiness import build_readiness
from jobs.readiness.frameworks import CoverageStatus, framework_coverage
from jobs.readiness.rules.capacity import MAX_OWNER_HOURS_PER_WEEK
from jobs.readiness.rules.feedback import REVIEW_MAX_AGE_DAYS

EXPIRY_WINDOW_DAYS = 60
DECLINE_POINTS = 5.0
LOW_SCORE = 50.0
HIGH_SEVERITIES = frozenset({"high", "critical"})


@health_rule("NOTHING_RECORDED", "amber")
def nothing_recorded(h: HealthInput) -> Params | None:
    # With no live process every other signal is silent: that is no evidence of health.
    return {} if not h.snapshot.live_processes else None


@health_rule("NO_READINESS_REPORT", "info")
def no_readiness_report(h: HealthInput) -> Params | None:
    return {} if not h.readiness_scores else None


@health_rule("READINESS_DECLINING", "amber")
def readiness_declining(h: HealthInput) -> Params | None:
    s = h.readiness_scores
    if len(s) > 1 and s[1] - s[0] >= DECLINE_POINTS:
        return {"previous": round(s[1]), "latest": round(s[0])}
    return None


@health_rule("READINESS_LOW", "amber")
def readiness_low(h: HealthInput) -> Params | None:
    s = h.readiness_scores
    return {"score": round(s[0]), "threshold": LOW_SCORE} if s and s[0] < LOW_SCORE else None


@health_rule("ORPHANED_PROCESSES", "red")
def orphaned_processes(h: HealthInput) -> Params | None:
    s = h.snapshot
    found = [p for p in s.live_processes if not s.accountable(p.id)]
    return names(found) if found else None


@health_rule("OPEN_HIGH_SEVERITY_INCIDENTS", "red")
def open_high_severity_incidents(h: HealthInput) -> Params | None:
    found = [i for i in h.snapshot.incidents if i.severity in HIGH_SEVERITIES]
    return {"count": len(found)} if found else None


@health_rule("OVERDUE_MILESTONES", "amber")
def overdue_milestones(h: HealthInput) -> Params | None:
    today = h.snapshot.as_of
    found = [
        ms
        for plan in h.snapshot.change_plans
        if plan.is_open
        for ms in plan.milestones
        if ms.is_open and ms.due_on < today
    ]
    return names(found, "title") if found else None


@health_rule("STALE_REVIEWS", "amber")
def stale_reviews(h: HealthInput) -> Params | None:
    s = h.snapshot
    before = s.as_of - timedelta(days=REVIEW_MAX_AGE_DAYS)
    found = [
        p
        for p in s.live_processes
        if (last := s.last_review_by_process.get(p.id)) is None or last < before
    ]
    return {**names(found), "days": REVIEW_MAX_AGE_DAYS} if found else None


@health_rule("AGREEMENTS_EXPIRING", "amber")
def agreements_expiring(h: HealthInput) -> Params | None:
    today = h.snapshot.as_of
    horizon = today + timedelta(days=EXPIRY_WINDOW_DAYS)
    found = [
        a
        for a in h.snapshot.vendor_agreements
        if a.in_force(today) and a.ends_on is not None and a.ends_on <= horizon
    ]
    return {**names(found, "vendor"), "days": EXPIRY_WINDOW_DAYS} if found else None


@health_rule("AGREEMENTS_MISSING_CLAUSES", "amber")
def agreements_missing_clauses(h: HealthInput) -> Params | None:
    today = h.snapshot.as_of
    found = [
        a
        for a in h.snapshot.vendor_agreements
        if a.in_force(today) and "unspecified" in a.clause_parties.values()
    ]
    return names(found, "vendor") if found else None


@health_rule("OWNERS_OVER_CAPACITY", "amber")
def owners_over_capacity(h: HealthInput) -> Params | None:
    s = h.snapshot
    hours: dict[Any, float] = {}
    for a in s.current_assignments:
        hours[a.owner_id] = hours.get(a.owner_id, 0.0) + a.hours_per_week
    over = [o for o, v in hours.items() if v > MAX_OWNER_HOURS_PER_WEEK]
    found = [s.owners_by_id[o] for o in over if o in s.owners_by_id]
    return {**names(found), "count": len(over), "hours": MAX_OWNER_HOURS_PER_WEEK} if over else None


_UNMET = frozenset({CoverageStatus.NOT_MET, CoverageStatus.PARTLY})


@health_rule("HIGH_RISK_DEPLOYER_DUTIES_UNMET", "red")
def high_risk_deployer_duties_unmet(h: HealthInput) -> Params | None:
    """A live process classified high-risk, the client its deployer, with an EU AI Act
    deployer duty the readiness rules show not met or only partly met (issue 13)."""
    s = h.snapshot
    bound = [
        p
        for p in s.live_processes
        if (profile := s.profile_by_process.get(p.id)) is not None
        and profile.is_high_risk
        and "deployer" in profile.roles
    ]
    if not bound:
        return None
    findings = build_readiness(s).findings
    found, duties = [], set()
    for p in bound:
        unmet = [
            r.requirement.reference
            for r in framework_coverage(s, findings, "eu-ai-act", process_id=p.id).requirements
            if r.status in _UNMET and "deployer" in r.requirement.applies_to
        ]
        if unmet:
            found.append(p)
            duties.update(unmet)
    return {**names(found), "duties": sorted(duties)} if found else None
