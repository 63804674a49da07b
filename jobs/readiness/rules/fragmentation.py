"""Fragmentation: several live processes or tools doing the same job, with no single
accountable owner reconciling them.

Overlap is found by bucketing (see `keywords.signatures`), never by comparing every pair,
so the rules stay near-linear for clients with thousands of processes. A bucket with two
or more processes is fragmented unless all of them have the same single accountable owner:
then someone does reconcile them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Iterator
from uuid import UUID

from jobs.readiness.findings import ObjectType, Pillar, Severity
from jobs.readiness.rules.base import Hit, rule
from jobs.readiness.rules.keywords import keywords, signatures, singles
from jobs.readiness.snapshot import ClientSnapshot, ProcessSnap

_MAX_PEERS_NAMED = 5

Buckets = dict[Hashable, set[UUID]]


def _unit(p: ProcessSnap) -> str:
    return " ".join(p.business_unit.casefold().split())


def _fragmented(snapshot: ClientSnapshot, groups: Iterable[set[UUID]]) -> dict[UUID, set[UUID]]:
    owners = {
        p.id: frozenset(a.owner_id for a in snapshot.accountable(p.id))
        for p in snapshot.live_processes
    }
    peers: dict[UUID, set[UUID]] = defaultdict(set)
    for members in groups:
        if len(members) < 2:
            continue
        keys = {owners[m] for m in members}
        if len(keys) == 1 and len(next(iter(keys))) == 1:
            continue
        named = sorted(members, key=lambda m: (snapshot.processes_by_id[m].name, str(m)))
        # A bounded sample of peers per member, so a huge bucket stays linear.
        head = named[: _MAX_PEERS_NAMED + 2]
        for m in members:
            peers[m].update([x for x in head if x != m][: _MAX_PEERS_NAMED + 1])
    return peers


def _peer_text(snapshot: ClientSnapshot, peer_ids: set[UUID]) -> str:
    peer_names = sorted(snapshot.processes_by_id[x].name for x in peer_ids)
    shown = ", ".join(peer_names[:_MAX_PEERS_NAMED])
    return shown + (" and others" if len(peer_names) > _MAX_PEERS_NAMED else "")


class _Overlaps:
    """Live processes bucketed by what they have in common (a tool, purpose keywords)."""

    def __init__(self) -> None:
        self._buckets: Buckets = defaultdict(set)
        self._meet: Buckets = defaultdict(set)

    def add(self, key: Hashable, pid: UUID) -> None:
        self._buckets[key].add(pid)

    def add_text(self, prefix: Hashable, pid: UUID, text: str) -> None:
        words = keywords(text)
        for sig in signatures(words):
            self._buckets[(prefix, sig)].add(pid)
        for sig in singles(words):
            self._meet[(prefix, sig)].add(pid)

    def _groups(self) -> Iterable[set[UUID]]:
        # A one-word bucket only matters when a single-keyword text started it.
        for key, members in self._buckets.items():
            yield members | self._meet.get(key, set())

    def fragmented(self, snapshot: ClientSnapshot) -> Iterator[tuple[ProcessSnap, str]]:
        """Each process of a fragmented group, in id order, with its peers named."""
        for pid, peer_ids in sorted(_fragmented(snapshot, self._groups()).items()):
            yield snapshot.processes_by_id[pid], _peer_text(snapshot, peer_ids)


def _purpose_scope(snapshot: ClientSnapshot) -> list[UUID]:
    return [p.id for p in snapshot.live_processes if _unit(p) and keywords(p.purpose)]


@rule(
    id="FRG-001",
    pillar=Pillar.FRAGMENTATION,
    checks=(
        "Live processes in the same business unit with overlapping purposes (two shared "
        "purpose keywords) and no single accountable owner across them."
    ),
    severity=Severity.MEDIUM,
    weight=50,
    recommendation=(
        "Decide whether these processes should be merged or clearly separated, and make one "
        "owner accountable for reconciling their outputs in the meantime."
    ),
    traces_to="Spot fragmentation: several processes doing the same job, none reconciling.",
    evidences=("ISO42001-5.3", "NIST-GOVERN-2.1"),
    scope=_purpose_scope,
)
def overlapping_purposes(snapshot: ClientSnapshot) -> Iterator[Hit]:
    overlaps = _Overlaps()
    for p in snapshot.live_processes:
        if _unit(p):
            overlaps.add_text(_unit(p), p.id, p.purpose)
    for p, peers in overlaps.fragmented(snapshot):
        yield (
            ObjectType.PROCESS,
            p.id,
            f"{p.name} overlaps in purpose with {peers} in {p.business_unit.strip()}, "
            "and no single owner is accountable for all of them.",
        )


@rule(
    id="FRG-002",
    pillar=Pillar.FRAGMENTATION,
    checks=(
        "Live processes sharing a tool, or using different tools with overlapping purposes "
        "in the same business unit, with no single accountable owner across them."
    ),
    severity=Severity.MEDIUM,
    weight=50,
    recommendation=(
        "Consolidate on one tool for this job where you can, and make one owner accountable "
        "for reconciling the tools that remain, so they do not produce conflicting results."
    ),
    traces_to="Spot fragmentation: several tools doing the same job (e.g. segmentation).",
    evidences=("ISO42001-5.3", "NIST-GOVERN-2.1"),
    scope=lambda s: [p.id for p in s.live_processes if p.tools],
)
def overlapping_tools(snapshot: ClientSnapshot) -> Iterator[Hit]:
    overlaps = _Overlaps()
    for p in snapshot.live_processes:
        for t in p.tools:
            name = " ".join(t.name.casefold().split())
            vendor = " ".join((t.vendor or "").casefold().split())
            if name:
                overlaps.add(("tool", name, vendor), p.id)
            if _unit(p):
                overlaps.add_text(("purpose", _unit(p)), p.id, t.purpose)
    for p, peers in overlaps.fragmented(snapshot):
        yield (
            ObjectType.PROCESS,
            p.id,
            f"{p.name} uses the same or an equivalent tool as {peers}, "
            "and no single owner is accountable for all of them.",
        )
