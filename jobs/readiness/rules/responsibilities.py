"""Responsibilities: someone currently holds each duty for every live process."""

from __future__ import annotations

from collections.abc import Iterator

from jobs.readiness.findings import ObjectType, Pillar, Severity
from jobs.readiness.rules.base import Hit, live_process_ids, rule
from jobs.readiness.snapshot import ClientSnapshot
from jobs.readiness.values import RESPONSIBILITIES

_LABELS = {
    "monitoring": "monitoring model performance",
    "exceptions": "managing exceptions",
    "incidents": "handling incidents",
    "improvement": "driving continuous improvement",
}


@rule(
    id="RSP-001",
    pillar=Pillar.RESPONSIBILITIES,
    checks=(
        "Live process where current assignments, together, do not cover monitoring, "
        "exceptions, incidents and improvement."
    ),
    severity=Severity.HIGH,
    weight=100,
    recommendation=(
        "Assign each uncovered duty to a named person (RACI responsible), with the hours "
        "it takes, so nothing about this process depends on goodwill."
    ),
    traces_to="Define responsibilities: monitoring, exceptions, incidents, improvement.",
    evidences=(
        "EUAIA-26.5",
        "ISO42001-5.3",
        "ISO42001-A.3.2",
        "NIST-GOVERN-2.1",
        "NIST-MANAGE-4.1",
    ),
    scope=live_process_ids,
)
def uncovered_responsibilities(snapshot: ClientSnapshot) -> Iterator[Hit]:
    for p in snapshot.live_processes:
        covered: set[str] = set()
        for a in snapshot.current_by_process.get(p.id, ()):
            covered |= a.responsibilities
        missing = [_LABELS[r] for r in RESPONSIBILITIES if r not in covered]
        if missing:
            yield (
                ObjectType.PROCESS,
                p.id,
                f"Nobody is responsible for {', '.join(missing)} on {p.name}.",
            )
