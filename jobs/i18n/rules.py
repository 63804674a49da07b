"""Each readiness rule's title in words, as a report heading shows it (the rule id is only a
small reference beside it). Recommendations are translated with the rule's own English
recommendation as msgid, so the rule modules keep a single source for it."""

from __future__ import annotations

from jobs.i18n import N_

RULE_TITLES: dict[str, str] = {
    "OWN-001": N_("Live process without an accountable owner"),
    "OWN-002": N_("Live process with more than one accountable owner"),
    "AUT-001": N_("Accountable owner without decision authority"),
    "AUT-002": N_("Too few accountable hours for the process's risk"),
    "AUT-003": N_("Owner overstretched across assignments"),
    "CAB-001": N_("Owner without a recent capability assessment"),
    "CAB-002": N_("Owner below the capability bar"),
    "OVS-001": N_("High-risk process without a human-review checkpoint"),
    "OVS-002": N_("High-risk process without an escalation path"),
    "OVS-003": N_("Process boundaries not documented"),
    "RSP-001": N_("Duties nobody is responsible for"),
    "FBK-001": N_("No recent performance review"),
    "FBK-002": N_("Process without KPIs"),
    "FBK-003": N_("KPIs without targets"),
    "VEN-001": N_("Vendor agreement that leaves responsibilities open"),
    "VEN-002": N_("Vendor agreement without an incident response time"),
    "VEN-003": N_("Vendor tool in use without an agreement"),
    "CHG-001": N_("No active change-management plan"),
    "CHG-002": N_("Overdue change milestone"),
    "FRG-001": N_("Processes overlapping in purpose"),
    "FRG-002": N_("Overlapping tools"),
}

PILLAR_NAMES: dict[str, str] = {
    "ownership_coverage": N_("Ownership coverage"),
    "authority_capacity": N_("Authority & capacity"),
    "capability": N_("Capability"),
    "oversight": N_("Oversight"),
    "responsibilities": N_("Responsibilities"),
    "feedback_loops": N_("Feedback loops"),
    "vendor_clauses": N_("Vendor clauses"),
    "change_management": N_("Change management"),
    "fragmentation": N_("Fragmentation"),
}

SEVERITY_NAMES: dict[str, str] = {
    "critical": N_("Critical"),
    "high": N_("High"),
    "medium": N_("Medium"),
    "low": N_("Low"),
}

STAGE_NAMES: dict[str, str] = {
    "idea": N_("Idea"),
    "pilot": N_("Pilot"),
    "production": N_("Production"),
    "retired": N_("Retired"),
}

TIER_NAMES: dict[str, str] = {
    "low": N_("Low"),
    "medium": N_("Medium"),
    "high": N_("High"),
    "critical": N_("Critical"),
}

AUTHORITY_NAMES: dict[str, str] = {
    "none": N_("None"),
    "advisory": N_("Advisory"),
    "operational": N_("Operational"),
    "full": N_("Full"),
}

BAND_NAMES: dict[str, str] = {
    "good": N_("Good"),
    "fair": N_("Fair"),
    "poor": N_("Poor"),
    "na": N_("Not scored"),
}
