"""Vendor clauses: agreements say who monitors, responds, updates and governs data, and
every vendor tool in live use is covered by one."""

from __future__ import annotations

from collections.abc import Iterator
from uuid import UUID

from jobs.readiness.findings import ObjectType, Pillar, Severity
from jobs.readiness.rules.base import Hit, Said, names, rule
from jobs.readiness.snapshot import ClientSnapshot, ProcessSnap


def _norm(vendor: str) -> str:
    return " ".join(vendor.casefold().split())


def _agreements_in_force(snapshot: ClientSnapshot) -> list[UUID]:
    return [a.id for a in snapshot.vendor_agreements if a.in_force(snapshot.as_of)]


def _vendors(p: ProcessSnap) -> set[str]:
    return {_norm(t.vendor) for t in p.tools if t.vendor and t.vendor.strip()}


@rule(
    id="VEN-001",
    pillar=Pillar.VENDOR_CLAUSES,
    checks=(
        "Agreement in force where a clause (monitoring, incident response, updates, data "
        "governance) names no responsible party."
    ),
    severity=Severity.HIGH,
    weight=40,
    recommendation=(
        "Amend the agreement so each ownership clause names who is responsible: the "
        "vendor, your organisation, or both with a clear split."
    ),
    traces_to="Put ownership into vendor agreements: who monitors, responds, updates.",
    evidences=("ISO42001-A.10.2", "NIST-GOVERN-6.1", "NIST-MANAGE-3.1"),
    scope=_agreements_in_force,
)
def unspecified_clauses(snapshot: ClientSnapshot) -> Iterator[Hit]:
    for a in snapshot.vendor_agreements:
        if not a.in_force(snapshot.as_of):
            continue
        missing = [c for c, party in a.clause_parties.items() if party == "unspecified"]
        if missing:
            yield (
                ObjectType.VENDOR_AGREEMENT,
                a.id,
                f"Agreement with {a.vendor} does not say who is responsible for "
                f"{', '.join(missing)}.",
            )


@rule(
    id="VEN-002",
    pillar=Pillar.VENDOR_CLAUSES,
    checks="Agreement in force whose incident response clause has no response time in hours.",
    severity=Severity.MEDIUM,
    weight=25,
    recommendation=(
        "Agree an incident response time in hours with this vendor, proportionate to the "
        "risk of the processes it supports, and how they will notify you."
    ),
    traces_to="Vendor agreements: who responds to incidents and how fast.",
    evidences=("ISO42001-A.10.2", "NIST-GOVERN-6.2"),
    scope=_agreements_in_force,
)
def incident_response_without_hours(snapshot: ClientSnapshot) -> Iterator[Hit]:
    for a in snapshot.vendor_agreements:
        if a.in_force(snapshot.as_of) and a.incident_response_hours is None:
            yield (
                ObjectType.VENDOR_AGREEMENT,
                a.id,
                Said(
                    "VEN-002",
                    f"Agreement with {a.vendor} sets no incident response time.",
                    subject=a.vendor,
                ),
            )


@rule(
    id="VEN-003",
    pillar=Pillar.VENDOR_CLAUSES,
    checks="Live process using a vendor's tool with no agreement in force covering it.",
    severity=Severity.HIGH,
    weight=35,
    recommendation=(
        "Put an agreement in place with this vendor that covers the process, including "
        "monitoring, incident response times, updates and data governance."
    ),
    traces_to="Vendor agreements: ownership is contractual, not assumed.",
    evidences=("ISO42001-A.10.3", "NIST-GOVERN-6.1", "NIST-MANAGE-3.1"),
    scope=lambda s: [p.id for p in s.live_processes if _vendors(p)],
)
def vendor_tool_without_agreement(snapshot: ClientSnapshot) -> Iterator[Hit]:
    covered: dict[UUID, set[str]] = {}
    for a in snapshot.vendor_agreements:
        if a.in_force(snapshot.as_of):
            for pid in a.covered_process_ids:
                covered.setdefault(pid, set()).add(_norm(a.vendor))
    for p in snapshot.live_processes:
        uncovered = _vendors(p) - covered.get(p.id, set())
        if uncovered:
            display = {
                _norm(t.vendor): t.vendor.strip()
                for t in p.tools
                if t.vendor and _norm(t.vendor) in uncovered
            }
            yield (
                ObjectType.PROCESS,
                p.id,
                f"{p.name} uses tools from {names(display.values())} with no agreement "
                "covering it.",
            )
