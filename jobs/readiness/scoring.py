"""Readiness scores, 0-100, overall and per pillar.

Method
------
For every rule we count its *applicable* objects (its scope: e.g. live processes, or the
owners accountable for one) and the distinct objects it has a finding about.

* A rule's failure fraction is ``failing / applicable`` (capped at 1).
* A pillar starts at 100 and loses ``weight x fraction`` for each of its rules that has
  applicable objects; the result is clamped to [0, 100]. Weights are "points out of the
  pillar's 100" (RULES.md lists them).
* A pillar none of whose rules has an applicable object is **not applicable** and is
  reported as ``None``, never as 100: a client without vendor agreements or high-risk
  processes has not *earned* a perfect score there, there is simply nothing to judge.
* The overall score is the mean of the applicable pillars weighted by `PILLAR_WEIGHTS`
  (ownership counts most: it is the problem Steward exists for). If no pillar applies
  (a client with no processes) the overall score is ``None``.
* Scores are rounded to one decimal at the end only.

Properties: deterministic (no clock, no randomness, stable ordering); monotone: for a given
snapshot's applicable objects, an extra failing object never raises a pillar or the
overall score, because each rule's contribution only ever subtracts and the weights of
the mean depend on applicability, not on failures.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from jobs.readiness.findings import Finding, Pillar
from jobs.readiness.rules import RULES, Rule
from jobs.readiness.snapshot import ClientSnapshot

PILLAR_WEIGHTS: dict[Pillar, float] = {
    Pillar.OWNERSHIP: 3,
    Pillar.AUTHORITY_CAPACITY: 2,
    Pillar.CAPABILITY: 1,
    Pillar.OVERSIGHT: 2,
    Pillar.RESPONSIBILITIES: 2,
    Pillar.FEEDBACK_LOOPS: 2,
    Pillar.VENDOR_CLAUSES: 1,
    Pillar.CHANGE_MANAGEMENT: 1,
    Pillar.FRAGMENTATION: 1,
}


@dataclass(frozen=True, slots=True)
class RuleOutcome:
    rule: Rule
    applicable: int
    failing: int

    @property
    def fraction(self) -> float:
        return min(1.0, self.failing / self.applicable) if self.applicable else 0.0


@dataclass(frozen=True, slots=True)
class ReadinessResult:
    score: float | None
    pillar_scores: dict[str, float | None]
    findings: list[Finding]
    outcomes: tuple[RuleOutcome, ...] = field(default=(), compare=False)


def pillar_scores(outcomes: Iterable[RuleOutcome]) -> dict[Pillar, float | None]:
    lost: dict[Pillar, float] = {}
    for o in outcomes:
        if o.applicable:
            lost[o.rule.pillar] = lost.get(o.rule.pillar, 0.0) + o.rule.weight * o.fraction
    return {p: (max(0.0, min(100.0, 100.0 - lost[p])) if p in lost else None) for p in Pillar}


def overall_score(scores: Mapping[Pillar, float | None]) -> float | None:
    applicable = [(PILLAR_WEIGHTS[p], s) for p, s in scores.items() if s is not None]
    total = sum(w for w, _ in applicable)
    if not total:
        return None
    return sum(w * s for w, s in applicable) / total


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def build_readiness(snapshot: ClientSnapshot, rules: Iterable[Rule] = RULES) -> ReadinessResult:
    """Run every rule on the snapshot and score it; findings sorted by severity, rule id."""
    findings: list[Finding] = []
    outcomes: list[RuleOutcome] = []
    for r in rules:
        found = r(snapshot)
        scope = set(r.scope(snapshot))
        failing = {f.object_id for f in found} & scope
        outcomes.append(RuleOutcome(r, applicable=len(scope), failing=len(failing)))
        findings.extend(found)
    by_pillar = pillar_scores(outcomes)
    return ReadinessResult(
        score=_round(overall_score(by_pillar)),
        pillar_scores={p.value: _round(s) for p, s in by_pillar.items()},
        findings=sorted(findings, key=Finding.sort_key),
        outcomes=tuple(outcomes),
    )
