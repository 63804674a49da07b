"""Everything an engagement health report says, as catalogue msgids (jobs/i18n/locale).

A reason's sentence is chosen by its code (singular and plural by `count`) and filled
from its stored parameters at render time (jobs/health/messages.py), so a stored report
can be rendered again in any supported language.
"""

from __future__ import annotations

from jobs.i18n import N_

#: code -> (singular, plural or None); placeholders name the rule's parameters.
HEALTH_MESSAGES: dict[str, tuple[str, str | None]] = {
    "NOTHING_RECORDED": (N_("Nothing recorded yet: the client has no live AI process."), None),
    "NO_READINESS_REPORT": (N_("No readiness report has been produced."), None),
    "READINESS_DECLINING": (N_("Readiness fell from %(previous)s to %(latest)s."), None),
    "READINESS_LOW": (N_("Readiness score is %(score)s/100."), None),
    "ORPHANED_PROCESSES": (
        N_("%(count)s live process without an accountable owner (%(names)s)."),
        N_("%(count)s live processes without an accountable owner (%(names)s)."),
    ),
    "OPEN_HIGH_SEVERITY_INCIDENTS": (
        N_("%(count)s open high-severity incident."),
        N_("%(count)s open high-severity incidents."),
    ),
    "OVERDUE_MILESTONES": (
        N_("%(count)s overdue milestone (%(names)s)."),
        N_("%(count)s overdue milestones (%(names)s)."),
    ),
    "STALE_REVIEWS": (
        N_("%(count)s live process with no review in %(days)s days (%(names)s)."),
        N_("%(count)s live processes with no review in %(days)s days (%(names)s)."),
    ),
    "AGREEMENTS_EXPIRING": (
        N_("%(count)s vendor agreement ending within %(days)s days (%(names)s)."),
        N_("%(count)s vendor agreements ending within %(days)s days (%(names)s)."),
    ),
    "AGREEMENTS_MISSING_CLAUSES": (
        N_("%(count)s vendor agreement with ownership clauses naming no party (%(names)s)."),
        N_("%(count)s vendor agreements with ownership clauses naming no party (%(names)s)."),
    ),
    "OWNERS_OVER_CAPACITY": (
        N_("%(count)s owner over %(hours)s hours a week (%(names)s)."),
        N_("%(count)s owners over %(hours)s hours a week (%(names)s)."),
    ),
    "HIGH_RISK_DEPLOYER_DUTIES_UNMET": (
        N_(
            "%(count)s high-risk process with EU AI Act deployer duties unmet (%(names)s): "
            "%(duties)s."
        ),
        N_(
            "%(count)s high-risk processes with EU AI Act deployer duties unmet (%(names)s): "
            "%(duties)s."
        ),
    ),
}

#: The first few names of a reason, and how many more there are.
NAMES_AND_MORE = N_("%(names)s and %(more)s more")

#: The indicators table, by metric key (jobs/health/__init__.py).
METRIC_LABELS: dict[str, str] = {
    "live_processes": N_("Live processes"),
    "orphaned": N_("Orphaned live processes"),
    "incidents": N_("Open high-severity incidents"),
    "overdue_milestones": N_("Overdue milestones"),
    "stale_reviews": N_("Processes without a review in 90 days"),
    "agreements_ending": N_("Agreements ending within 60 days"),
    "agreements_missing_clauses": N_("Agreements missing clauses"),
    "owners_over_capacity": N_("Owners over capacity"),
}

STATUS_NAMES: dict[str, str] = {"RED": N_("RED"), "AMBER": N_("AMBER"), "GREEN": N_("GREEN")}

#: The health report page's own words (jobs/rendering/html_report.py).
PAGE_TEXT: tuple[str, ...] = (
    N_("Engagement health"),
    N_("Generated %(moment)s"),
    N_("for %(start)s to %(end)s"),
    N_("Readiness score"),
    N_("Reasons"),
    N_("No concerns."),
    N_("Indicators"),
)


def health_msgids() -> set[str]:
    """Every msgid of a health report, for the catalogue completeness test."""
    found = {s for pair in HEALTH_MESSAGES.values() for s in pair if s}
    return found | {NAMES_AND_MORE, *METRIC_LABELS.values(), *STATUS_NAMES.values(), *PAGE_TEXT}
