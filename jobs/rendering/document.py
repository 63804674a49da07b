"""What a rendered report shows, independent of the output format."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from jobs.readiness.comparison import Comparison
from jobs.readiness.findings import PILLAR_LABELS, Finding, Pillar, Severity
from jobs.readiness.scoring import ReadinessResult


@dataclass(frozen=True, slots=True)
class ReportDocument:
    """A readiness report ready to render. `history` is (date, score) pairs, oldest or
    newest first (renderers sort them), usually including this report's own point."""

    client_name: str
    generated_at: datetime
    score: float | None
    pillar_scores: Mapping[str, float | None]
    findings: Sequence[Finding]
    history: Sequence[tuple[date, float]] = ()
    comparison: Comparison | None = None
    title: str = "AI ownership readiness report"
    prepared_by: str | None = None

    @classmethod
    def from_result(
        cls,
        client_name: str,
        generated_at: datetime,
        result: ReadinessResult,
        *,
        history: Sequence[tuple[date, float]] = (),
        comparison: Comparison | None = None,
        prepared_by: str | None = None,
    ) -> ReportDocument:
        return cls(
            client_name=client_name,
            generated_at=generated_at,
            score=result.score,
            pillar_scores=result.pillar_scores,
            findings=result.findings,
            history=history,
            comparison=comparison,
            prepared_by=prepared_by,
        )


@dataclass(frozen=True, slots=True)
class HealthReportDocument:
    """An engagement health report: a RED/AMBER/GREEN status and the reasons for it."""

    client_name: str
    generated_at: datetime
    status: str
    reasons: Sequence[str] = ()
    period_start: date | None = None
    period_end: date | None = None
    readiness_score: float | None = None
    metrics: Mapping[str, str | int | float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.status.upper() not in ("RED", "AMBER", "GREEN"):
            raise ValueError(f"status must be RED, AMBER or GREEN; got {self.status!r}")


def pillar_label(key: str) -> str:
    try:
        return PILLAR_LABELS[Pillar(key)]
    except ValueError:
        return key.replace("_", " ").capitalize()


def ordered_pillars(scores: Mapping[str, float | None]) -> list[tuple[str, float | None]]:
    """Known pillars in their canonical order, then any others alphabetically."""
    known = [(p.value, scores[p.value]) for p in Pillar if p.value in scores]
    extra = sorted((k, v) for k, v in scores.items() if k not in {p.value for p in Pillar})
    return [(pillar_label(k), v) for k, v in known + extra]


def by_severity(findings: Sequence[Finding]) -> list[tuple[Severity, list[Finding]]]:
    """Findings grouped by severity, most severe first; empty groups left out."""
    groups = [
        (s, sorted((f for f in findings if f.severity is s), key=Finding.sort_key))
        for s in Severity
    ]
    return [(s, fs) for s, fs in groups if fs]


def sorted_history(history: Sequence[tuple[date, float]]) -> list[tuple[date, float]]:
    return sorted(history, key=lambda point: point[0])


def score_band(score: float | None) -> str:
    """Traffic-light band used for colours: good >= 80, fair >= 50, else poor."""
    if score is None:
        return "na"
    if score >= 80:
        return "good"
    return "fair" if score >= 50 else "poor"


def fmt_score(score: float | None) -> str:
    return "n/a" if score is None else f"{score:.0f}"


def fmt_change(change: float | None) -> str:
    if change is None:
        return "n/a"
    return f"{change:+.1f}"
