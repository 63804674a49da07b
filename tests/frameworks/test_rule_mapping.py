"""Every readiness rule evidences at least one catalogued requirement, as RULES.md says."""

from __future__ import annotations

from pathlib import Path

from jobs.readiness.frameworks import requirements_by_id, rule_mapping
from jobs.readiness.rules import RULES

RULES_MD = Path(__file__).resolve().parents[2] / "jobs" / "readiness" / "RULES.md"


def test_every_rule_maps_to_known_requirements() -> None:
    known = requirements_by_id()
    for r in RULES:
        assert r.evidences, f"{r.id} maps to no requirement"
        assert len(set(r.evidences)) == len(r.evidences), r.id
        unknown = set(r.evidences) - set(known)
        assert not unknown, f"{r.id} maps to unknown ids {sorted(unknown)}"


def test_rules_md_evidences_column_matches_metadata() -> None:
    rows = {
        line.split("|")[1].strip(): line
        for line in RULES_MD.read_text(encoding="utf-8").splitlines()
        if line.startswith("| ") and line[2:5].isupper() and line[5] == "-"
    }
    for r in RULES:
        last = [c.strip() for c in rows[r.id].strip().strip("|").split("|")][-1]
        assert last == ", ".join(r.evidences), r.id


def test_every_framework_is_evidenced_by_some_rule() -> None:
    mapped = {requirements_by_id()[rid].framework_id for rid in rule_mapping()}
    assert mapped == {"eu-ai-act", "iso-iec-42001", "nist-ai-rmf"}
