"""Each entity's writable fields are declared once, in its service's `Changes`; the GraphQL
inputs that write it must offer exactly those fields, no more and no fewer.

An input field with no rule would reach `Changes.check` as an unknown name (a TypeError at
run time, for the first caller who sends it); a rule with no input field is a field nobody
can write. This test walks both declarations, so a field added on one side only fails here
first. Beside the rules, an input carries only its addresses (the ids naming the row, or
the parent it is created under, and the `version` seen) and the few values the service
handles itself (an assessment's scores, an agreement's linked processes); an update input
may leave out the fields that are fixed once created, and a create input those a new row
starts without.
"""

from __future__ import annotations

import dataclasses
import importlib
import pkgutil
from typing import Any

import pytest

import schema
from tenants import services
from tenants.services import (
    assessments,
    assignments,
    branding,
    change_plans,
    clients,
    feedback,
    frameworks,
    kpis,
    members,
    owners,
    processes,
    report_schedules,
    vendors,
)
from tenants.services.changes import Changes

ROW = ("id", "version")


@dataclasses.dataclass(frozen=True)
class Writes:
    changes: Changes[Any]
    create: str
    update: str | None
    # Input fields that say where the row is, not what it holds.
    addresses: tuple[str, ...] = ()
    # Input fields the service writes itself, outside the `Changes`.
    own: tuple[str, ...] = ()
    # Rules an update input does not offer: fixed once the row exists.
    fixed: tuple[str, ...] = ()
    # Rules a create input does not offer: a new row starts without them.
    later: tuple[str, ...] = ()


WRITES = {
    "client": Writes(
        clients.CLIENT_CHANGES, "CreateClientOrganisationInput", "UpdateClientOrganisationInput"
    ),
    "process": Writes(
        processes.PROCESS_CHANGES,
        "CreateAIProcessInput",
        "UpdateAIProcessInput",
        addresses=("client_organisation_id",),
    ),
    "owner": Writes(
        owners.OWNER_CHANGES,
        "CreateOwnerInput",
        "UpdateOwnerInput",
        addresses=("client_organisation_id",),
    ),
    "kpi": Writes(kpis.KPI_CHANGES, "AddKpiInput", "UpdateKpiInput", addresses=("process_id",)),
    "change plan": Writes(
        change_plans.PLAN_CHANGES,
        "CreateChangePlanInput",
        "UpdateChangePlanInput",
        addresses=("client_organisation_id",),
    ),
    "milestone": Writes(
        change_plans.MILESTONE_CHANGES,
        "AddMilestoneInput",
        "UpdateMilestoneInput",
        addresses=("plan_id",),
    ),
    "vendor agreement": Writes(
        vendors.VENDOR_CHANGES,
        "CreateVendorAgreementInput",
        "UpdateVendorAgreementInput",
        addresses=("client_organisation_id",),
        own=("process_ids",),
    ),
    "assignment": Writes(
        assignments.ASSIGNMENT_CHANGES,
        "AssignOwnerInput",
        "UpdateAssignmentInput",
        addresses=("owner_id", "process_id"),
        fixed=("raci_role", "starts_on"),
    ),
    "capability dimension": Writes(
        assessments.DIMENSION_CHANGES,
        "CreateCapabilityDimensionInput",
        "UpdateCapabilityDimensionInput",
        fixed=("key",),
    ),
    "capability assessment": Writes(
        assessments.ASSESSMENT_CHANGES,
        "RecordCapabilityAssessmentInput",
        None,
        addresses=("owner_id",),
        own=("scores",),
    ),
    "process review": Writes(
        feedback.REVIEW_CHANGES,
        "RecordProcessReviewInput",
        None,
        addresses=("process_id",),
    ),
    "incident": Writes(
        feedback.INCIDENT_CHANGES,
        "ReportIncidentInput",
        "UpdateIncidentInput",
        addresses=("process_id",),
        fixed=("occurred_at",),
        later=("status", "resolved_at"),  # an incident is reported OPEN
    ),
    "member": Writes(
        members.MEMBER_CHANGES,
        "InviteMemberInput",
        "UpdateMemberRoleInput",
        fixed=("display_name", "email"),
    ),
    "regulatory profile": Writes(
        frameworks.PROFILE_CHANGES,
        "SetProcessRegulatoryProfileInput",
        None,
        addresses=("process_id", "version"),
    ),
    "report schedule": Writes(
        report_schedules.SCHEDULE_CHANGES,
        "ConfigureReportScheduleInput",
        None,
        addresses=("version",),
    ),
    "report branding": Writes(
        branding.BRANDING_CHANGES,
        "ConfigureReportBrandingInput",
        None,
        addresses=("version",),
    ),
}


def _inputs() -> dict[str, set[str]]:
    """Every GraphQL input type of the schema packages, by class name: its Python field names."""
    found: dict[str, set[str]] = {}
    for module_info in pkgutil.walk_packages(schema.__path__, "schema."):
        module = importlib.import_module(module_info.name)
        for name, value in vars(module).items():
            definition = getattr(value, "__strawberry_definition__", None)
            if getattr(definition, "is_input", False) and value.__module__ == module.__name__:
                found[name] = {field.python_name for field in definition.fields}
    return found


INPUTS = _inputs()


def _written(rules: set[str]) -> set[str]:
    """Rule names as input fields: a nested input (`incident_response`) holds the rules
    named under it (`incident_response.party`, `incident_response.terms`)."""
    return {name.split(".", 1)[0] for name in rules}


def test_every_changes_declaration_is_in_the_table() -> None:
    # Every service module, so a `Changes` declared in a new one is caught too.
    declared = {
        id(value)
        for module_info in pkgutil.iter_modules(services.__path__, "tenants.services.")
        for value in vars(importlib.import_module(module_info.name)).values()
        if isinstance(value, Changes)
    }
    assert declared == {id(writes.changes) for writes in WRITES.values()}


@pytest.mark.parametrize("entity", sorted(WRITES))
def test_the_create_input_offers_exactly_the_writable_fields(entity: str) -> None:
    writes = WRITES[entity]
    offered = INPUTS[writes.create] - set(writes.addresses) - set(writes.own)
    assert offered == _written(set(writes.changes.rules) - set(writes.later))
    assert set(writes.later) <= set(writes.changes.rules)


@pytest.mark.parametrize("entity", sorted(e for e, w in WRITES.items() if w.update))
def test_the_update_input_offers_the_writable_fields_not_fixed_at_creation(entity: str) -> None:
    writes = WRITES[entity]
    assert writes.update is not None
    offered = INPUTS[writes.update] - set(ROW) - set(writes.own)
    changeable = set(writes.changes.rules) - set(writes.fixed)
    assert offered == _written(changeable)
    # A field said to be fixed really is a rule, so the list cannot drift into fiction.
    assert set(writes.fixed) <= set(writes.changes.rules)
