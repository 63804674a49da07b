"""Readiness rules, one module per pillar. Importing this package registers them all.

`RULES` is the full, ordered registry; `RULES.md` next to this package documents it and a
test keeps the two in sync.
"""

from __future__ import annotations

from jobs.readiness.rules import (  # noqa: F401 - imported for their registrations
    capability,
    capacity,
    change,
    feedback,
    fragmentation,
    oversight,
    ownership,
    responsibilities,
    vendors,
)
from jobs.readiness.rules.base import Rule, registered_rules

RULES: tuple[Rule, ...] = registered_rules()
RULES_BY_ID: dict[str, Rule] = {r.id: r for r in RULES}

__all__ = ["RULES", "RULES_BY_ID", "Rule"]
