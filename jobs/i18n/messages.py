"""A finding's sentence by its message key, with named parameters the rule kept
(`jobs.readiness.rules.base.Said`). The English text here matches the rule's own."""

from __future__ import annotations

from jobs.i18n import N_

RULE_MESSAGES: dict[str, str] = {
    "OWN-001": N_("%(subject)s is in %(stage)s with no accountable owner."),
    "OWN-002": N_("%(subject)s has %(count)s accountable owners: %(names)s."),
    "AUT-001": N_("%(subject)s is accountable but has %(authority)s authority."),
    "AUT-002": N_(
        "%(subject)s (%(tier)s risk) gets %(hours)s accountable hours a week; the minimum is "
        "%(minimum)s."
    ),
    "AUT-003": N_(
        "%(subject)s carries %(hours)s hours a week across assignments (limit %(limit)s)."
    ),
    "CAB-001": N_("%(subject)s has never been assessed."),
    "CAB-001.dated": N_("%(subject)s was last assessed on %(date)s."),
    "OVS-001": N_("%(subject)s is %(tier)s risk and has no human-review checkpoint."),
    "OVS-002": N_("%(subject)s is %(tier)s risk and has no escalation path."),
    "FBK-001": N_("%(subject)s has never been reviewed."),
    "FBK-001.dated": N_("%(subject)s was last reviewed on %(date)s, %(days)s days ago."),
    "FBK-002": N_("%(subject)s has no KPI."),
    "CHG-001": N_("%(subject)s has no active change-management plan."),
    "VEN-002": N_("Agreement with %(subject)s sets no incident response time."),
}
