"""Engagement health: RED, AMBER or GREEN for one client, with the reasons. Pure.

Each registered rule (jobs/health/rules.py, documented in jobs/health/RULES.md) yields a
reason with a code, a level and parameters; the status is RED when any reason is red,
AMBER when any is amber, GREEN otherwise. "info" reasons explain without changing the
status. A client with no live process is AMBER (NOTHING_RECORDED), never GREEN: silence
from every other rule is no evidence of health.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from jobs.health import rules as _rules  # noqa: F401  (registers the rules)
from jobs.health.messages import message
from jobs.health.registry import REGISTRY, HealthInput, Params
from jobs.readiness.snapshot import ClientSnapshot

__all__ = ["REGISTRY", "Health", "Reason", "assess_health"]


@dataclass(frozen=True, slots=True)
class Reason:
    code: str
    level: str  # red, amber or info
    params: Params = field(default_factory=dict)

    @property
    def message(self) -> str:
        return message(self.code, self.params)

    def to_dict(self) -> dict[str, Any]:
        # The message is stored too, for readers of the stored row that know no catalogue.
        return {
            "code": self.code,
            "level": self.level,
            "params": self.params,
            "message": self.message,
        }


@dataclass(frozen=True, slots=True)
class Health:
    status: str  # RED, AMBER or GREEN
    reasons: tuple[Reason, ...]
    metrics: dict[str, int | float | str] = field(default_factory=dict)


def _count(reasons: Sequence[Reason], code: str) -> int:
    return next((int(r.params.get("count", 0)) for r in reasons if r.code == code), 0)


def assess_health(snapshot: ClientSnapshot, readiness_scores: Sequence[float]) -> Health:
    """The client's health as of `snapshot.as_of`; `readiness_scores` newest first."""
    given = HealthInput(snapshot, readiness_scores)
    reasons = tuple(
        Reason(rule.code, rule.level, params)
        for rule in REGISTRY
        if (params := rule.check(given)) is not None
    )
    levels = {r.level for r in reasons}
    status = "RED" if "red" in levels else "AMBER" if "amber" in levels else "GREEN"
    metrics: dict[str, int | float | str] = {
        "Live processes": len(snapshot.live_processes),
        "Orphaned live processes": _count(reasons, "ORPHANED_PROCESSES"),
        "Open high-severity incidents": _count(reasons, "OPEN_HIGH_SEVERITY_INCIDENTS"),
        "Overdue milestones": _count(reasons, "OVERDUE_MILESTONES"),
        "Processes without a review in 90 days": _count(reasons, "STALE_REVIEWS"),
        "Agreements ending within 60 days": _count(reasons, "AGREEMENTS_EXPIRING"),
        "Agreements missing clauses": _count(reasons, "AGREEMENTS_MISSING_CLAUSES"),
        "Owners over capacity": _count(reasons, "OWNERS_OVER_CAPACITY"),
    }
    return Health(status, reasons, metrics)
