"""Capability: owners who run live processes are assessed, and meet each dimension's bar."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from uuid import UUID

from jobs.readiness.findings import ObjectType, Pillar, Severity
from jobs.readiness.rules.base import Hit, Said, rule
from jobs.readiness.snapshot import ClientSnapshot

#: An assessment this many days old or newer is recent (a yearly cycle; exactly 365 passes).
ASSESSMENT_MAX_AGE_DAYS = 365

#: Roles that run the process. Consulted and informed people need not be assessed.
RUNNING_ROLES = frozenset({"accountable", "responsible"})


def _running_owner_ids(snapshot: ClientSnapshot) -> list[UUID]:
    ids = {
        a.owner_id
        for a in snapshot.current_assignments
        if a.raci_role in RUNNING_ROLES
        and (p := snapshot.processes_by_id.get(a.process_id)) is not None
        and p.is_live
    }
    return sorted(i for i in ids if i in snapshot.owners_by_id)


def _assessed_running_owner_ids(snapshot: ClientSnapshot) -> list[UUID]:
    latest = snapshot.latest_assessment_by_owner
    return [o for o in _running_owner_ids(snapshot) if o in latest]


@rule(
    id="CAB-001",
    pillar=Pillar.CAPABILITY,
    checks=(
        "Owner accountable or responsible for a live process with no capability assessment "
        f"in the last {ASSESSMENT_MAX_AGE_DAYS} days."
    ),
    severity=Severity.MEDIUM,
    weight=50,
    recommendation=(
        "Assess this owner on AI fundamentals, data interpretation and operational "
        "management, and agree training for any gap."
    ),
    traces_to="Assess capability of owners before relying on them.",
    evidences=("EUAIA-4", "EUAIA-26.2", "ISO42001-7.2", "NIST-GOVERN-2.2"),
    scope=_running_owner_ids,
)
def no_recent_assessment(snapshot: ClientSnapshot) -> Iterator[Hit]:
    cutoff = snapshot.as_of - timedelta(days=ASSESSMENT_MAX_AGE_DAYS)
    latest = snapshot.latest_assessment_by_owner
    for owner_id in _running_owner_ids(snapshot):
        owner = snapshot.owners_by_id[owner_id]
        assessment = latest.get(owner_id)
        if assessment is None:
            yield (
                ObjectType.OWNER,
                owner_id,
                Said("CAB-001", f"{owner.name} has never been assessed.", subject=owner.name),
            )
        elif assessment.assessed_on < cutoff:
            yield (
                ObjectType.OWNER,
                owner_id,
                Said(
                    "CAB-001.dated",
                    f"{owner.name} was last assessed on {assessment.assessed_on.isoformat()}.",
                    subject=owner.name,
                    date=assessment.assessed_on.isoformat(),
                ),
            )


@rule(
    id="CAB-002",
    pillar=Pillar.CAPABILITY,
    checks="Latest assessment of a running owner scores below a dimension's bar.",
    severity=Severity.MEDIUM,
    weight=50,
    recommendation=(
        "Plan training or pairing for the dimensions below the bar, and reassess within "
        "six months; until then, back this owner with a more experienced colleague."
    ),
    traces_to="Capability of owners: AI fundamentals, data interpretation, operations.",
    evidences=("EUAIA-4", "EUAIA-26.2", "ISO42001-7.2", "NIST-GOVERN-2.2"),
    scope=_assessed_running_owner_ids,
)
def capability_gaps(snapshot: ClientSnapshot) -> Iterator[Hit]:
    latest = snapshot.latest_assessment_by_owner
    for owner_id in _assessed_running_owner_ids(snapshot):
        scores = latest[owner_id].scores
        # A dimension the assessment did not score is "not assessed", not a gap.
        gaps = [
            f"{d.name} {scores[d.key]}/{d.bar}"
            for d in sorted(snapshot.dimensions, key=lambda d: d.key)
            if d.key in scores and scores[d.key] < d.bar
        ]
        if gaps:
            owner = snapshot.owners_by_id[owner_id]
            yield (
                ObjectType.OWNER,
                owner_id,
                f"{owner.name} is below the bar on: {', '.join(gaps)}.",
            )
