"""Readiness: a pure rules engine over a `ClientSnapshot`, independent of the database.

Beside the engine, the package's database side: `loader.py` reads a snapshot in a fixed
number of statements, `job.py` is the arq job that scores and renders a report, and
`store.py` writes its outcome. Importing the package loads only the pure engine.

snapshot = load_snapshot(...)            # jobs/readiness/loader.py
result = build_readiness(snapshot)       # score, pillar scores, sorted findings
delta = compare(previous_result, result) # score change, new and resolved findings
"""

from __future__ import annotations

from jobs.readiness.comparison import Comparison, PreviousReport, compare
from jobs.readiness.findings import Finding, FindingKey, ObjectType, Pillar, Severity
from jobs.readiness.rules import RULES, RULES_BY_ID, Rule
from jobs.readiness.scoring import PILLAR_WEIGHTS, ReadinessResult, build_readiness
from jobs.readiness.snapshot import ClientSnapshot

__all__ = [
    "PILLAR_WEIGHTS",
    "RULES",
    "RULES_BY_ID",
    "ClientSnapshot",
    "Comparison",
    "Finding",
    "FindingKey",
    "ObjectType",
    "Pillar",
    "PreviousReport",
    "ReadinessResult",
    "Rule",
    "Severity",
    "build_readiness",
    "compare",
]
