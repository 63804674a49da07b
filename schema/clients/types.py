"""The ClientOrganisation node."""

from __future__ import annotations

import uuid
from datetime import date
from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from sqlalchemy import ARRAY, Numeric, String, and_, case, cast, func, not_, select
from sqlalchemy.dialects.postgresql import aggregate_order_by, array

from schema.audit.queries import CLIENT_FEED, FeedAfter, FeedFilter, FeedFirst
from schema.change_plans.resolvers import CLIENT_CHANGE_PLANS
from schema.change_plans.types import ChangePlanFilter
from schema.client_lists.fields import ClientOrganisationLists
from schema.common_fields import ARCHIVABLE, Versioned
from schema.compiled.sql import Args, Expr, Related, Row, Source, lateral_row, sql
from schema.context import Info
from schema.enums import ClientSize, EngagementStatus, ReportStatus
from schema.frameworks.coverage import FrameworkCoverageType, FrameworkId, coverage_of
from schema.loaders import loader
from schema.node import Node, node_type, register_node
from schema.node_lists import ListArgument
from schema.numbers import to_float
from schema.owners.filters import CLIENT_OWNERS, OWNER_ORDER, OwnerFilter
from schema.pagination import Connection
from schema.processes.filters import CLIENT_PROCESSES, PROCESS_ORDER, AIProcessFilter
from schema.reports.resolvers import CLIENT_HEALTH_REPORTS, CLIENT_READINESS_REPORTS
from schema.vendors.filters import VendorAgreementFilter
from schema.vendors.resolvers import CLIENT_VENDOR_AGREEMENTS
from tenants import models as m
from tenants.services.clients import RATIO_PLACES, coverage_by_client
from tenants.services.frameworks import client_framework_ids_by_client

if TYPE_CHECKING:
    from schema.audit.types import AuditEventNode
    from schema.reports.types import ReadinessReportNode


@strawberry.type(description="Live processes with a current accountable owner.")
class OwnershipCoverage:
    live_processes: int = strawberry.field(
        description="Live processes: PILOT or PRODUCTION and not archived."
    )
    covered_processes: int = strawberry.field(
        description="Live processes with an accountable owner in effect today."
    )
    ratio: float | None = strawberry.field(
        description="covered / live, null when the client has no live process.",
        metadata=sql(
            Expr(
                lambda row, _: case(
                    (row.col("live_processes") == 0, None),
                    else_=func.round(
                        cast(row.col("covered_processes"), Numeric) / row.col("live_processes"),
                        RATIO_PLACES,
                    ),
                )
            )
        ),
    )


def _coverage(row: Row, _: Args) -> Source:
    from schema.processes.filters import live_condition, orphaned_condition

    process = Row.of(m.AIProcess)
    live, orphaned = process.adapt(live_condition(), orphaned_condition(date.today()))
    return lateral_row(
        func.count().filter(live).label("live_processes"),
        func.count().filter(and_(live, not_(orphaned))).label("covered_processes"),
        froms=[process.entity],
        where=[process.entity.client_id == row.col("id")],
    )


def _chosen_frameworks(row: Row) -> Any:
    chosen = Row.of(m.ClientFramework).entity
    ids = (
        select(func.array_agg(aggregate_order_by(chosen.framework_id, chosen.framework_id)))
        .where(chosen.client_id == row.col("id"))
        .correlate_except(chosen)
        .scalar_subquery()
    )
    return func.coalesce(ids, cast(array([], type_=String), ARRAY(String)))


def _latest_readiness_report() -> Related:
    from schema.reports.resolvers import latest_readiness_spec

    return latest_readiness_spec()


