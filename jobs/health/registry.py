"""The health-rule registry: each signal is a registered rule with a code, a level and
parameters, like the readiness rules. Pure.

A rule is a function of the `HealthInput` that returns its parameters (a dict of plain
JSON values) when it fires, or None. The message a person reads is made from the code and
the parameters (jobs/health/messages.py, with the catalogues), so a stored reason can be
rendered again in another language. `jobs/health/RULES.md` documents every registered
rule; a test fails if one is missing there.

Adding a signal: write a function in jobs/health/rules.py, decorate it with
`@health_rule("CODE", "amber")`, add its message to jobs/i18n/health.py (and German to the
catalogue) and its row to RULES.md.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from jobs.readiness.snapshot import ClientSnapshot
from tenants.models import HealthReasonLevel

Params = dict[str, Any]
Check = Callable[["HealthInput"], Params | None]
LEVELS = tuple(level.value for level in HealthReasonLevel)  # the API enum's values


@dataclass(frozen=True, slots=True)
class HealthInput:
    snapshot: ClientSnapshot
    readiness_scores: Sequence[float]  # newest first


@dataclass(frozen=True, slots=True)
class HealthRule:
    code: str
    level: str  # red, amber or info
    check: Check


REGISTRY: list[HealthRule] = []


def health_rule(code: str, level: str) -> Callable[[Check], Check]:
    """Register a health rule; the order of registration is the order of the reasons."""
    if level not in LEVELS:
        raise ValueError(f"unknown health level {level!r}")
    if any(r.code == code for r in REGISTRY):
        raise ValueError(f"health rule {code} registered twice")

    def register(
        fn: Callable[[HealthInput], Params | None],
    ) -> Callable[[HealthInput], Params | None]:
        REGISTRY.append(HealthRule(code, level, fn))
        return fn

    return register


def names(items: Sequence[Any], attr: str = "name", shown: int = 3) -> Params:
    """The first few names and how many more, as parameters (not a sentence)."""
    return {
        "count": len(items),
        "names": [str(getattr(i, attr)) for i in items[:shown]],
        "more": max(0, len(items) - shown),
    }
