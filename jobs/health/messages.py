"""English sentences for health reasons, made from a reason's code and parameters.

Kept apart from the rules so the message catalogues (jobs/i18n) can take these over:
a stored reason holds its code and parameters, and the sentence is made at render time.
"""

from __future__ import annotations

from collections.abc import Callable

from jobs.health.registry import Params


def _plural(n: int, word: str) -> str:
    suffix = "es" if word.endswith(("s", "x")) else "s"
    return f"{n} {word}{'' if n == 1 else suffix}"


def _names(p: Params) -> str:
    shown = ", ".join(p.get("names", []))
    more = int(p.get("more", 0))
    return shown + (f" and {more} more" if more else "")


MESSAGES: dict[str, Callable[[Params], str]] = {
    "NOTHING_RECORDED": lambda p: "Nothing recorded yet: the client has no live AI process.",
    "NO_READINESS_REPORT": lambda p: "No readiness report has been produced.",
    "READINESS_DECLINING": lambda p: f"Readiness fell from {p['previous']} to {p['latest']}.",
    "READINESS_LOW": lambda p: f"Readiness score is {p['score']}/100.",
    "ORPHANED_PROCESSES": lambda p: (
        f"{_plural(p['count'], 'live process')} without an accountable owner ({_names(p)})."
    ),
    "OPEN_HIGH_SEVERITY_INCIDENTS": lambda p: (
        f"{_plural(p['count'], 'open high-severity incident')}."
    ),
    "OVERDUE_MILESTONES": lambda p: f"{_plural(p['count'], 'overdue milestone')} ({_names(p)}).",
    "STALE_REVIEWS": lambda p: (
        f"{_plural(p['count'], 'live process')} with no review in {p['days']} days ({_names(p)})."
    ),
    "AGREEMENTS_EXPIRING": lambda p: (
        f"{_plural(p['count'], 'vendor agreement')} ending within {p['days']} days ({_names(p)})."
    ),
    "AGREEMENTS_MISSING_CLAUSES": lambda p: (
        f"{_plural(p['count'], 'vendor agreement')} with ownership clauses naming no party"
        f" ({_names(p)})."
    ),
    "OWNERS_OVER_CAPACITY": lambda p: (
        f"{_plural(p['count'], 'owner')} over {p['hours']:.0f} hours a week ({_names(p)})."
    ),
    "HIGH_RISK_DEPLOYER_DUTIES_UNMET": lambda p: (
        f"{_plural(p['count'], 'high-risk process')} with EU AI Act deployer duties unmet"
        f" ({_names(p)}): {', '.join(p['duties'])}."
    ),
}


def message(code: str, params: Params) -> str:
    """The English sentence for a reason; the code itself for one without a message."""
    make = MESSAGES.get(code)
    return make(params) if make else code
