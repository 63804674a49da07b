"""A client's tables as spreadsheets: the process register and the owners.

Each export is a header and one SELECT over the client's rows; the caller adds the
visibility condition of the principal (schema.scoping) so a client principal gets
only its own organisation. Rows are streamed (`yield_per`) and written as they come
(`jobs/exports/writers.py`), so neither the rows nor the file is held in memory.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, and_, column, func, select, true
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.sql.elements import ColumnElement

from tenants import models as m


@dataclass(frozen=True)
class TableExport:
    name: str
    header: tuple[str, ...]
    query: Select[*tuple[Any, ...]]


def _accountable() -> ColumnElement[bool]:
    return and_(
        m.OwnershipAssignment.process_id == m.AIProcess.id,
        m.OwnershipAssignment.raci_role == m.RaciRole.ACCOUNTABLE,
        m.OwnershipAssignment.ends_on.is_(None),
    )


def process_register(client_id: uuid.UUID, visible: ColumnElement[bool]) -> TableExport:
    """Live and retired processes (not archived), with the current accountable owner."""
    query = (
        select(
            m.AIProcess.name,
            m.AIProcess.business_unit,
            m.AIProcess.lifecycle_stage,
            m.AIProcess.risk_tier,
            m.Owner.name,
            m.OwnershipAssignment.hours_per_week,
            m.AIProcess.last_reviewed_at,
        )
        .outerjoin(m.OwnershipAssignment, _accountable())
        .outerjoin(m.Owner, m.Owner.id == m.OwnershipAssignment.owner_id)
        .where(m.AIProcess.client_id == client_id, m.AIProcess.archived_at.is_(None), visible)
        .order_by(m.AIProcess.name, m.AIProcess.id)
    )
    header = (
        "process",
        "business unit",
        "lifecycle stage",
        "risk tier",
        "accountable owner",
        "accountable hours/week",
        "last review",
    )
    return TableExport("processes", header, query)


def owners(client_id: uuid.UUID, visible: ColumnElement[bool]) -> TableExport:
    """Owners with their current hours a week (all roles) and latest assessment date."""
    a = m.OwnershipAssignment
    hours = (
        select(func.coalesce(func.sum(a.hours_per_week), 0))
        .where(a.owner_id == m.Owner.id, a.ends_on.is_(None))
        .scalar_subquery()
    )
    latest = (
        select(func.max(m.CapabilityAssessment.assessed_on))
        .where(m.CapabilityAssessment.owner_id == m.Owner.id)
        .scalar_subquery()
    )
    query = (
        select(
            m.Owner.name,
            m.Owner.title,
            m.Owner.business_unit,
            m.Owner.decision_authority,
            hours,
            latest,
        )
        .where(m.Owner.client_id == client_id, m.Owner.archived_at.is_(None), visible)
        .order_by(m.Owner.name, m.Owner.id)
    )
    header = (
        "owner",
        "title",
        "business unit",
        "decision authority",
        "current hours/week",
        "latest assessment",
    )
    return TableExport("owners", header, query)


EXPORTS = {"processes": process_register, "owners": owners}


def report_findings(report_id: uuid.UUID, visible: ColumnElement[bool]) -> TableExport:
    """A finished readiness report's findings, one row per finding, in stored order."""
    r = m.ReadinessReport
    elements = func.jsonb_array_elements(r.findings)
    item = elements.table_valued(column("value", JSONB), with_ordinality="n").render_derived()
    value = item.c.value
    query = (
        select(
            value["pillar"].astext,
            value["severity"].astext,
            value["rule_id"].astext,
            value["params"]["subject"].astext,
            value["object_type"].astext,
            value["message"].astext,
            value["recommendation"].astext,
        )
        .select_from(r)
        .join(item, true())
        .where(r.id == report_id, r.status == m.ReportStatus.SUCCEEDED, visible)
        .order_by(item.c.n)
    )
    header = ("pillar", "severity", "rule", "about", "object type", "finding", "recommendation")
    return TableExport("findings", header, query)
