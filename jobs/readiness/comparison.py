"""Comparison of a report with the previous one for the same client.

A finding is "the same" across reports when the same rule fails on the same object
(`FindingKey`): messages may change wording or numbers without making it new.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from jobs.readiness.findings import Finding, FindingKey


class ScoredReport(Protocol):
    """What a previous report must offer; a `ReadinessResult` or a stored-report row
    adapter. `findings` may be full findings or bare keys (rule id, object id)."""

    @property
    def score(self) -> float | None: ...

    @property
    def findings(self) -> Iterable[Finding | FindingKey]: ...


@dataclass(frozen=True, slots=True)
class PreviousReport:
    """Minimal stored form of an earlier report."""

    score: float | None
    findings: tuple[Finding | FindingKey, ...] = ()


@dataclass(frozen=True, slots=True)
class Comparison:
    score_change: float | None
    new_findings: tuple[Finding, ...]
    resolved_findings: tuple[FindingKey, ...]


def _key(item: Finding | FindingKey) -> FindingKey:
    return item.key if isinstance(item, Finding) else FindingKey(*item)


def compare(previous: ScoredReport | None, current: ScoredReport) -> Comparison:
    """Score change (None when either score is None) and findings new and resolved.

    With no previous report everything current is new and nothing is resolved."""
    current_items = list(current.findings)
    current_keys = {_key(f) for f in current_items}
    if previous is None:
        previous_keys: set[FindingKey] = set()
        change = None
    else:
        previous_keys = {_key(f) for f in previous.findings}
        change = (
            None
            if previous.score is None or current.score is None
            else round(current.score - previous.score, 1)
        )
    new = [f for f in current_items if isinstance(f, Finding) and f.key not in previous_keys]
    resolved = sorted(previous_keys - current_keys, key=lambda k: (k.rule_id, str(k.object_id)))
    return Comparison(
        score_change=change,
        new_findings=tuple(sorted(new, key=Finding.sort_key)),
        resolved_findings=tuple(resolved),
    )
