"""Ownership coverage (OWN-*) and authority & capacity (AUT-*) rules."""

from __future__ import annotations

from datetime import timedelta

import pytest

from jobs.readiness import RULES_BY_ID, Finding
from jobs.readiness.findings import ObjectType, Severity
from jobs.readiness.rules.capacity import MAX_OWNER_HOURS_PER_WEEK, MIN_HOURS_BY_RISK_TIER
from jobs.readiness.snapshot import ClientSnapshot
from tests.jobs.factories import SnapshotBuilder, ids


def run(rule_id: str, snap: ClientSnapshot) -> list[Finding]:
    return RULES_BY_ID[rule_id](snap)


# OWN-001 orphaned live processes


@pytest.mark.parametrize("stage", ["pilot", "production"])
def test_live_process_without_owner_is_orphaned(stage: str) -> None:
    b = SnapshotBuilder()
    p = b.process("Claims triage", stage=stage)
    [f] = run("OWN-001", b.build())
    assert (f.object_type, f.object_id, f.severity) == (ObjectType.PROCESS, p.id, Severity.CRITICAL)
    assert "Claims triage" in f.message and f.recommendation


@pytest.mark.parametrize("stage", ["idea", "retired"])
def test_idea_and_retired_processes_are_never_orphaned(stage: str) -> None:
    b = SnapshotBuilder()
    b.process(stage=stage)
    snap = b.build()
    assert run("OWN-001", snap) == []
    assert list(RULES_BY_ID["OWN-001"].scope(snap)) == []


def test_owned_process_is_not_orphaned() -> None:
    b = SnapshotBuilder()
    p = b.process()
    b.assign(b.owner(), p)
    assert run("OWN-001", b.build()) == []


def test_only_responsible_assignment_leaves_process_orphaned() -> None:
    b = SnapshotBuilder()
    p = b.process()
    b.assign(b.owner(), p, role="responsible")
    assert ids(run("OWN-001", b.build())) == {p.id}


def test_ended_assignment_does_not_count() -> None:
    b = SnapshotBuilder()
    p = b.process()
    b.assign(b.owner(), p, ends_on=b.days_ago(1))
    assert ids(run("OWN-001", b.build())) == {p.id}


def test_assignment_ending_today_still_counts() -> None:
    b = SnapshotBuilder()
    p = b.process()
    b.assign(b.owner(), p, ends_on=b.as_of)
    assert run("OWN-001", b.build()) == []


def test_future_assignment_does_not_count_yet() -> None:
    b = SnapshotBuilder()
    p = b.process()
    b.assign(b.owner(), p, starts_days_ago=-1)
    assert ids(run("OWN-001", b.build())) == {p.id}


# OWN-002 several accountable owners


def test_two_accountable_owners_flagged() -> None:
    b = SnapshotBuilder()
    p = b.process()
    b.assign(b.owner("Ann"), p)
    b.assign(b.owner("Bob"), p)
    [f] = run("OWN-002", b.build())
    assert f.object_id == p.id and "Ann" in f.message and "Bob" in f.message


def test_previous_accountable_owner_in_history_is_fine() -> None:
    b = SnapshotBuilder()
    p = b.process()
    b.assign(b.owner("Ann"), p, ends_on=b.days_ago(30), starts_days_ago=400)
    b.assign(b.owner("Bob"), p, starts_days_ago=29)
    assert run("OWN-002", b.build()) == []


# AUT-001 decision authority


@pytest.mark.parametrize(
    ("authority", "flagged"),
    [("none", True), ("advisory", True), ("operational", False), ("full", False)],
)
def test_accountable_owner_authority(authority: str, flagged: bool) -> None:
    b = SnapshotBuilder()
    p = b.process()
    o = b.owner(authority=authority)
    b.assign(o, p)
    assert ids(run("AUT-001", b.build())) == ({o.id} if flagged else set())


def test_authority_not_required_of_responsible_people_or_on_ideas() -> None:
    b = SnapshotBuilder()
    live, idea = b.process(), b.process(stage="idea")
    b.assign(b.owner(authority="none"), live, role="responsible")
    b.assign(b.owner(authority="none"), idea)
    snap = b.build()
    assert run("AUT-001", snap) == []
    assert list(RULES_BY_ID["AUT-001"].scope(snap)) == []


# AUT-002 hours by risk tier


@pytest.mark.parametrize("tier", list(MIN_HOURS_BY_RISK_TIER))
def test_hours_at_minimum_pass_and_below_fail(tier: str) -> None:
    minimum = MIN_HOURS_BY_RISK_TIER[tier]
    b = SnapshotBuilder()
    at = b.process("At", risk=tier)
    below = b.process("Below", risk=tier)
    b.assign(b.owner(), at, hours=minimum)
    b.assign(b.owner(), below, hours=minimum - 0.5)
    assert ids(run("AUT-002", b.build())) == {below.id}


def test_documented_tier_table() -> None:
    assert MIN_HOURS_BY_RISK_TIER == {"low": 1, "medium": 2, "high": 4, "critical": 8}


def test_hours_rule_skips_orphans() -> None:
    b = SnapshotBuilder()
    b.process(risk="critical")
    snap = b.build()
    assert run("AUT-002", snap) == [] and list(RULES_BY_ID["AUT-002"].scope(snap)) == []


def test_responsible_hours_do_not_make_up_for_accountable_hours() -> None:
    b = SnapshotBuilder()
    p = b.process(risk="critical")
    b.assign(b.owner(), p, hours=1)
    b.assign(b.owner(), p, role="responsible", hours=30)
    assert ids(run("AUT-002", b.build())) == {p.id}


# AUT-003 overstretched owners


def test_owner_at_threshold_passes_above_fails() -> None:
    b = SnapshotBuilder()
    p1, p2 = b.process("One"), b.process("Two")
    at, over = b.owner("At"), b.owner("Over")
    half = MAX_OWNER_HOURS_PER_WEEK / 2
    b.assign(at, p1, hours=half)
    b.assign(at, p2, role="responsible", hours=half)
    b.assign(over, p1, role="consulted", hours=half)
    b.assign(over, p2, role="responsible", hours=half + 0.5)
    [f] = run("AUT-003", b.build())
    assert f.object_id == over.id and f.object_type is ObjectType.OWNER


def test_ended_and_retired_assignments_do_not_load_an_owner() -> None:
    b = SnapshotBuilder()
    o = b.owner()
    b.assign(o, b.process("Old"), hours=30, ends_on=b.days_ago(1))
    b.assign(o, b.process("Retired", stage="retired"), hours=30)
    b.assign(o, b.process("Now"), hours=15)
    assert run("AUT-003", b.build()) == []


def test_idea_stage_work_counts_towards_load() -> None:
    b = SnapshotBuilder()
    o = b.owner()
    b.assign(o, b.process("Idea", stage="idea"), hours=15)
    b.assign(o, b.process("Live"), hours=6)
    assert ids(run("AUT-003", b.build())) == {o.id}


def test_assignment_window_boundaries() -> None:
    b = SnapshotBuilder()
    p = b.process()
    a = b.assign(b.owner(), p, starts_days_ago=0, ends_on=b.as_of + timedelta(days=1))
    assert a.is_current(b.as_of)
    assert not a.is_current(b.as_of - timedelta(days=1))
