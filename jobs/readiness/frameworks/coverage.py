"""Framework coverage: how far a client (or one process) meets each requirement.

Pure functions of the same `ClientSnapshot` and findings the readiness report is built
from, so the coverage and the report can never disagree and no extra SQL is spent: the
caller loads the snapshot once (`jobs/readiness/loader.py`, a fixed number of statements)
and passes the findings it already computed.

A requirement is evidenced by the rules whose `evidences` name it. Each (rule, object)
pair in a rule's scope is one piece of evidence; it fails when the rule has a finding on
that object. The requirement is then

- `not_assessed` when no rule evidences it (Steward cannot tell, and says so),
- `not_applicable` when its rules have nothing in scope (no live process, say), or the
  process's regulatory profile rules it out (a high-risk duty of a minimal-risk process, a
  provider duty of a pure deployer); an unclassified process is judged as if it applied,

- `met` when no evidence fails, `not_met` when all of it fails, `partly` otherwise.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from uuid import UUID

from jobs.readiness.findings import Finding
from jobs.readiness.frameworks.catalogue import Framework, Requirement, frameworks
from jobs.readiness.rules import RULES, Rule
from jobs.readiness.snapshot import ClientSnapshot, RegulatorySnap

Evidence = tuple[str, UUID]  # (rule id, object id)


class CoverageStatus(StrEnum):
    MET = "met"
    PARTLY = "partly"
    NOT_MET = "not_met"
    NOT_APPLICABLE = "not_applicable"
    NOT_ASSESSED = "not_assessed"


#: Report wording of each status (msgids: the German catalogue translates them).
COVERAGE_NAMES: dict[str, str] = {
    CoverageStatus.MET.value: "met",
    CoverageStatus.PARTLY.value: "partly met",
    CoverageStatus.NOT_MET.value: "not met",
    CoverageStatus.NOT_APPLICABLE.value: "not applicable",
    CoverageStatus.NOT_ASSESSED.value: "not assessed",
}


@dataclass(frozen=True, slots=True)
class RequirementCoverage:
    requirement: Requirement
    status: CoverageStatus
    rule_ids: tuple[str, ...]
    #: Objects the rules checked, and those of them with a finding, in a stable order.
    object_ids: tuple[UUID, ...]
    failing_object_ids: tuple[UUID, ...]
    findings: tuple[Finding, ...]


@dataclass(frozen=True, slots=True)
class FrameworkCoverage:
    framework: Framework
    process_id: UUID | None
    requirements: tuple[RequirementCoverage, ...]

    def counts(self) -> dict[CoverageStatus, int]:
        tally = dict.fromkeys(CoverageStatus, 0)
        for r in self.requirements:
            tally[r.status] += 1
        return tally


def rule_mapping(rules: Iterable[Rule] = RULES) -> dict[str, tuple[str, ...]]:
    """Requirement id -> ids of the rules evidencing it, from the rules' metadata."""
    mapping: dict[str, list[str]] = {}
    for r in rules:
        for requirement_id in r.evidences:
            mapping.setdefault(requirement_id, []).append(r.id)
    return {k: tuple(sorted(v)) for k, v in mapping.items()}


def process_object_ids(snapshot: ClientSnapshot, process_id: UUID) -> frozenset[UUID]:
    """The objects whose findings speak about one process.

    The process itself, the owners currently assigned to it, the agreements covering it,
    and change plans about it with their milestones. Client-wide findings (CHG-001) and
    owners' other work are left out: they are not this process's evidence.
    """
    ids: set[UUID] = {process_id}
    ids.update(a.owner_id for a in snapshot.current_by_process.get(process_id, ()))
    ids.update(a.id for a in snapshot.vendor_agreements if process_id in a.covered_process_ids)
    for plan in snapshot.change_plans:
        if plan.process_id == process_id:
            ids.add(plan.id)
            ids.update(m.id for m in plan.milestones)
    return frozenset(ids)


