"""Ownership coverage: every live process has exactly one current accountable owner."""

from __future__ import annotations

from collections.abc import Iterator

from jobs.readiness.findings import ObjectType, Pillar, Severity
from jobs.readiness.rules.base import Hit, Said, live_process_ids, names, rule
from jobs.readiness.snapshot import ClientSnapshot


@rule(
    id="OWN-001",
    pillar=Pillar.OWNERSHIP,
    checks="Live process (pilot or production) with no current accountable owner (orphaned).",
    severity=Severity.CRITICAL,
    weight=70,
    recommendation=(
        "Name one accountable owner for this process: a manager of the business unit it "
        "serves, with authority over its decisions and time set aside to run it."
    ),
    traces_to="Orphaned AI experiments: nobody monitors them or handles their exceptions.",
    evidences=("EUAIA-26.2", "ISO42001-5.3", "ISO42001-A.3.2", "NIST-GOVERN-2.1"),
    scope=live_process_ids,
)
def orphaned_processes(snapshot: ClientSnapshot) -> Iterator[Hit]:
    for p in snapshot.live_processes:
        if not snapshot.accountable(p.id):
            yield (
                ObjectType.PROCESS,
                p.id,
                Said(
                    "OWN-001",
                    f"{p.name} is in {p.lifecycle_stage} with no accountable owner.",
                    subject=p.name,
                    stage=p.lifecycle_stage,
                ),
            )


@rule(
    id="OWN-002",
    pillar=Pillar.OWNERSHIP,
    checks="Live process with more than one current accountable owner.",
    severity=Severity.MEDIUM,
    weight=30,
    recommendation=(
        "Keep a single accountable owner and make the others responsible or consulted, so "
        "decisions about this process have one name behind them."
    ),
    traces_to="Shared accountability is no accountability: decisions stall between owners.",
    evidences=("ISO42001-5.3", "ISO42001-A.3.2", "NIST-GOVERN-2.1"),
    scope=live_process_ids,
)
def several_accountable(snapshot: ClientSnapshot) -> Iterator[Hit]:
    for p in snapshot.live_processes:
        accountable = snapshot.accountable(p.id)
        owner_ids = {a.owner_id for a in accountable}
        if len(owner_ids) > 1:
            owner_names = names(
                snapshot.owners_by_id[o].name if o in snapshot.owners_by_id else str(o)
                for o in owner_ids
            )
            yield (
                ObjectType.PROCESS,
                p.id,
                Said(
                    "OWN-002",
                    f"{p.name} has {len(owner_ids)} accountable owners: {owner_names}.",
                    subject=p.name,
                    count=len(owner_ids),
                    names=owner_names,
                ),
            )
