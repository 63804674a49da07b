"""Feedback loops (FBK-*), vendor clauses (VEN-*) and change management (CHG-*) rules."""

from __future__ import annotations

from datetime import timedelta

import pytest

from jobs.readiness import RULES_BY_ID, Finding
from jobs.readiness.findings import ObjectType
from jobs.readiness.snapshot import ClientSnapshot, ToolSnap
from tests.jobs.factories import SnapshotBuilder, ids


def run(rule_id: str, snap: ClientSnapshot) -> list[Finding]:
    return RULES_BY_ID[rule_id](snap)


# FBK-001 reviews


@pytest.mark.parametrize(("age", "flagged"), [(90, False), (91, True), (0, False)])
def test_review_age_boundary(age: int, flagged: bool) -> None:
    b = SnapshotBuilder()
    p = b.process()
    b.review(p, days_ago=age)
    assert bool(run("FBK-001", b.build())) is flagged


def test_never_reviewed_and_last_reviewed_at_column_counts() -> None:
    b = SnapshotBuilder()
    never = b.process("Never")
    b.process("Column", reviewed_days_ago=5)
    [f] = run("FBK-001", b.build())
    assert f.object_id == never.id and "never" in f.message


def test_newest_of_review_rows_and_column_wins() -> None:
    b = SnapshotBuilder()
    p = b.process(reviewed_days_ago=200)
    b.review(p, days_ago=300)
    b.review(p, days_ago=20)
    assert run("FBK-001", b.build()) == []


def test_retired_process_needs_no_review() -> None:
    b = SnapshotBuilder()
    b.process(stage="retired")
    assert run("FBK-001", b.build()) == []


# FBK-002 / FBK-003 KPIs


def test_no_kpi_flagged() -> None:
    b = SnapshotBuilder()
    p = b.process()
    measured = b.process("Measured")
    b.kpi(measured)
    assert ids(run("FBK-002", b.build())) == {p.id}


def test_kpi_without_target_flagged_and_zero_target_is_a_target() -> None:
    b = SnapshotBuilder()
    p, q = b.process("Stock"), b.process("Zero")
    b.kpi(p, "Stock-outs", target=None)
    b.kpi(p, "Overstock", target=5)
    b.kpi(q, "Complaints", target=0)
    snap = b.build()
    [f] = run("FBK-003", snap)
    assert f.object_id == p.id and "Stock-outs" in f.message and "Overstock" not in f.message
    # Processes without KPIs are FBK-002's business, not in FBK-003's scope.
    assert set(RULES_BY_ID["FBK-003"].scope(snap)) == {p.id, q.id}


# VEN-001 / VEN-002 clauses


def test_unspecified_clause_flagged() -> None:
    b = SnapshotBuilder()
    ok = b.agreement("Acme AI")
    bad = b.agreement("Vague Inc", data_governance_party="unspecified")
    [f] = run("VEN-001", b.build())
    assert (f.object_type, f.object_id) == (ObjectType.VENDOR_AGREEMENT, bad.id)
    assert "data governance" in f.message
    assert ok.id not in ids(run("VEN-001", b.build()))


def test_expired_agreement_is_not_judged_but_ending_today_is() -> None:
    b = SnapshotBuilder()
    b.agreement("Old", monitoring_party="unspecified", ends_on=b.days_ago(1))
    today = b.agreement("Today", monitoring_party="unspecified", ends_on=b.as_of)
    assert ids(run("VEN-001", b.build())) == {today.id}


def test_incident_response_without_hours() -> None:
    b = SnapshotBuilder()
    b.agreement("Fast", incident_response_hours=0.5)
    slow = b.agreement("Unknown", incident_response_hours=None)
    assert ids(run("VEN-002", b.build())) == {slow.id}


# VEN-003 coverage of vendor tools


def test_vendor_tool_needs_covering_agreement() -> None:
    b = SnapshotBuilder()
    tool = (ToolSnap("Chatbot", "TalkCo", "answers"),)
    covered = b.process("Covered", tools=tool)
    uncovered = b.process("Uncovered", tools=tool)
    b.process("In-house", tools=(ToolSnap("Script", None, "glue"),))
    b.agreement("  talkco ", covered)  # vendor names match case- and space-insensitively
    [f] = run("VEN-003", b.build())
    assert f.object_id == uncovered.id and "TalkCo" in f.message


def test_expired_or_other_vendor_agreement_does_not_cover() -> None:
    b = SnapshotBuilder()
    p = b.process(tools=(ToolSnap("Scorer", "ScoreCo"),))
    b.agreement("ScoreCo", p, ends_on=b.days_ago(1))
    b.agreement("OtherCo", p)
    assert ids(run("VEN-003", b.build())) == {p.id}


def test_idea_with_vendor_tool_needs_no_agreement_yet() -> None:
    b = SnapshotBuilder()
    b.process(stage="idea", tools=(ToolSnap("Scorer", "ScoreCo"),))
    assert run("VEN-003", b.build()) == []


# CHG-001 active plan


@pytest.mark.parametrize(
    ("status", "flagged"),
    [("active", False), ("draft", True), ("completed", True), ("on_hold", True)],
)
def test_active_plan_required(status: str, flagged: bool) -> None:
    b = SnapshotBuilder()
    b.process(stage="idea")
    b.plan(status=status)
    found = run("CHG-001", b.build())
    assert bool(found) is flagged
    if flagged:
        assert (found[0].object_type, found[0].object_id) == (ObjectType.CLIENT, b.client_id)


def test_no_plan_needed_when_everything_is_retired() -> None:
    b = SnapshotBuilder()
    b.process(stage="retired")
    snap = b.build()
    assert run("CHG-001", snap) == [] and list(RULES_BY_ID["CHG-001"].scope(snap)) == []


# CHG-002 overdue milestones


def test_overdue_milestones() -> None:
    b = SnapshotBuilder()
    late = b.milestone("Late", due_in_days=-1)
    due_today = b.milestone("Today", due_in_days=0)
    done = b.milestone("Done", due_in_days=-30, status="done")
    cancelled = b.milestone("Dropped", due_in_days=-30, status="cancelled")
    b.plan(milestones=(late, due_today, done, cancelled))
    [f] = run("CHG-002", b.build())
    assert (f.object_type, f.object_id) == (ObjectType.MILESTONE, late.id)
    assert "1 days ago" in f.message


def test_milestones_of_closed_plans_are_not_overdue() -> None:
    b = SnapshotBuilder()
    b.plan(status="cancelled", milestones=(b.milestone(due_in_days=-5),))
    b.plan(status="completed", milestones=(b.milestone(due_in_days=-5),))
    snap = b.build()
    assert run("CHG-002", snap) == [] and list(RULES_BY_ID["CHG-002"].scope(snap)) == []


def test_in_progress_milestone_can_be_overdue() -> None:
    b = SnapshotBuilder()
    m = b.milestone(due_in_days=-1, status="in_progress")
    b.plan(status="on_hold", milestones=(m,))
    assert ids(run("CHG-002", b.build())) == {m.id}
    assert m.due_on == b.as_of - timedelta(days=1)
