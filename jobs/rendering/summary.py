"""The executive summary, generated from the findings: the most important gaps in words."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import groupby

from jobs.readiness.findings import Finding, Pillar
from jobs.readiness.rules import RULES_BY_ID
from jobs.readiness.scoring import PILLAR_WEIGHTS


@dataclass(frozen=True, slots=True)
class Gap:
    rule_id: str
    findings: tuple[Finding, ...]

    @property
    def subjects(self) -> list[str]:
        return sorted({f.param("subject") for f in self.findings if f.param("subject")})


def _importance(gap: Gap) -> tuple[int, float, int, str]:
    """Most severe first, then what costs the most score (rule weight x pillar weight),
    then the most objects affected."""
    first = gap.findings[0]
    rule = RULES_BY_ID.get(gap.rule_id)
    weight = (rule.weight if rule else 0.0) * PILLAR_WEIGHTS.get(Pillar(first.pillar), 1)
    return (first.severity.rank, -weight, -len(gap.findings), gap.rule_id)


def top_gaps(findings: Sequence[Finding], limit: int = 3) -> list[Gap]:
    ordered = sorted(findings, key=lambda f: f.rule_id)
    gaps = [Gap(rule_id, tuple(group)) for rule_id, group in groupby(ordered, lambda f: f.rule_id)]
    return sorted(gaps, key=_importance)[:limit]


def by_pillar_and_severity(
    findings: Sequence[Finding],
) -> list[tuple[str, list[tuple[str, list[Gap]]]]]:
    """Pillar -> severity -> rule groups, in the report's order; empty groups left out."""
    out = []
    for pillar in Pillar:
        in_pillar = [f for f in findings if f.pillar is pillar]
        if not in_pillar:
            continue
        severities = []
        for severity in sorted({f.severity for f in in_pillar}, key=lambda s: s.rank):
            same = sorted((f for f in in_pillar if f.severity is severity), key=Finding.sort_key)
            gaps = [Gap(r, tuple(g)) for r, g in groupby(same, lambda f: f.rule_id)]
            severities.append((severity.value, gaps))
        out.append((pillar.value, severities))
    return out
