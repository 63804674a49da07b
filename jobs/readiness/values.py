"""Allowed values of the snapshot's string-typed enums (the database enums' values)."""

from __future__ import annotations

LIFECYCLE_STAGES = ("idea", "pilot", "production", "retired")
LIVE_STAGES = frozenset({"pilot", "production"})
RISK_TIERS = ("low", "medium", "high", "critical")
HIGH_IMPACT_TIERS = frozenset({"high", "critical"})
DECISION_AUTHORITY = ("none", "advisory", "operational", "full")
RACI_ROLES = ("accountable", "responsible", "consulted", "informed")
RESPONSIBILITIES = ("monitoring", "exceptions", "incidents", "improvement")
PARTIES = ("vendor", "client", "shared", "unspecified")
PLAN_STATUSES = ("draft", "active", "on_hold", "completed", "cancelled")
MILESTONE_STATUSES = ("planned", "in_progress", "done", "cancelled")
INCIDENT_SEVERITIES = ("low", "medium", "high", "critical")
INCIDENT_STATUSES = ("open", "investigating", "resolved", "closed")


def check_value(value: str, allowed: tuple[str, ...], what: str) -> None:
    if value not in allowed:
        raise ValueError(f"{what} must be one of {', '.join(allowed)}; got {value!r}")
