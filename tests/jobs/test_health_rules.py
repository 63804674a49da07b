"""The health-rule registry: every rule documented, NOTHING_RECORDED, codes and parameters."""

from __future__ import annotations

import re
from pathlib import Path

from jobs.health import REGISTRY, assess_health
from jobs.health.messages import MESSAGES
from tests.jobs.factories import SnapshotBuilder

RULES_MD = Path(__file__).resolve().parents[2] / "jobs" / "health" / "RULES.md"
ROW = re.compile(r"^\| ([A-Z_]+) \| (red|amber|info) \|", re.MULTILINE)


def test_every_registered_rule_has_a_docs_row_with_its_level() -> None:
    documented = dict(ROW.findall(RULES_MD.read_text()))
    registered = {r.code: r.level for r in REGISTRY}
    assert documented == registered


def test_every_registered_rule_has_a_message() -> None:
    assert set(MESSAGES) == {r.code for r in REGISTRY}


def test_a_client_with_nothing_recorded_is_amber_not_green() -> None:
    health = assess_health(SnapshotBuilder().build(), [])
    assert health.status == "AMBER"
    assert [r.code for r in health.reasons] == ["NOTHING_RECORDED", "NO_READINESS_REPORT"]
    assert health.reasons[0].message.startswith("Nothing recorded yet")


def test_an_idea_alone_is_nothing_recorded() -> None:
    b = SnapshotBuilder()
    b.process("Segmentation idea", stage="idea")
    assert assess_health(b.build(), [80.0]).reasons[0].code == "NOTHING_RECORDED"


def test_reasons_keep_code_and_parameters_for_re_rendering() -> None:
    b = SnapshotBuilder()
    for name in ("A", "B", "C", "D"):
        b.process(name)
    orphaned = next(
        r for r in assess_health(b.build(), []).reasons if r.code == "ORPHANED_PROCESSES"
    )
    assert orphaned.params == {"count": 4, "names": ["A", "B", "C"], "more": 1}
    stored = orphaned.to_dict()
    assert stored["code"] == "ORPHANED_PROCESSES" and stored["params"]["count"] == 4
    assert (
        stored["message"] == "4 live processes without an accountable owner (A, B, C and 1 more)."
    )


def test_a_stored_reason_renders_again_in_german_from_its_code_and_parameters() -> None:
    from jobs.health.messages import message

    stored = {
        "code": "ORPHANED_PROCESSES",
        "params": {"count": 4, "names": ["A", "B", "C"], "more": 1},
    }
    assert message(stored["code"], stored["params"], "de") == (
        "4 laufende Prozesse ohne verantwortliche Person (A, B, C und 1 weitere)."
    )
    one = {"count": 1, "names": ["Ada"], "more": 0, "hours": 20}
    assert message("OWNERS_OVER_CAPACITY", one, "de") == (
        "1 verantwortliche Person über 20 Stunden pro Woche (Ada)."
    )
    assert message("OWNERS_OVER_CAPACITY", one) == "1 owner over 20 hours a week (Ada)."


def test_every_health_message_fills_from_its_rules_parameters_in_both_languages() -> None:
    from jobs.health.messages import message

    params = {
        "count": 2,
        "names": ["X", "Y"],
        "more": 0,
        "days": 60,
        "hours": 20,
        "previous": 70,
        "latest": 60,
        "score": 40,
        "threshold": 50,
        "duties": ["Art. 4"],
    }
    for code in MESSAGES:
        for locale in ("en", "de"):
            assert message(code, params, locale) != code, (code, locale)
