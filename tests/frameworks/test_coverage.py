"""Coverage from the readiness snapshot and its findings: met, partly, not met, n/a."""

from __future__ import annotations

from jobs.readiness import build_readiness
from jobs.readiness.frameworks import (
    CoverageStatus,
    FrameworkCoverage,
    framework_coverage,
    framework_sections,
)
from jobs.readiness.snapshot import ClientSnapshot, ProcessSnap
from tests.jobs.factories import SnapshotBuilder

S = CoverageStatus


def _coverage(snap: ClientSnapshot, fw: str, **kw: object) -> FrameworkCoverage:
    return framework_coverage(snap, build_readiness(snap).findings, fw, **kw)  # type: ignore[arg-type]


def _status(cov: FrameworkCoverage, requirement_id: str) -> CoverageStatus:
    return next(r.status for r in cov.requirements if r.requirement.id == requirement_id)


def test_healthy_client_meets_what_its_rules_evidence() -> None:
    b = SnapshotBuilder()
    b.healthy_process()
    b.ensure_plan()
    cov = _coverage(b.build(), "iso-iec-42001")
    assert _status(cov, "ISO42001-5.3") is S.MET
    assert _status(cov, "ISO42001-7.2") is S.MET
    # No rule evidences awareness: Steward says it cannot tell instead of claiming it.
    assert _status(cov, "ISO42001-7.3") is S.NOT_ASSESSED
    # No vendor agreement and no vendor tool: nothing to check for suppliers.
    assert _status(cov, "ISO42001-A.10.3") is S.NOT_APPLICABLE


def test_no_live_process_is_not_applicable_not_met() -> None:
    cov = _coverage(SnapshotBuilder().build(), "nist-ai-rmf")
    assert _status(cov, "NIST-GOVERN-2.1") is S.NOT_APPLICABLE
    assert all(r.status in (S.NOT_APPLICABLE, S.NOT_ASSESSED) for r in cov.requirements)


def _one_healthy_one_orphaned() -> tuple[ClientSnapshot, ProcessSnap, ProcessSnap]:
    """A snapshot of a healthy process and one reviewed, measured but without an owner;
    the snapshot and the two processes."""
    b = SnapshotBuilder()
    good, _ = b.healthy_process("Claims triage")
    orphan = b.process("Orphan", reviewed_days_ago=1)
    b.kpi(orphan)
    b.ensure_plan()
    return b.build(), good, orphan


def test_one_of_two_processes_orphaned_is_partly_with_the_finding_behind_it() -> None:
    snap, good, orphan = _one_healthy_one_orphaned()
    cov = _coverage(snap, "eu-ai-act")
    oversight = next(r for r in cov.requirements if r.requirement.id == "EUAIA-26.2")
    assert oversight.status is S.PARTLY
    assert orphan.id in oversight.failing_object_ids
    assert good.id in oversight.object_ids and good.id not in oversight.failing_object_ids
    assert {f.rule_id for f in oversight.findings} >= {"OWN-001"}
    assert all(f.object_id in oversight.failing_object_ids for f in oversight.findings)


def test_per_process_coverage_only_counts_that_process_and_its_objects() -> None:
    snap, good, orphan = _one_healthy_one_orphaned()
    assert _status(_coverage(snap, "eu-ai-act", process_id=good.id), "EUAIA-26.2") is S.MET
    assert _status(_coverage(snap, "eu-ai-act", process_id=orphan.id), "EUAIA-26.2") is S.NOT_MET


def test_all_evidence_failing_is_not_met() -> None:
    b = SnapshotBuilder()
    p = b.process("Scoring", risk="high", checkpoints=0, reviewed_days_ago=1)
    o = b.owner()
    b.assign(o, p)
    b.assess(o)
    b.kpi(p)
    b.ensure_plan()
    cov = _coverage(b.build(), "nist-ai-rmf")
    assert _status(cov, "NIST-MAP-3.5") is S.NOT_MET  # OVS-001: no human-review checkpoint


