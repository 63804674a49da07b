"""Scoring, comparison, the snapshot's validation and the rules table."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from uuid import UUID, uuid4

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jobs.readiness import (
    PILLAR_WEIGHTS,
    RULES,
    Finding,
    FindingKey,
    Pillar,
    PreviousReport,
    build_readiness,
    compare,
)
from jobs.readiness.findings import ObjectType, Severity
from jobs.readiness.scoring import ReadinessResult, RuleOutcome, overall_score, pillar_scores
from jobs.readiness.snapshot import AssignmentSnap, ProcessSnap, VendorAgreementSnap
from tests.jobs.factories import SnapshotBuilder

RULES_MD = Path(__file__).resolve().parents[2] / "jobs" / "readiness" / "RULES.md"


def healthy() -> SnapshotBuilder:
    b = SnapshotBuilder()
    b.healthy_process()
    b.ensure_plan()
    return b


def test_no_findings_scores_100_and_empty_pillars_are_not_applicable() -> None:
    result = build_readiness(healthy().build())
    assert result.findings == []
    assert result.score == 100.0
    assert result.pillar_scores[Pillar.VENDOR_CLAUSES] is None
    assert result.pillar_scores[Pillar.FRAGMENTATION] is None
    assert result.pillar_scores[Pillar.OWNERSHIP] == 100.0
    assert set(result.pillar_scores) == {p.value for p in Pillar}


def test_client_without_processes_has_no_score() -> None:
    result = build_readiness(SnapshotBuilder().build())
    assert result.score is None and all(v is None for v in result.pillar_scores.values())


def test_orphaned_process_costs_ownership_points() -> None:
    b = healthy()
    b.process("Orphan", reviewed_days_ago=1)
    result = build_readiness(b.build())
    # One of two live processes orphaned: OWN-001 (weight 70) at fraction 1/2.
    assert result.pillar_scores[Pillar.OWNERSHIP] == 65.0
    assert result.score is not None and result.score < 100


def test_findings_sorted_by_severity_then_rule() -> None:
    b = SnapshotBuilder()
    b.process(risk="critical", checkpoints=0, escalation=0, documented=False)
    findings = build_readiness(b.build()).findings
    keys = [(f.severity.rank, f.rule_id) for f in findings]
    assert keys == sorted(keys)
    assert findings[0].severity is Severity.CRITICAL


def test_build_is_deterministic() -> None:
    b = SnapshotBuilder()
    for i in range(5):
        b.process(f"P{i}", purpose="Customer segmentation", unit="Marketing", risk="high")
    snap = b.build()
    assert build_readiness(snap) == build_readiness(snap)


def test_more_failures_never_raise_scores() -> None:
    b = healthy()
    extra = [b.healthy_process(f"Healthy {i}")[0] for i in range(3)]
    before = build_readiness(b.build())
    b.processes[b.processes.index(extra[0])] = replace(extra[0], step_count=0)
    after = build_readiness(b.build())
    assert after.score is not None and before.score is not None
    assert after.score <= before.score
    for key, value in after.pillar_scores.items():
        prior = before.pillar_scores[key]
        assert (value is None) == (prior is None)
        assert value is None or prior is None or value <= prior


@given(
    applicable=st.lists(
        st.integers(min_value=1, max_value=20), min_size=len(RULES), max_size=len(RULES)
    ),
    failing=st.lists(
        st.integers(min_value=0, max_value=20), min_size=len(RULES), max_size=len(RULES)
    ),
    which=st.integers(min_value=0, max_value=len(RULES) - 1),
)
def test_scoring_is_monotone_and_bounded(
    applicable: list[int], failing: list[int], which: int
) -> None:
    base = [
        RuleOutcome(r, a, min(f, a)) for r, a, f in zip(RULES, applicable, failing, strict=True)
    ]
    worse = list(base)
    o = worse[which]
    worse[which] = RuleOutcome(o.rule, o.applicable, min(o.applicable, o.failing + 1))
    s1, s2 = pillar_scores(base), pillar_scores(worse)
    for p in Pillar:
        v1, v2 = s1[p], s2[p]
        assert v1 is not None and v2 is not None
        assert 0 <= v2 <= v1 <= 100
    o1, o2 = overall_score(s1), overall_score(s2)
    assert o1 is not None and o2 is not None and 0 <= o2 <= o1 <= 100


def test_pillar_clamped_at_zero_and_weighted_overall() -> None:
    outcomes = [RuleOutcome(r, 1, 1) for r in RULES]
    scores = pillar_scores(outcomes)
    assert all(v == 0 for v in scores.values())
    only = {p: None for p in Pillar} | {Pillar.OWNERSHIP: 40.0, Pillar.FRAGMENTATION: 100.0}
    w_own, w_frg = PILLAR_WEIGHTS[Pillar.OWNERSHIP], PILLAR_WEIGHTS[Pillar.FRAGMENTATION]
    assert overall_score(only) == pytest.approx((40 * w_own + 100 * w_frg) / (w_own + w_frg))


# comparison


def _finding(rule_id: str, object_id: UUID | None = None, message: str = "m") -> Finding:
    return Finding(
        rule_id,
        Pillar.OWNERSHIP,
        Severity.HIGH,
        ObjectType.PROCESS,
        object_id or uuid4(),
        message,
        "r",
    )


def test_compare_new_and_resolved() -> None:
    keep, gone, new = uuid4(), uuid4(), uuid4()
    previous = PreviousReport(60.0, (_finding("OWN-001", keep), FindingKey("FBK-001", gone)))
    current = ReadinessResult(
        72.5, {}, [_finding("OWN-001", keep, "reworded"), _finding("OWN-001", new)]
    )
    c = compare(previous, current)
    assert c.score_change == 12.5
    assert [f.object_id for f in c.new_findings] == [new]
    assert c.resolved_findings == (FindingKey("FBK-001", gone),)


def test_compare_without_previous_and_with_missing_scores() -> None:
    current = build_readiness(SnapshotBuilder().build())
    c = compare(None, current)
    assert c.score_change is None and c.resolved_findings == ()
    assert compare(PreviousReport(None), current).score_change is None


def test_compare_real_reports() -> None:
    b = healthy()
    first = build_readiness(b.build())
    orphan = b.process("Orphan", reviewed_days_ago=1)
    second = build_readiness(b.build())
    c = compare(first, second)
    assert {f.rule_id for f in c.new_findings} >= {"OWN-001"}
    assert all(f.object_id == orphan.id for f in c.new_findings)
    assert c.score_change is not None and c.score_change < 0
    back = compare(second, first)
    assert FindingKey("OWN-001", orphan.id) in back.resolved_findings
    assert back.new_findings == ()


def test_finding_round_trips_through_dict() -> None:
    f = _finding("OWN-001")
    assert Finding.from_dict(f.to_dict()) == f


# snapshot validation


def test_snapshot_rejects_unknown_enum_values() -> None:
    with pytest.raises(ValueError, match="lifecycle_stage"):
        ProcessSnap(id=uuid4(), name="x", lifecycle_stage="Production")
    with pytest.raises(ValueError, match="responsibility"):
        b = SnapshotBuilder()
        AssignmentSnap(
            uuid4(),
            uuid4(),
            uuid4(),
            "accountable",
            b.as_of,
            responsibilities=frozenset({"coffee"}),
        )
    with pytest.raises(ValueError, match="monitoring party"):
        VendorAgreementSnap(uuid4(), "V", monitoring_party="nobody")


# rules table


def test_every_rule_documented_in_rules_md() -> None:
    text = RULES_MD.read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| ([A-Z]{3}-\d{3}) \|", text, flags=re.MULTILINE))
    assert documented == {r.id for r in RULES}
    for r in RULES:
        row = next(line for line in text.splitlines() if line.startswith(f"| {r.id} |"))
        cells = [c.strip() for c in row.strip("|").split("|")]
        assert cells[1] == r.pillar.label, r.id
        assert cells[2] == r.checks, r.id
        assert cells[3] == r.severity.value, r.id
        assert float(cells[4]) == r.weight, r.id


def test_rule_metadata_complete() -> None:
    for r in RULES:
        assert re.fullmatch(r"[A-Z]{3}-\d{3}", r.id)
        assert r.checks and r.recommendation and r.traces_to and 0 < r.weight <= 100
    assert {r.pillar for r in RULES} == set(Pillar)