@node_type(
    "ClientOrganisation", description="An organisation the consultancy serves.", stamps=ARCHIVABLE
)
class ClientOrganisationNode(ClientOrganisationLists, Node, Versioned):
    name: str = strawberry.field(description="The organisation's name.")
    industry: str | None = strawberry.field(
        description="Its industry, free text; null: not stated."
    )
    size: ClientSize | None = strawberry.field(description="Its size band; null: not stated.")  # type: ignore[valid-type]
    region: str | None = strawberry.field(
        description="Where it operates, free text; null: not stated."
    )
    engagement_status: EngagementStatus = strawberry.field(  # type: ignore[valid-type]
        description="Where the engagement stands."
    )
    engagement_start: date | None = strawberry.field(
        description="When the engagement starts or started; null: not set."
    )
    engagement_end: date | None = strawberry.field(
        description="When the engagement ends or ended; null: open-ended."
    )
    lead_consultant: str | None = strawberry.field(
        description="The consultancy's lead for this client, free text; null: none named."
    )

    @strawberry.field(
        description="Share of live processes that have a current accountable owner.",
        metadata=sql(Related(_coverage)),
    )
    async def ownership_coverage(self, info: Info) -> OwnershipCoverage:
        async def batch(ids: list[uuid.UUID]) -> list[OwnershipCoverage]:
            found = await coverage_by_client(info.context.db, client_ids=ids)
            return [
                OwnershipCoverage(
                    live_processes=found[i].live,
                    covered_processes=found[i].covered,
                    ratio=to_float(found[i].ratio),
                )
                for i in ids
            ]

        return await loader(info, "client.coverage", batch).load(self.db_id)

    @strawberry.field(
        description="Ids of the frameworks chosen for this client (chooseClientFrameworks),"
        " in id order: catalogue ids such as eu-ai-act, or tenant:<key> for the"
        " consultancy's own control sets. Their coverage is shown and the readiness report"
        " has a section for each. Empty when none is chosen.",
        metadata=sql(Expr(lambda row, _: _chosen_frameworks(row))),
    )
    async def frameworks(self, info: Info) -> list[str]:
        async def batch(ids: list[uuid.UUID]) -> list[list[str]]:
            chosen = await client_framework_ids_by_client(info.context.db, client_ids=ids)
            return [chosen.get(i, []) for i in ids]

        return await loader(info, "client.frameworks", batch).load(self.db_id)

    @strawberry.field(
        description="Per requirement of a catalogue framework (eu-ai-act, iso-iec-42001,"
        " nist-ai-rmf): met, partly, not met, not applicable or not assessed, with the"
        " findings behind it; null for an unknown framework. Computed from the readiness"
        " snapshot in Python (ordinary executor)."
    )
    async def framework_coverage(
        self,
        info: Info,
        framework: FrameworkId,
    ) -> FrameworkCoverageType | None:
        return await coverage_of(info, self.db_id, framework)

    # Lists of other areas' objects, each declared (table, filter, order) in its area.
    change_plans = CLIENT_CHANGE_PLANS.field(
        "Change plans of the client, oldest first (createdAt, then id); "
        "filter by any of the given statuses.",
        argument=ListArgument(
            ChangePlanFilter | None,
            "Keep only plans matching every given condition; null: all.",
        ),
    )
    vendor_agreements = CLIENT_VENDOR_AGREEMENTS.field(
        "Vendor agreements of the client, oldest first (createdAt, then id); "
        "`filter` keeps those ending before a date or missing clauses.",
        argument=ListArgument(
            VendorAgreementFilter | None,
            "Keep only agreements matching every given condition; null: all.",
        ),
    )
    processes = CLIENT_PROCESSES.field(
        "AI processes of the client, by name (see AIProcessOrder); archived ones "
        "are hidden unless `filter.includeArchived`; `filter.orphaned` selects live processes "
        "with no accountable owner today.",
        argument=ListArgument(
            AIProcessFilter | None,
            "Keep only processes matching every given condition; null: every"
            " process that is not archived.",
        ),
        order_by=PROCESS_ORDER.argument(),
    )
    owners = CLIENT_OWNERS.field(
        "Owners of the client, by name (see OwnerOrder); archived ones are hidden "
        "unless `filter.includeArchived`.",
        argument=ListArgument(
            OwnerFilter | None,
            "Keep only owners matching every given condition; null: those not archived.",
        ),
        order_by=OWNER_ORDER.argument(),
    )
    readiness_reports = CLIENT_READINESS_REPORTS.field(
        "Readiness reports of the client, most recently requested first; "
        "`status` keeps those of any of the given statuses (e.g. [FAILED]).",
        argument=ListArgument(
            list[ReportStatus] | None,  # type: ignore[valid-type]
            "Keep only reports in any of these statuses; null or empty: all.",
        ),
    )

    @strawberry.field(
        description="The most recently requested readiness report, whatever its status; "
        "with `succeededOnly`, the latest one that SUCCEEDED.",
        metadata=sql(_latest_readiness_report()),
    )
    async def latest_readiness_report(
        self,
        info: Info,
        succeeded_only: Annotated[
            bool,
            strawberry.argument(
                description=(
                    "true: the latest report that SUCCEEDED; false (default): the latest, "
                    "whatever its status."
                )
            ),
        ] = False,
    ) -> Annotated[ReadinessReportNode, strawberry.lazy("schema.reports.types")] | None:
        from schema.reports.resolvers import latest_readiness_report

        return await latest_readiness_report(info, self.db_id, succeeded_only=succeeded_only)

    engagement_health_reports = CLIENT_HEALTH_REPORTS.field(
        "Weekly engagement health reports of the client, newest period first."
    )

    @strawberry.field(
        description="The client's activity feed: changes to its data, newest first, "
        "narrowed by `filter` (its clientOrganisationId is redundant here). Visible as "
        "the root auditEvents is.",
        metadata=sql(CLIENT_FEED.page()),
    )
    async def audit_events(
        self,
        info: Info,
        filter: FeedFilter = None,
        first: FeedFirst = 20,
        after: FeedAfter = None,
    ) -> Connection[Annotated[AuditEventNode, strawberry.lazy("schema.audit.types")]]:
        return await CLIENT_FEED.connection(info, self.db_id, first, after, filter)

    # -- relations --


register_node(ClientOrganisationNode, m.ClientOrganisation)
