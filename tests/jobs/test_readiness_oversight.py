"""Capability (CAB-*), oversight (OVS-*) and responsibilities (RSP-*) rules."""

from __future__ import annotations

import pytest

from jobs.readiness import RULES_BY_ID, Finding
from jobs.readiness.findings import ObjectType
from jobs.readiness.snapshot import ClientSnapshot, DimensionSnap
from tests.jobs.factories import SnapshotBuilder, ids


def run(rule_id: str, snap: ClientSnapshot) -> list[Finding]:
    return RULES_BY_ID[rule_id](snap)


# CAB-001 recent assessment


def test_never_assessed_owner_flagged() -> None:
    b = SnapshotBuilder()
    o = b.owner()
    b.assign(o, b.process())
    [f] = run("CAB-001", b.build())
    assert f.object_id == o.id and "never" in f.message


@pytest.mark.parametrize(("age", "flagged"), [(365, False), (366, True), (0, False)])
def test_assessment_age_boundary(age: int, flagged: bool) -> None:
    b = SnapshotBuilder()
    o = b.owner()
    b.assign(o, b.process())
    b.assess(o, days_ago=age)
    assert bool(run("CAB-001", b.build())) is flagged


def test_newest_assessment_wins() -> None:
    b = SnapshotBuilder()
    o = b.owner()
    b.assign(o, b.process())
    b.assess(o, days_ago=10)
    b.assess(o, days_ago=800)
    assert run("CAB-001", b.build()) == []


def test_consulted_people_and_idea_owners_need_no_assessment() -> None:
    b = SnapshotBuilder()
    b.assign(b.owner(), b.process(), role="consulted")
    b.assign(b.owner(), b.process(stage="idea"))
    snap = b.build()
    assert run("CAB-001", snap) == [] and list(RULES_BY_ID["CAB-001"].scope(snap)) == []


# CAB-002 gaps below the bar


def test_score_below_bar_flagged_at_bar_passes() -> None:
    b = SnapshotBuilder()
    low, ok = b.owner("Low"), b.owner("Ok")
    p = b.process()
    b.assign(low, p)
    b.assign(ok, p, role="responsible")
    b.assess(low, data_interpretation=2)
    b.assess(ok, data_interpretation=3)
    [f] = run("CAB-002", b.build())
    assert f.object_id == low.id and "Data interpretation 2/3" in f.message


def test_only_latest_assessment_judged() -> None:
    b = SnapshotBuilder()
    o = b.owner()
    b.assign(o, b.process())
    b.assess(o, days_ago=200, ai_fundamentals=1)
    b.assess(o, days_ago=5, ai_fundamentals=4)
    assert run("CAB-002", b.build()) == []


def test_tenant_dimension_with_higher_bar_and_unscored_dimension() -> None:
    b = SnapshotBuilder()
    b.dimensions.append(DimensionSnap("regulation", "Regulatory knowledge", 5))
    b.dimensions.append(DimensionSnap("ethics", "Ethics", 3))
    o = b.owner()
    b.assign(o, b.process())
    b.assess(o, regulation=4)  # ethics not scored: "not assessed", not a gap
    [f] = run("CAB-002", b.build())
    assert "Regulatory knowledge 4/5" in f.message and "Ethics" not in f.message


def test_unassessed_owner_not_in_gap_scope() -> None:
    b = SnapshotBuilder()
    b.assign(b.owner(), b.process())
    assert list(RULES_BY_ID["CAB-002"].scope(b.build())) == []


# OVS-001 / OVS-002 checkpoints and escalation


@pytest.mark.parametrize(
    ("rule_id", "field"), [("OVS-001", "checkpoints"), ("OVS-002", "escalation")]
)
@pytest.mark.parametrize(
    ("risk", "flagged"), [("critical", True), ("high", True), ("medium", False), ("low", False)]
)
def test_high_impact_oversight(rule_id: str, field: str, risk: str, flagged: bool) -> None:
    b = SnapshotBuilder()
    missing = {field: 0}
    p = b.process(
        risk=risk,
        checkpoints=missing.get("checkpoints", 1),
        escalation=missing.get("escalation", 1),
    )
    b.process("Has it", risk=risk)
    assert ids(run(rule_id, b.build())) == ({p.id} if flagged else set())


@pytest.mark.parametrize("rule_id", ["OVS-001", "OVS-002"])
def test_oversight_ignores_non_live(rule_id: str) -> None:
    b = SnapshotBuilder()
    b.process(stage="idea", risk="critical", checkpoints=0, escalation=0)
    b.process(stage="retired", risk="critical", checkpoints=0, escalation=0)
    snap = b.build()
    assert run(rule_id, snap) == [] and list(RULES_BY_ID[rule_id].scope(snap)) == []


# OVS-003 boundaries


def test_undocumented_boundaries() -> None:
    b = SnapshotBuilder()
    bad = b.process("Bad", documented=False)
    b.process("Good")
    [f] = run("OVS-003", b.build())
    assert f.object_id == bad.id
    assert "workflow steps" in f.message and "data inputs" in f.message


def test_missing_outputs_alone_is_undocumented() -> None:
    from dataclasses import replace

    b = SnapshotBuilder()
    p = b.process()
    b.processes[0] = replace(p, output_count=0)
    [f] = run("OVS-003", b.build())
    assert f.message.endswith("no documented outputs.")


def test_upstream_downstream_may_be_empty() -> None:
    from dataclasses import replace

    b = SnapshotBuilder()
    p = b.process()
    b.processes[0] = replace(p, upstream_count=0, downstream_count=0)
    assert run("OVS-003", b.build()) == []


# RSP-001 responsibilities


def test_union_of_current_assignments_covers_duties() -> None:
    b = SnapshotBuilder()
    p = b.process()
    b.assign(b.owner(), p, duties=frozenset({"monitoring", "exceptions"}))
    b.assign(b.owner(), p, role="responsible", duties=frozenset({"incidents", "improvement"}))
    assert run("RSP-001", b.build()) == []


def test_missing_duties_listed_and_ended_assignment_ignored() -> None:
    b = SnapshotBuilder()
    p = b.process("Chatbot")
    b.assign(b.owner(), p, duties=frozenset({"monitoring", "exceptions", "improvement"}))
    b.assign(
        b.owner(), p, role="responsible", duties=frozenset({"incidents"}), ends_on=b.days_ago(1)
    )
    [f] = run("RSP-001", b.build())
    assert f.object_type is ObjectType.PROCESS
    assert "handling incidents" in f.message and "monitoring" not in f.message


def test_orphan_has_no_duties_covered_and_idea_is_out_of_scope() -> None:
    b = SnapshotBuilder()
    orphan = b.process()
    b.process(stage="idea")
    assert ids(run("RSP-001", b.build())) == {orphan.id}
