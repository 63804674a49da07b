"""The AIProcess and ProcessKpi nodes, and the typed documents stored on a process."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from sqlalchemy import case, select

from schema.common_fields import ARCHIVABLE, CHANGED, Versioned
from schema.compiled.sql import (
    Expr,
    Page,
    Related,
    Row,
    Source,
    document_object,
    document_rows,
    sql,
)
from schema.context import Info
from schema.enums import KpiDirection, LifecycleStage, RiskTier
from schema.feedback.resolvers import PROCESS_INCIDENTS, PROCESS_REVIEWS
from schema.feedback.types import IncidentFilter
from schema.frameworks.coverage import FrameworkCoverageType, FrameworkId, coverage_of
from schema.from_model import float_of
from schema.links import link
from schema.node import Node, node_type, register_node
from schema.node_lists import ListArgument, NodeList
from schema.owners.filters import CURRENT, PROCESS_ASSIGNMENTS
from schema.pagination import After, Connection, First, Ordering
from tenants import models as m

if TYPE_CHECKING:
    from schema.feedback.types import IncidentFilter
    from schema.frameworks.types import RegulatoryProfile
    from schema.owners.types import OwnerNode
    from schema.vendors.types import VendorAgreementNode


def _regulatory_profile(row: Row) -> Source:
    from schema.frameworks.types import profile_source

    return profile_source(row)


@strawberry.type(description="One step of the workflow and what the AI does in it.")
class WorkflowStep:
    name: str = strawberry.field(description="The step's name, unique within the process.")
    ai_role: str = strawberry.field(description="What the AI does at this step.")
    description: str | None = strawberry.field(
        description="What happens at the step; null: not described."
    )

    @classmethod
    def from_shape(cls, s: m.WorkflowStep) -> WorkflowStep:
        return cls(name=s.name, ai_role=s.ai_role, description=s.description)


@strawberry.type(description="Where the process starts and stops, and what flows through it.")
class ProcessBoundaries:
    steps: list[WorkflowStep] = strawberry.field(
        description="The workflow steps, in order.",
        metadata=sql(document_rows("steps", ["name", "ai_role", "description"])),
    )
    upstream: list[str] = strawberry.field(description="Processes or systems that feed this one.")
    downstream: list[str] = strawberry.field(description="Processes or systems this one feeds.")
    data_inputs: list[str] = strawberry.field(description="The data the process takes in.")
    outputs: list[str] = strawberry.field(description="What the process produces.")

    @classmethod
    def from_shape(cls, b: m.Boundaries) -> ProcessBoundaries:
        return cls(
            steps=[WorkflowStep.from_shape(s) for s in b.steps],
            upstream=list(b.upstream),
            downstream=list(b.downstream),
            data_inputs=list(b.data_inputs),
            outputs=list(b.outputs),
        )


@strawberry.type(description="A human-review checkpoint: who reviews what, at which stage.")
class ReviewCheckpoint:
    name: str = strawberry.field(description="The checkpoint's name.")
    stage: str = strawberry.field(description="The workflow step or stage it sits at.")
    reviewer_role: str = strawberry.field(description="Who reviews (a role, free text).")
    criteria: str | None = strawberry.field(
        description="What the reviewer checks; null: not written down."
    )


@strawberry.type(description="A level of the escalation path; level 1 is called first.")
class EscalationLevel:
    level: int = strawberry.field(description="1 is called first; levels run 1, 2, 3 without gaps.")
    trigger: str = strawberry.field(description="What makes this level act.")
    contact: str = strawberry.field(description="Who is called at this level.")
    response_hours: int | None = strawberry.field(
        description="How fast this contact must answer, in hours."
    )


@strawberry.type(description="A tool or vendor product the process uses.")
class ProcessTool:
    name: str = strawberry.field(description="The tool or product.")
    vendor: str | None = strawberry.field(description="Who makes it; null: not stated.")
    purpose: str | None = strawberry.field(
        description="What the process uses it for; null: not stated."
    )


KPI_ORDERING = Ordering(m.ProcessKpi.created_at)
# AIProcess.kpis
PROCESS_KPIS = NodeList(
    m.ProcessKpi, m.ProcessKpi.process_id, KPI_ORDERING, "schema.processes.types:ProcessKpiNode"
)


def _on_target(row: Row) -> Any:
    """ProcessKpi.on_target in SQL."""
    target, latest = row.col("target"), row.col("latest_value")
    return case(
        ((target.is_(None)) | (latest.is_(None)), None),
        (row.col("direction") == m.KpiDirection.HIGHER, latest >= target),
        else_=latest <= target,
    )


def _orphaned(row: Row) -> Any:
    from schema.processes.filters import orphaned_condition

    return row.adapt(orphaned_condition(date.today()))[0]


def _accountable_owner(row: Row) -> Source:
    """The owner of the accountable assignment in effect today (the latest to start)."""
    from tenants.services.assignments import in_effect

    assignment = Row.of(m.OwnershipAssignment)
    a = assignment.entity
    # A LATERAL pick, then the owner by primary key: `id = (SELECT ...)` correlated to
    # the process would make PostgreSQL scan owners for every process.
    pick = (
        select(a.owner_id.label("owner_id"))
        .where(
            a.process_id == row.col("id"),
            a.raci_role == m.RaciRole.ACCOUNTABLE,
            *assignment.adapt(in_effect(date.today())),
        )
        .order_by(a.starts_on.desc())
        .limit(1)
        .correlate_except(a)
        .lateral()
    )
    owner = Row.of(m.Owner)
    return Source(
        owner,
        froms=[pick, owner.entity],
        where=[owner.entity.id == pick.c.owner_id],
        model=m.Owner,
    )


def _vendor_agreements_page() -> Page:
    from schema.vendors.resolvers import process_vendor_agreements_page

    return process_vendor_agreements_page()


@node_type("ProcessKpi", description="A KPI of a process: target and latest value.", stamps=CHANGED)
class ProcessKpiNode(Node, Versioned):
    process_db_id: strawberry.Private[uuid.UUID]
    name: str = strawberry.field(
        description="The KPI's name; unique within its process (case-insensitive)."
    )
    unit: str | None = strawberry.field(
        description="The unit of target and values, e.g. % or hours; null: none."
    )
    target: float | None = strawberry.field(description="The value to reach; null: no target set.")
    direction: KpiDirection = strawberry.field(description="Whether higher or lower is better.")  # type: ignore[valid-type]
    latest_value: float | None = strawberry.field(
        description="The latest measured value; null: none measured yet."
    )
    measured_at: datetime | None = strawberry.field(
        description="When latestValue was measured; null: no value."
    )
    on_target: bool | None = strawberry.field(
        description="Whether the latest value meets the target; null when either is missing.",
        metadata=sql(Expr(lambda row, _: _on_target(row))),
    )

    FROM_MODEL = {
        "target": float_of("target"),
        "latest_value": float_of("latest_value"),
    }

    process = link(
        m.AIProcess,
        "process_id",
        "schema.processes.types:AIProcessNode",
        "The process this KPI measures.",
    )


@node_type(
    "AIProcess",
    description="An AI-enabled process of a client: what must be owned.",
    stamps=ARCHIVABLE,
)
class AIProcessNode(Node, Versioned):
    model: strawberry.Private[m.AIProcess]
    client_db_id: strawberry.Private[uuid.UUID]
    name: str = strawberry.field(description="What the process is called.")
    purpose: str | None = strawberry.field(description="What the process is for; null: not stated.")
    business_unit: str | None = strawberry.field(
        description="The client's business unit that runs the process; null: not stated."
    )
    lifecycle_stage: LifecycleStage = strawberry.field(  # type: ignore[valid-type]
        description="Where the process is in its life; PILOT and PRODUCTION are live."
    )
    risk_tier: RiskTier = strawberry.field(description="How much harm a failure can do.")  # type: ignore[valid-type]
    boundaries: ProcessBoundaries = strawberry.field(
        description=(
            "Its workflow steps, upstream and downstream systems, data inputs and outputs."
        ),
        metadata=sql(
            document_object(
                "boundaries", ["steps", "upstream", "downstream", "data_inputs", "outputs"]
            )
        ),
    )
    checkpoints: list[ReviewCheckpoint] = strawberry.field(
        description="Human-review checkpoints.",
        metadata=sql(document_rows("checkpoints", ["name", "stage", "reviewer_role", "criteria"])),
    )
    escalation_path: list[EscalationLevel] = strawberry.field(
        description="Ordered by level.",
        metadata=sql(
            document_rows("escalation_path", ["level", "trigger", "contact", "response_hours"])
        ),
    )
    tools: list[ProcessTool] = strawberry.field(
        description="Tools and vendor products used.",
        metadata=sql(document_rows("tools", ["name", "vendor", "purpose"])),
    )
    last_reviewed_at: datetime | None = strawberry.field(
        description=("The date (midnight UTC) of the latest recorded review; null: never reviewed.")
    )

    FROM_MODEL = {
        "boundaries": lambda o: ProcessBoundaries.from_shape(o.parsed_boundaries()),
        "checkpoints": lambda o: [
            ReviewCheckpoint(
                name=c.name, stage=c.stage, reviewer_role=c.reviewer_role, criteria=c.criteria
            )
            for c in o.parsed_checkpoints()
        ],
        "escalation_path": lambda o: [
            EscalationLevel(
                level=e.level,
                trigger=e.trigger,
                contact=e.contact,
                response_hours=e.response_hours,
            )
            for e in o.parsed_escalation_path()
        ],
        "tools": lambda o: [
            ProcessTool(name=t.name, vendor=t.vendor, purpose=t.purpose) for t in o.parsed_tools()
        ],
    }

    @strawberry.field(
        description="Live (pilot or production, not archived) with no accountable owner today.",
        metadata=sql(Expr(lambda row, _: _orphaned(row))),
    )
    async def orphaned(self, info: Info) -> bool:
        from schema.processes import resolvers

        return await resolvers.orphaned(info, self.model)

    client_organisation = link(
        m.ClientOrganisation,
        "client_id",
        "schema.clients.types:ClientOrganisationNode",
        "The client organisation the process belongs to.",
    )

    @strawberry.field(
        description="The EU AI Act profile consultants set; null until classified.",
        metadata=sql(Related(lambda row, _: _regulatory_profile(row))),
    )
    async def regulatory_profile(
        self, info: Info
    ) -> Annotated[RegulatoryProfile, strawberry.lazy("schema.frameworks.types")] | None:
        from schema.frameworks.types import profile_of_process

        return await profile_of_process(info, self.db_id)

    @strawberry.field(
        description="frameworkCoverage of the client, counting only this process and its"
        " owners, agreements and change plans; its regulatory profile rules duties out."
    )
    async def framework_coverage(
        self,
        info: Info,
        framework: FrameworkId,
    ) -> FrameworkCoverageType | None:
        return await coverage_of(info, self.model.client_id, framework, self.db_id)

    @strawberry.field(
        description="The owner of the accountable assignment in effect today.",
        metadata=sql(Related(lambda row, _: _accountable_owner(row))),
    )
    async def accountable_owner(
        self, info: Info
    ) -> Annotated[OwnerNode, strawberry.lazy("schema.owners.types")] | None:
        from schema.processes import resolvers

        return await resolvers.accountable_owner(info, self.db_id)

    assignments = PROCESS_ASSIGNMENTS.field(
        "Ownership assignments, history included, by start date (newest first). "
        "Filter `current: true` for those in effect today, `false` for the others.",
        argument=CURRENT,
    )
    kpis = PROCESS_KPIS.field("KPIs of the process, oldest first.")
    reviews = PROCESS_REVIEWS.field("Performance reviews, newest first (reviewedOn, then id).")
    incidents = PROCESS_INCIDENTS.field(
        "Incidents, most recent first (occurredAt, then id); "
        "filter by any of the given statuses and severities.",
        argument=ListArgument(
            IncidentFilter | None,
            "Keep only incidents matching every given condition; null: all.",
        ),
    )

    @strawberry.field(
        description="Vendor agreements covering the process, oldest first.",
        metadata=sql(_vendor_agreements_page()),
    )
    async def vendor_agreements(
        self, info: Info, first: First = 20, after: After = None
    ) -> Connection[Annotated[VendorAgreementNode, strawberry.lazy("schema.vendors.types")]]:
        from schema.vendors.resolvers import process_vendor_agreements

        return await process_vendor_agreements(info, self.db_id, first=first, after=after)

    # -- relations from the engagement area --


register_node(AIProcessNode, m.AIProcess)
register_node(ProcessKpiNode, m.ProcessKpi)
