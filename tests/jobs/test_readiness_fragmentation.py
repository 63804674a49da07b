"""Fragmentation rules (FRG-*) and the purpose-keyword matching they rely on."""

from __future__ import annotations

import pytest

from jobs.readiness import RULES_BY_ID, Finding
from jobs.readiness.rules.keywords import keywords
from jobs.readiness.snapshot import ClientSnapshot, ToolSnap
from tests.jobs.factories import SnapshotBuilder, ids


def run(rule_id: str, snap: ClientSnapshot) -> list[Finding]:
    return RULES_BY_ID[rule_id](snap)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Segment customers for campaigns", "Customer segmentation"),
        ("Replenishing inventory", "inventory replenishment"),
        ("Processing supplier invoices", "supplier invoice checks"),
    ],
)
def test_keywords_meet_across_word_forms(a: str, b: str) -> None:
    assert len(keywords(a) & keywords(b)) >= 2


def test_keywords_drop_stop_words_and_short_words() -> None:
    assert keywords("Use the AI tool to help with the job") == frozenset()


def test_segmentation_tools_in_marketing_with_no_owner() -> None:
    """DESIGN's case: several customer-segmentation processes, one department, no owner."""
    b = SnapshotBuilder()
    a = b.process("Segmenter A", purpose="Segment customers for campaigns", unit="Marketing")
    c = b.process("Segmenter B", purpose="Customer segmentation", unit=" marketing ")
    b.process("Churn", purpose="Predict churn", unit="Marketing")
    b.process("Invoices", purpose="Customer segmentation", unit="Finance")
    found = run("FRG-001", b.build())
    assert ids(found) == {a.id, c.id}
    assert "Segmenter B" in next(f.message for f in found if f.object_id == a.id)


def test_one_accountable_owner_reconciles_overlap() -> None:
    b = SnapshotBuilder()
    o = b.owner()
    for name in ("A", "B"):
        b.assign(o, b.process(name, purpose="Customer segmentation", unit="Marketing"))
    assert run("FRG-001", b.build()) == []


def test_different_owners_fragmented() -> None:
    b = SnapshotBuilder()
    p1 = b.process("A", purpose="Customer segmentation", unit="Marketing")
    p2 = b.process("B", purpose="Customer segmentation", unit="Marketing")
    b.assign(b.owner("X"), p1)
    b.assign(b.owner("Y"), p2)
    assert ids(run("FRG-001", b.build())) == {p1.id, p2.id}


def test_single_keyword_purpose_meets_a_longer_one() -> None:
    b = SnapshotBuilder()
    p1 = b.process("A", purpose="Segmentation", unit="Marketing")
    p2 = b.process("B", purpose="Customer segmentation for email", unit="Marketing")
    assert ids(run("FRG-001", b.build())) == {p1.id, p2.id}


def test_one_shared_keyword_is_not_overlap() -> None:
    b = SnapshotBuilder()
    b.process("A", purpose="Customer segmentation", unit="Marketing")
    b.process("B", purpose="Customer churn prediction", unit="Marketing")
    assert run("FRG-001", b.build()) == []


def test_non_live_and_unit_less_processes_ignored() -> None:
    b = SnapshotBuilder()
    b.process("A", purpose="Customer segmentation", unit="Marketing")
    b.process("B", purpose="Customer segmentation", unit="Marketing", stage="idea")
    b.process("C", purpose="Customer segmentation", unit="Marketing", stage="retired")
    b.process("D", purpose="Customer segmentation", unit="")
    assert run("FRG-001", b.build()) == []


def test_same_tool_across_units_with_different_owners() -> None:
    b = SnapshotBuilder()
    tool = ToolSnap("SegmentPro", "SegCo", "")
    p1 = b.process("A", unit="Marketing", tools=(tool,))
    p2 = b.process("B", unit="Sales", tools=(ToolSnap(" segmentpro", "segco"),))
    b.assign(b.owner("X"), p1)
    [f] = [f for f in run("FRG-002", b.build()) if f.object_id == p2.id]
    assert "A" in f.message
    assert ids(run("FRG-002", b.build())) == {p1.id, p2.id}


def test_different_tools_same_purpose_in_one_unit() -> None:
    b = SnapshotBuilder()
    p1 = b.process("A", unit="Marketing", tools=(ToolSnap("Seg1", "V1", "customer segments"),))
    p2 = b.process("B", unit="Marketing", tools=(ToolSnap("Seg2", "V2", "segmenting customers"),))
    p3 = b.process("C", unit="Sales", tools=(ToolSnap("Seg3", "V3", "customer segmentation"),))
    assert ids(run("FRG-002", b.build())) == {p1.id, p2.id}
    assert p3.id in set(RULES_BY_ID["FRG-002"].scope(b.build()))


def test_shared_tool_with_one_owner_is_fine() -> None:
    b = SnapshotBuilder()
    o = b.owner()
    tool = (ToolSnap("Chatbot", "TalkCo", "answer questions"),)
    b.assign(o, b.process("A", tools=tool))
    b.assign(o, b.process("B", tools=tool))
    assert run("FRG-002", b.build()) == []


def test_large_bucket_stays_fast_and_bounded() -> None:
    b = SnapshotBuilder()
    for i in range(3000):
        b.process(f"P{i:04d}", purpose="Customer segmentation", unit="Marketing")
    found = run("FRG-001", b.build())
    assert len(found) == 3000
    assert all(f.message.count(",") <= 5 for f in found)
