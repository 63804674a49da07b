"""Authority and capacity: accountable owners can decide, and have the hours to do it."""

from __future__ import annotations

from collections.abc import Iterator
from uuid import UUID

from jobs.readiness.findings import ObjectType, Pillar, Severity
from jobs.readiness.rules.base import Hit, Said, rule
from jobs.readiness.snapshot import ClientSnapshot

#: Minimum hours a week the accountable owner(s) of a live process spend on it, by risk
#: tier. A critical process (claims, credit) needs a day a week of someone's attention;
#: a low-risk helper an hour. Equal to the minimum passes.
MIN_HOURS_BY_RISK_TIER: dict[str, float] = {"low": 1, "medium": 2, "high": 4, "critical": 8}

#: Above this many hours a week across all current assignments an owner is overstretched:
#: ownership sits on top of a day job, and half a week is the most it can plausibly take.
#: Exactly at the threshold passes.
MAX_OWNER_HOURS_PER_WEEK = 20.0

WEAK_AUTHORITY = frozenset({"none", "advisory"})


def _accountable_live_owner_ids(snapshot: ClientSnapshot) -> list[UUID]:
    ids = {a.owner_id for p in snapshot.live_processes for a in snapshot.accountable(p.id)}
    return sorted(i for i in ids if i in snapshot.owners_by_id)


def _owners_with_work(snapshot: ClientSnapshot) -> list[UUID]:
    return sorted(o for o in snapshot.current_by_owner if o in snapshot.owners_by_id)


@rule(
    id="AUT-001",
    pillar=Pillar.AUTHORITY_CAPACITY,
    checks="Accountable owner of a live process whose decision authority is none or advisory.",
    severity=Severity.HIGH,
    weight=40,
    recommendation=(
        "Give this owner documented authority to pause, change or retrain the processes "
        "they are accountable for, or move accountability to someone who has it."
    ),
    traces_to="Owners need decision authority and operational insight, not only implementers.",
    evidences=("EUAIA-26.2", "ISO42001-5.3"),
    scope=_accountable_live_owner_ids,
)
def owner_without_authority(snapshot: ClientSnapshot) -> Iterator[Hit]:
    for owner_id in _accountable_live_owner_ids(snapshot):
        owner = snapshot.owners_by_id[owner_id]
        if owner.decision_authority in WEAK_AUTHORITY:
            yield (
                ObjectType.OWNER,
                owner.id,
                Said(
                    "AUT-001",
                    f"{owner.name} is accountable but has {owner.decision_authority} authority.",
                    subject=owner.name,
                    authority=owner.decision_authority,
                ),
            )


@rule(
    id="AUT-002",
    pillar=Pillar.AUTHORITY_CAPACITY,
    checks=(
        "Accountable hours a week on a live process below the minimum for its risk tier "
        "(low 1, medium 2, high 4, critical 8)."
    ),
    severity=Severity.MEDIUM,
    weight=35,
    recommendation=(
        "Agree the weekly time the accountable owner spends on this process and reflect it "
        "in their objectives; raise it to at least the minimum for its risk tier."
    ),
    traces_to="Owners need the time the process requires (hours a week).",
    evidences=("ISO42001-7.1",),
    scope=lambda s: [p.id for p in s.live_processes if s.accountable(p.id)],
)
def hours_below_tier_minimum(snapshot: ClientSnapshot) -> Iterator[Hit]:
    for p in snapshot.live_processes:
        accountable = snapshot.accountable(p.id)
        if not accountable:
            continue  # orphaned: OWN-001 reports it, no double penalty here
        hours = sum(a.hours_per_week for a in accountable)
        minimum = MIN_HOURS_BY_RISK_TIER[p.risk_tier]
        if hours < minimum:
            yield (
                ObjectType.PROCESS,
                p.id,
                Said(
                    "AUT-002",
                    f"{p.name} ({p.risk_tier} risk) gets {hours:g} accountable hours a week; "
                    f"the minimum is {minimum:g}.",
                    subject=p.name,
                    tier=p.risk_tier,
                    hours=f"{hours:g}",
                    minimum=f"{minimum:g}",
                ),
            )


@rule(
    id="AUT-003",
    pillar=Pillar.AUTHORITY_CAPACITY,
    checks=f"Owner with more than {MAX_OWNER_HOURS_PER_WEEK:g} hours a week across assignments.",
    severity=Severity.MEDIUM,
    weight=25,
    recommendation=(
        "Rebalance this owner's assignments: hand some responsibilities to colleagues or "
        "reduce the scope, so each process gets the attention it is promised."
    ),
    traces_to="Owners need the time they need; an overstretched owner is a silent orphan.",
    evidences=("ISO42001-7.1",),
    scope=_owners_with_work,
)
def overstretched_owners(snapshot: ClientSnapshot) -> Iterator[Hit]:
    for owner_id in _owners_with_work(snapshot):
        # Assignments left open on retired processes carry no work; they are stale data.
        hours = sum(
            a.hours_per_week
            for a in snapshot.current_by_owner[owner_id]
            if (p := snapshot.processes_by_id.get(a.process_id)) and p.lifecycle_stage != "retired"
        )
        if hours > MAX_OWNER_HOURS_PER_WEEK:
            owner = snapshot.owners_by_id[owner_id]
            yield (
                ObjectType.OWNER,
                owner_id,
                Said(
                    "AUT-003",
                    f"{owner.name} carries {hours:g} hours a week across assignments "
                    f"(limit {MAX_OWNER_HOURS_PER_WEEK:g}).",
                    subject=owner.name,
                    hours=f"{hours:g}",
                    limit=f"{MAX_OWNER_HOURS_PER_WEEK:g}",
                ),
            )