def applies(requirement: Requirement, profile: RegulatorySnap | None) -> bool:
    """Whether a requirement binds a process with this profile; unclassified: it may."""
    if profile is None:
        return True
    if requirement.high_risk_only and not profile.is_high_risk:
        return False
    return bool(profile.roles & set(requirement.applies_to))


def _within(
    snapshot: ClientSnapshot, requirement: Requirement, process_id: UUID | None
) -> frozenset[UUID] | None:
    """The objects whose evidence counts; None for all; empty when nothing applies."""
    profiles = snapshot.profile_by_process
    if process_id is not None:
        if not applies(requirement, profiles.get(process_id)):
            return frozenset()
        return process_object_ids(snapshot, process_id)
    live = [p.id for p in snapshot.live_processes]
    bound = [p for p in live if applies(requirement, profiles.get(p))]
    if len(bound) == len(live):
        return None
    objects: set[UUID] = {snapshot.client_id}
    for p in bound:
        objects |= process_object_ids(snapshot, p)
    return frozenset(objects) if bound else frozenset()


def _status(mapped: bool, checked: set[Evidence], failing: set[Evidence]) -> CoverageStatus:
    if not mapped:
        return CoverageStatus.NOT_ASSESSED
    if not checked:
        return CoverageStatus.NOT_APPLICABLE
    if not failing:
        return CoverageStatus.MET
    return CoverageStatus.NOT_MET if failing >= checked else CoverageStatus.PARTLY


def _requirement_coverage(
    requirement: Requirement,
    rule_ids: Sequence[str],
    scopes: Mapping[str, Collection[UUID]],
    findings_by_rule: Mapping[str, Sequence[Finding]],
    within: frozenset[UUID] | None,
) -> RequirementCoverage:
    """`within` limits the evidence to those objects (None: all of the client's)."""

    def keep(object_id: UUID) -> bool:
        return within is None or object_id in within

    checked = {(r, o) for r in rule_ids for o in scopes.get(r, ()) if keep(o)}
    behind = [f for r in rule_ids for f in findings_by_rule.get(r, ()) if keep(f.object_id)]
    failing = {(f.rule_id, f.object_id) for f in behind}
    checked |= failing  # a finding is evidence even if a scope forgot its object
    return RequirementCoverage(
        requirement=requirement,
        status=(
            CoverageStatus.NOT_APPLICABLE
            if within is not None and not within
            else _status(bool(rule_ids), checked, failing)
        ),
        rule_ids=tuple(rule_ids),
        object_ids=tuple(sorted({o for _, o in checked}, key=str)),
        failing_object_ids=tuple(sorted({o for _, o in failing}, key=str)),
        findings=tuple(sorted(behind, key=Finding.sort_key)),
    )


def framework_coverage(
    snapshot: ClientSnapshot,
    findings: Iterable[Finding],
    framework: Framework | str,
    *,
    process_id: UUID | None = None,
    rules: Sequence[Rule] = RULES,
    mapping: Mapping[str, Sequence[str]] | None = None,
) -> FrameworkCoverage:
    """Coverage of one framework for the client, or for one of its processes.

    `mapping` (requirement id -> rule ids) defaults to the rules' own `evidences`; a
    tenant's control set passes its own.
    """
    fw = frameworks()[framework] if isinstance(framework, str) else framework
    mapping = rule_mapping(rules) if mapping is None else mapping
    scopes = {r.id: list(r.scope(snapshot)) for r in rules}
    findings_by_rule: dict[str, list[Finding]] = {}
    for f in findings:
        findings_by_rule.setdefault(f.rule_id, []).append(f)
    return FrameworkCoverage(
        framework=fw,
        process_id=process_id,
        requirements=tuple(
            _requirement_coverage(
                req,
                mapping.get(req.id, ()),
                scopes,
                findings_by_rule,
                _within(snapshot, req, process_id),
            )
            for req in fw.requirements
        ),
    )


def framework_sections(
    snapshot: ClientSnapshot, findings: Sequence[Finding], framework_ids: Iterable[str]
) -> list[FrameworkCoverage]:
    """One coverage section per framework a client chose, in the order given."""
    return [framework_coverage(snapshot, findings, fid) for fid in framework_ids]
