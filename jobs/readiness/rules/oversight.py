"""Oversight: high-impact processes have human checkpoints and an escalation path, and
every live process has documented boundaries."""

from __future__ import annotations

from collections.abc import Iterator

from jobs.readiness.findings import ObjectType, Pillar, Severity
from jobs.readiness.rules.base import Hit, Said, live_high_impact_ids, live_process_ids, rule
from jobs.readiness.snapshot import ClientSnapshot


@rule(
    id="OVS-001",
    pillar=Pillar.OVERSIGHT,
    checks="Live high- or critical-risk process with no human-review checkpoint.",
    severity=Severity.HIGH,
    weight=40,
    recommendation=(
        "Add a human-review checkpoint where this process's output has the most impact "
        "(for example before a payment or a customer decision), sized so it does not stall "
        "the flow: sample or threshold-based review is enough."
    ),
    traces_to="Design human oversight: review checkpoints on high-impact processes.",
    evidences=("EUAIA-14", "EUAIA-26.2", "ISO42001-8.1", "NIST-MAP-3.5"),
    scope=live_high_impact_ids,
)
def missing_checkpoints(snapshot: ClientSnapshot) -> Iterator[Hit]:
    for p in snapshot.live_processes:
        if p.is_high_impact and p.checkpoint_count == 0:
            yield (
                ObjectType.PROCESS,
                p.id,
                Said(
                    "OVS-001",
                    f"{p.name} is {p.risk_tier} risk and has no human-review checkpoint.",
                    subject=p.name,
                    tier=p.risk_tier,
                ),
            )


@rule(
    id="OVS-002",
    pillar=Pillar.OVERSIGHT,
    checks="Live high- or critical-risk process with no escalation path.",
    severity=Severity.HIGH,
    weight=35,
    recommendation=(
        "Write down who is called, when and at which level if this process misbehaves, "
        "and share it with everyone who operates it."
    ),
    traces_to="Clear escalation paths: who is called, when, at which level.",
    evidences=("EUAIA-26.5", "ISO42001-8.1", "NIST-MANAGE-4.3"),
    scope=live_high_impact_ids,
)
def missing_escalation(snapshot: ClientSnapshot) -> Iterator[Hit]:
    for p in snapshot.live_processes:
        if p.is_high_impact and p.escalation_level_count == 0:
            yield (
                ObjectType.PROCESS,
                p.id,
                Said(
                    "OVS-002",
                    f"{p.name} is {p.risk_tier} risk and has no escalation path.",
                    subject=p.name,
                    tier=p.risk_tier,
                ),
            )


@rule(
    id="OVS-003",
    pillar=Pillar.OVERSIGHT,
    checks="Live process whose boundaries are undocumented: no steps, data inputs or outputs.",
    severity=Severity.MEDIUM,
    weight=25,
    recommendation=(
        "Map this process's boundaries: the workflow steps the AI touches and its role at "
        "each, the data it takes in and the outputs it produces."
    ),
    traces_to="Map process boundaries: steps, upstream/downstream, inputs and outputs.",
    evidences=("ISO42001-8.1", "NIST-MAP-1.1"),
    scope=live_process_ids,
)
def undocumented_boundaries(snapshot: ClientSnapshot) -> Iterator[Hit]:
    for p in snapshot.live_processes:
        missing = [
            label
            for label, count in (
                ("workflow steps", p.step_count),
                ("data inputs", p.data_input_count),
                ("outputs", p.output_count),
            )
            if count == 0
        ]
        if missing:
            yield (
                ObjectType.PROCESS,
                p.id,
                f"{p.name} has no documented {', '.join(missing)}.",
            )
