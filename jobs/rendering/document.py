"""What a rendered report shows, independent of the output format and the language."""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from jobs.readiness.comparison import Comparison
from jobs.readiness.findings import PILLAR_LABELS, Finding, ObjectType, Pillar, Severity
from jobs.readiness.frameworks.coverage import FrameworkCoverage
from jobs.readiness.rules.capacity import MAX_OWNER_HOURS_PER_WEEK
from jobs.readiness.scoring import ReadinessResult
from jobs.readiness.snapshot import ClientSnapshot

LOGO_TYPES = ("image/png", "image/jpeg", "image/svg+xml")


@dataclass(frozen=True, slots=True)
class Branding:
    """How a consultancy presents its reports; the defaults are Steward's own."""

    name: str = "Steward"
    accent: str = "#1565c0"
    footer: str = ""
    confidentiality: str = ""
    logo: bytes | None = None
    logo_type: str | None = None
    time_zone: str = "UTC"
    locale: str = "en"


@dataclass(frozen=True, slots=True)
class ProcessRow:
    name: str
    stage: str
    risk_tier: str
    owner: str | None
    hours: float
    last_review: date | None
    open_findings: int


@dataclass(frozen=True, slots=True)
class OwnerRow:
    name: str
    title: str
    authority: str
    processes: int
    hours: float

    @property
    def overstretched(self) -> bool:
        return self.hours > MAX_OWNER_HOURS_PER_WEEK


@dataclass(frozen=True, slots=True)
class Assessed:
    """What the report looked at: counts a reader checks against their own picture."""

    by_stage: Mapping[str, int] = field(default_factory=dict)
    by_tier: Mapping[str, int] = field(default_factory=dict)
    owners: int = 0
    agreements: int = 0
    change_plans: int = 0

    @property
    def processes(self) -> int:
        return sum(self.by_stage.values())


@dataclass(frozen=True, slots=True)
class ReportDocument:
    """A readiness report ready to render. `history` is (moment, score) pairs in any order
    (renderers sort them), usually including this report's own point."""

    client_name: str
    generated_at: datetime
    score: float | None
    pillar_scores: Mapping[str, float | None]
    findings: Sequence[Finding]
    history: Sequence[tuple[datetime, float]] = ()
    comparison: Comparison | None = None
    title: str = "AI ownership readiness report"
    prepared_by: str | None = None
    lead_consultant: str | None = None
    branding: Branding = Branding()
    assessed: Assessed = Assessed()
    processes: Sequence[ProcessRow] = ()
    owners: Sequence[OwnerRow] = ()
    #: One section per framework chosen for the client (`framework_sections`).
    frameworks: Sequence[FrameworkCoverage] = ()

    @classmethod
    def from_result(
        cls,
        client_name: str,
        generated_at: datetime,
        result: ReadinessResult,
        **extra: object,
    ) -> ReportDocument:
        doc = cls(
            client_name=client_name,
            generated_at=generated_at,
            score=result.score,
            pillar_scores=result.pillar_scores,
            findings=result.findings,
        )
        return dataclasses.replace(doc, **extra)  # type: ignore[arg-type]

    @classmethod
    def from_snapshot(
        cls,
        snapshot: ClientSnapshot,
        generated_at: datetime,
        result: ReadinessResult,
        **extra: object,
    ) -> ReportDocument:
        """The document with the register, capacity table and counts from the snapshot."""
        findings = with_subjects(result.findings, snapshot)
        doc = cls.from_result(snapshot.client_name, generated_at, result, **extra)
        return dataclasses.replace(
            doc,
            findings=findings,
            assessed=assessed_of(snapshot),
            processes=process_rows(snapshot, findings),
            owners=owner_rows(snapshot),
        )


