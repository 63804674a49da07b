"""Engagement health: RED, AMBER or GREEN for one client, with the reasons. Pure.

Each signal below yields a reason with a level; the status is RED when any reason is
red, AMBER when any is amber, GREEN otherwise. "info" reasons explain without
changing the status.

| code | level | when |
|---|---|---|
| ORPHANED_PROCESSES | red | a live process has no current accountable owner |
| OPEN_HIGH_SEVERITY_INCIDENTS | red | an unresolved incident of high or critical severity |
| READINESS_DECLINING | amber | the latest readiness score fell 5 points or more |
| READINESS_LOW | amber | the latest readiness score is below 50 |
| NO_READINESS_REPORT | info | no readiness report has succeeded yet |
| OVERDUE_MILESTONES | amber | a milestone of an open change plan is past due |
| STALE_REVIEWS | amber | a live process had no review in 90 days |
| AGREEMENTS_EXPIRING | amber | an agreement in force ends within 60 days |
| AGREEMENTS_MISSING_CLAUSES | amber | an agreement in force names no party for a clause |
| OWNERS_OVER_CAPACITY | amber | an owner holds more than 20 hours a week |
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from jobs.readiness.rules.capacity import MAX_OWNER_HOURS_PER_WEEK
from jobs.readiness.rules.feedback import REVIEW_MAX_AGE_DAYS
from jobs.readiness.snapshot import ClientSnapshot

EXPIRY_WINDOW_DAYS = 60
DECLINE_POINTS = 5.0
LOW_SCORE = 50.0
HIGH_SEVERITIES = frozenset({"high", "critical"})


@dataclass(frozen=True, slots=True)
class Reason:
    code: str
    level: str  # red, amber or info
    message: str

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "level": self.level, "message": self.message}


@dataclass(frozen=True, slots=True)
class Health:
    status: str  # RED, AMBER or GREEN
    reasons: tuple[Reason, ...]
    metrics: dict[str, int | float | str] = field(default_factory=dict)


def _plural(n: int, word: str) -> str:
    suffix = "es" if word.endswith(("s", "x")) else "s"
    return f"{n} {word}{'' if n == 1 else suffix}"


def _readiness(scores: Sequence[float]) -> list[Reason]:
    if not scores:
        return [Reason("NO_READINESS_REPORT", "info", "No readiness report has been produced.")]
    out = []
    latest = scores[0]
    if len(scores) > 1 and scores[1] - latest >= DECLINE_POINTS:
        out.append(
            Reason(
                "READINESS_DECLINING",
                "amber",
                f"Readiness fell from {scores[1]:.0f} to {latest:.0f}.",
            )
        )
    if latest < LOW_SCORE:
        out.append(Reason("READINESS_LOW", "amber", f"Readiness score is {latest:.0f}/100."))
    return out


def assess_health(snapshot: ClientSnapshot, readiness_scores: Sequence[float]) -> Health:
    """The client's health as of `snapshot.as_of`; `readiness_scores` newest first."""
    s, today = snapshot, snapshot.as_of
    reasons = _readiness(readiness_scores)

    orphaned = [p for p in s.live_processes if not s.accountable(p.id)]
    incidents = [i for i in s.incidents if i.severity in HIGH_SEVERITIES]
    overdue = [
        ms
        for plan in s.change_plans
        if plan.is_open
        for ms in plan.milestones
        if ms.is_open and ms.due_on < today
    ]
    stale_before = today - timedelta(days=REVIEW_MAX_AGE_DAYS)
    stale = [
        p
        for p in s.live_processes
        if (last := s.last_review_by_process.get(p.id)) is None or last < stale_before
    ]
    in_force = [a for a in s.vendor_agreements if a.in_force(today)]
    horizon = today + timedelta(days=EXPIRY_WINDOW_DAYS)
    expiring = [a for a in in_force if a.ends_on is not None and a.ends_on <= horizon]
    missing = [a for a in in_force if "unspecified" in a.clause_parties.values()]
    hours: dict[Any, float] = {}
    for a in s.current_assignments:
        hours[a.owner_id] = hours.get(a.owner_id, 0.0) + a.hours_per_week
    stretched = [o for o, h in hours.items() if h > MAX_OWNER_HOURS_PER_WEEK]

    def names(items: Sequence[Any], attr: str = "name") -> str:
        shown = ", ".join(str(getattr(i, attr)) for i in items[:3])
        return shown + (f" and {len(items) - 3} more" if len(items) > 3 else "")

    if orphaned:
        reasons.append(
            Reason(
                "ORPHANED_PROCESSES",
                "red",
                f"{_plural(len(orphaned), 'live process')} without an accountable owner"
                f" ({names(orphaned)}).",
            )
        )
    if incidents:
        reasons.append(
            Reason(
                "OPEN_HIGH_SEVERITY_INCIDENTS",
                "red",
                f"{_plural(len(incidents), 'open high-severity incident')}.",
            )
        )
    if overdue:
        reasons.append(
            Reason(
                "OVERDUE_MILESTONES",
                "amber",
                f"{_plural(len(overdue), 'overdue milestone')} ({names(overdue, 'title')}).",
            )
        )
    if stale:
        reasons.append(
            Reason(
                "STALE_REVIEWS",
                "amber",
                f"{_plural(len(stale), 'live process')} with no review in "
                f"{REVIEW_MAX_AGE_DAYS} days ({names(stale)}).",
            )
        )
    if expiring:
        reasons.append(
            Reason(
                "AGREEMENTS_EXPIRING",
                "amber",
                f"{_plural(len(expiring), 'vendor agreement')} ending within "
                f"{EXPIRY_WINDOW_DAYS} days ({names(expiring, 'vendor')}).",
            )
        )
    if missing:
        reasons.append(
            Reason(
                "AGREEMENTS_MISSING_CLAUSES",
                "amber",
                f"{_plural(len(missing), 'vendor agreement')} with ownership clauses naming "
                f"no party ({names(missing, 'vendor')}).",
            )
        )
    if stretched:
        owners = [s.owners_by_id[o] for o in stretched if o in s.owners_by_id]
        reasons.append(
            Reason(
                "OWNERS_OVER_CAPACITY",
                "amber",
                f"{_plural(len(stretched), 'owner')} over {MAX_OWNER_HOURS_PER_WEEK:.0f} hours "
                f"a week ({names(owners)}).",
            )
        )
    levels = {r.level for r in reasons}
    status = "RED" if "red" in levels else "AMBER" if "amber" in levels else "GREEN"
    metrics: dict[str, int | float | str] = {
        "Live processes": len(s.live_processes),
        "Orphaned live processes": len(orphaned),
        "Open high-severity incidents": len(incidents),
        "Overdue milestones": len(overdue),
        "Processes without a review in 90 days": len(stale),
        "Agreements ending within 60 days": len(expiring),
        "Agreements missing clauses": len(missing),
        "Owners over capacity": len(stretched),
    }
    return Health(status, tuple(reasons), metrics)