def test_sections_follow_the_chosen_frameworks_and_counts_add_up() -> None:
    b = SnapshotBuilder()
    b.healthy_process()
    snap = b.build()
    sections = framework_sections(
        snap, build_readiness(snap).findings, ["nist-ai-rmf", "eu-ai-act"]
    )
    assert [s.framework.id for s in sections] == ["nist-ai-rmf", "eu-ai-act"]
    for s in sections:
        assert sum(s.counts().values()) == len(s.framework.requirements)


def test_a_tenant_mapping_replaces_the_rules_own() -> None:
    b = SnapshotBuilder()
    b.healthy_process()
    b.process("Orphan", reviewed_days_ago=1)
    snap = b.build()
    cov = _coverage(snap, "iso-iec-42001", mapping={"ISO42001-7.3": ("OWN-001",)})
    assert _status(cov, "ISO42001-7.3") is S.PARTLY
    assert _status(cov, "ISO42001-5.3") is S.NOT_ASSESSED


def test_regulatory_profile_decides_what_applies_to_a_process() -> None:
    from dataclasses import replace

    from jobs.readiness.snapshot import RegulatorySnap

    b = SnapshotBuilder()
    hr = b.process("Credit scoring", reviewed_days_ago=1)  # orphaned: fails OWN-001
    b.kpi(hr)
    minimal, _ = b.healthy_process("Invoice matching")
    b.ensure_plan()
    snap = replace(
        b.build(),
        regulatory_profiles=(
            RegulatorySnap(hr.id, "deployer", "high_risk", "essential_services"),
            RegulatorySnap(minimal.id, "deployer", "minimal"),
        ),
    )
    on_minimal = _coverage(snap, "eu-ai-act", process_id=minimal.id)
    assert _status(on_minimal, "EUAIA-26.2") is S.NOT_APPLICABLE  # high-risk duty
    assert _status(on_minimal, "EUAIA-4") is S.MET  # AI literacy binds every deployer
    on_hr = _coverage(snap, "eu-ai-act", process_id=hr.id)
    assert _status(on_hr, "EUAIA-26.2") is S.NOT_MET
    # Client-wide, only the high-risk process's evidence counts for a high-risk duty.
    client = next(
        r for r in _coverage(snap, "eu-ai-act").requirements if r.requirement.id == "EUAIA-26.2"
    )
    assert client.status is S.NOT_MET and minimal.id not in client.object_ids
    # A provider-only process is not bound by deployer duties.
    provider = replace(
        snap, regulatory_profiles=(RegulatorySnap(hr.id, "provider", "high_risk", "employment"),)
    )
    assert (
        _status(_coverage(provider, "eu-ai-act", process_id=hr.id), "EUAIA-26.2")
        is S.NOT_APPLICABLE
    )


def test_health_flags_a_high_risk_process_whose_deployer_duties_are_unmet() -> None:
    from dataclasses import replace

    from jobs.health import assess_health
    from jobs.readiness.snapshot import RegulatorySnap

    b = SnapshotBuilder()
    hr = b.process("Credit scoring", reviewed_days_ago=1)  # orphaned
    b.kpi(hr)
    fine, _ = b.healthy_process("Fraud screening")
    b.ensure_plan()
    base = b.build()
    profiles = (RegulatorySnap(hr.id, "both", "high_risk", "essential_services"),)
    health = assess_health(replace(base, regulatory_profiles=profiles), [80.0])
    reason = next(r for r in health.reasons if r.code == "HIGH_RISK_DEPLOYER_DUTIES_UNMET")
    assert health.status == "RED"
    assert reason.params["names"] == ["Credit scoring"] and "Art. 26(2)" in reason.params["duties"]
    assert "deployer duties unmet (Credit scoring): " in reason.message
    # The same process classified minimal, or a healthy high-risk one: no such reason.
    minimal = (RegulatorySnap(hr.id, "deployer", "minimal"),)
    healthy = (RegulatorySnap(fine.id, "deployer", "high_risk", "employment"),)
    for quiet in (minimal, healthy):
        codes = {
            r.code for r in assess_health(replace(base, regulatory_profiles=quiet), []).reasons
        }
        assert "HIGH_RISK_DEPLOYER_DUTIES_UNMET" not in codes
