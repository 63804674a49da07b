"""Feedback loops: live processes are reviewed periodically and measured against targets."""

from __future__ import annotations

from collections.abc import Iterator

from jobs.readiness.findings import ObjectType, Pillar, Severity
from jobs.readiness.rules.base import Hit, Said, live_process_ids, names, rule
from jobs.readiness.snapshot import ClientSnapshot

#: A review this many days old or newer is recent (quarterly; exactly 90 passes).
REVIEW_MAX_AGE_DAYS = 90


@rule(
    id="FBK-001",
    pillar=Pillar.FEEDBACK_LOOPS,
    checks=f"Live process with no performance review in the last {REVIEW_MAX_AGE_DAYS} days.",
    severity=Severity.MEDIUM,
    weight=40,
    recommendation=(
        "Hold a performance review of this process at least quarterly: KPIs against "
        "targets, incidents, exceptions and frontline feedback, with actions and owners."
    ),
    traces_to="Close feedback loops: periodic performance reviews.",
    evidences=("EUAIA-26.5", "ISO42001-9.1", "NIST-MEASURE-3.1", "NIST-MANAGE-4.1"),
    scope=live_process_ids,
)
def stale_reviews(snapshot: ClientSnapshot) -> Iterator[Hit]:
    last = snapshot.last_review_by_process
    for p in snapshot.live_processes:
        reviewed = last.get(p.id)
        if reviewed is None:
            yield (
                ObjectType.PROCESS,
                p.id,
                Said("FBK-001", f"{p.name} has never been reviewed.", subject=p.name),
            )
        elif (snapshot.as_of - reviewed).days > REVIEW_MAX_AGE_DAYS:
            yield (
                ObjectType.PROCESS,
                p.id,
                Said(
                    "FBK-001.dated",
                    f"{p.name} was last reviewed on {reviewed.isoformat()}, "
                    f"{(snapshot.as_of - reviewed).days} days ago.",
                    subject=p.name,
                    date=reviewed.isoformat(),
                    days=(snapshot.as_of - reviewed).days,
                ),
            )


@rule(
    id="FBK-002",
    pillar=Pillar.FEEDBACK_LOOPS,
    checks="Live process with no KPI.",
    severity=Severity.MEDIUM,
    weight=35,
    recommendation=(
        "Define two or three KPIs for this process (accuracy, exception rate, cycle time or "
        "business outcome) with a target for each, and track them in every review."
    ),
    traces_to="Close feedback loops: KPIs with targets.",
    evidences=("ISO42001-9.1", "NIST-MEASURE-3.1"),
    scope=live_process_ids,
)
def no_kpis(snapshot: ClientSnapshot) -> Iterator[Hit]:
    for p in snapshot.live_processes:
        if not snapshot.kpis_by_process.get(p.id):
            yield ObjectType.PROCESS, p.id, Said("FBK-002", f"{p.name} has no KPI.", subject=p.name)


@rule(
    id="FBK-003",
    pillar=Pillar.FEEDBACK_LOOPS,
    checks="Live process with KPIs that have no target.",
    severity=Severity.LOW,
    weight=25,
    recommendation=(
        "Set a target for every KPI of this process, so a review can tell good from bad "
        "and trigger an exception or retraining when it is missed."
    ),
    traces_to="Close feedback loops: KPIs with targets.",
    evidences=("ISO42001-9.1",),
    scope=lambda s: [p.id for p in s.live_processes if s.kpis_by_process.get(p.id)],
)
def kpis_without_targets(snapshot: ClientSnapshot) -> Iterator[Hit]:
    for p in snapshot.live_processes:
        untargeted = [k.name for k in snapshot.kpis_by_process.get(p.id, ()) if k.target is None]
        if untargeted:
            yield (
                ObjectType.PROCESS,
                p.id,
                f"{p.name} has KPIs without a target: {names(untargeted)}.",
            )
