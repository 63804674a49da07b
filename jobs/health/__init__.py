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
        """The sentence in English."""
        return message(self.code, self.params)

    def message_in(self, locale: str) -> str:
        return message(self.code, self.params, locale)

    def to_dict(self, locale: str = "en") -> dict[str, Any]:
        # The sentence is stored too, in the report's language, for readers of the row
        # that know no catalogue; code and params are what a re-rendering uses.
        return {
            "code": self.code,
            "level": self.level,
            "params": self.params,
            "message": self.message_in(locale),
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
    # Keyed as jobs/i18n/health.py METRIC_LABELS, which gives each its words.
    metrics: dict[str, int | float | str] = {
        "live_processes": len(snapshot.live_processes),
        "orphaned": _count(reasons, "ORPHANED_PROCESSES"),
        "incidents": _count(reasons, "OPEN_HIGH_SEVERITY_INCIDENTS"),
        "overdue_milestones": _count(reasons, "OVERDUE_MILESTONES"),
        "stale_reviews": _count(reasons, "STALE_REVIEWS"),
        "agreements_ending": _count(reasons, "AGREEMENTS_EXPIRING"),
        "agreements_missing_clauses": _count(reasons, "AGREEMENTS_MISSING_CLAUSES"),
        "owners_over_capacity": _count(reasons, "OWNERS_OVER_CAPACITY"),
    }
    return Health(status, reasons, metrics)