def subject_of(snapshot: ClientSnapshot, finding: Finding) -> str:
    """The name of the object a finding is about, as the client knows it."""
    oid = finding.object_id
    if finding.object_type is ObjectType.PROCESS and oid in snapshot.processes_by_id:
        return snapshot.processes_by_id[oid].name
    if finding.object_type is ObjectType.OWNER and oid in snapshot.owners_by_id:
        return snapshot.owners_by_id[oid].name
    if finding.object_type is ObjectType.CLIENT:
        return snapshot.client_name
    for a in snapshot.vendor_agreements:
        if a.id == oid:
            return f"{a.vendor} {a.product}".strip()
    for c in snapshot.change_plans:
        for m in c.milestones:
            if m.id == oid:
                return f"{m.title} ({c.objective})"
    return ""


def with_subjects(findings: Sequence[Finding], snapshot: ClientSnapshot) -> list[Finding]:
    """Findings carrying their object's name as the `subject` parameter."""
    return [
        dataclasses.replace(f, params=tuple(sorted({**dict(f.params), "subject": s}.items())))
        if (s := subject_of(snapshot, f))
        else f
        for f in findings
    ]


def assessed_of(snapshot: ClientSnapshot) -> Assessed:
    return Assessed(
        by_stage=dict(Counter(p.lifecycle_stage for p in snapshot.processes)),
        by_tier=dict(Counter(p.risk_tier for p in snapshot.processes)),
        owners=len(snapshot.owners_by_id),
        agreements=len(snapshot.vendor_agreements),
        change_plans=len(snapshot.change_plans),
    )


def process_rows(snapshot: ClientSnapshot, findings: Sequence[Finding]) -> list[ProcessRow]:
    open_by_process = Counter(f.object_id for f in findings)
    rows = []
    for p in snapshot.processes:
        accountable = snapshot.accountable(p.id)
        names = sorted(
            snapshot.owners_by_id[a.owner_id].name
            for a in accountable
            if a.owner_id in snapshot.owners_by_id
        )
        rows.append(
            ProcessRow(
                name=p.name,
                stage=p.lifecycle_stage,
                risk_tier=p.risk_tier,
                owner=", ".join(names) or None,
                hours=sum(a.hours_per_week for a in snapshot.current_by_process.get(p.id, ())),
                last_review=snapshot.last_review_by_process.get(p.id),
                open_findings=open_by_process.get(p.id, 0),
            )
        )
    return sorted(rows, key=lambda r: (r.name.casefold(), r.name))


def owner_rows(snapshot: ClientSnapshot) -> list[OwnerRow]:
    rows = []
    for owner in snapshot.owners_by_id.values():
        current = snapshot.current_by_owner.get(owner.id, ())
        rows.append(
            OwnerRow(
                name=owner.name,
                title=owner.title,
                authority=owner.decision_authority,
                processes=len({a.process_id for a in current}),
                hours=sum(a.hours_per_week for a in current),
            )
        )
    return sorted(rows, key=lambda r: (-r.hours, r.name.casefold()))


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


def ordered_pillar_keys(scores: Mapping[str, float | None]) -> list[str]:
    """Known pillars in their canonical order, then any others alphabetically."""
    known = [p.value for p in Pillar if p.value in scores]
    return known + sorted(k for k in scores if k not in set(known))


def ordered_pillars(scores: Mapping[str, float | None]) -> list[tuple[str, float | None]]:
    return [(pillar_label(k), scores[k]) for k in ordered_pillar_keys(scores)]


def by_severity(findings: Sequence[Finding]) -> list[tuple[Severity, list[Finding]]]:
    """Findings grouped by severity, most severe first; empty groups left out."""
    groups = [
        (s, sorted((f for f in findings if f.severity is s), key=Finding.sort_key))
        for s in Severity
    ]
    return [(s, fs) for s, fs in groups if fs]


def aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def sorted_history(history: Sequence[tuple[datetime, float]]) -> list[tuple[datetime, float]]:
    return sorted(((aware(m), s) for m, s in history), key=lambda point: point[0])


def score_band(score: float | None) -> str:
    """Traffic-light band used for colours: good >= 80, fair >= 50, else poor."""
    if score is None:
        return "na"
    if score >= 80:
        return "good"
    return "fair" if score >= 50 else "poor"


def fmt_change(change: float | None) -> str:
    if change is None:
        return "n/a"
    return f"{change:+.1f}"
