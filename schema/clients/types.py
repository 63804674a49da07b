"""The ClientOrganisation node."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import ClassVar

import strawberry

from schema.context import Info
from schema.enums import ClientSize, EngagementStatus
from schema.loaders import loader
from schema.node import Node, register_node
from tenants import models as m
from tenants.services.clients import coverage_by_client


@strawberry.type(description="Live processes with a current accountable owner.")
class OwnershipCoverage:
    live_processes: int
    covered_processes: int
    ratio: Decimal | None = strawberry.field(
        description="covered / live, null when the client has no live process."
    )


@strawberry.type(name="ClientOrganisation", description="An organisation the consultancy serves.")
class ClientOrganisationNode(Node):
    NODE_NAME: ClassVar[str] = "ClientOrganisation"
    version: int = strawberry.field(
        description="Send it back with updates; a stale one is a CONFLICT."
    )
    name: str
    industry: str | None
    size: ClientSize | None  # type: ignore[valid-type]
    region: str | None
    engagement_status: EngagementStatus  # type: ignore[valid-type]
    engagement_start: date | None
    engagement_end: date | None
    lead_consultant: str | None
    archived_at: datetime | None
    created_at: datetime
    updated_at: datetime

    @classmethod
    def from_model(cls, obj: m.ClientOrganisation) -> ClientOrganisationNode:
        return cls(
            db_id=obj.id,
            version=obj.version,
            name=obj.name,
            industry=obj.industry,
            size=obj.size,
            region=obj.region,
            engagement_status=obj.engagement_status,
            engagement_start=obj.engagement_start,
            engagement_end=obj.engagement_end,
            lead_consultant=obj.lead_consultant,
            archived_at=obj.archived_at,
            created_at=obj.created_at,
            updated_at=obj.updated_at,
        )

    @strawberry.field(description="Share of live processes that have a current accountable owner.")
    async def ownership_coverage(self, info: Info) -> OwnershipCoverage:
        async def batch(ids: list[uuid.UUID]) -> list[OwnershipCoverage]:
            found = await coverage_by_client(info.context.db, client_ids=ids)
            return [
                OwnershipCoverage(
                    live_processes=found[i].live,
                    covered_processes=found[i].covered,
                    ratio=found[i].ratio,
                )
                for i in ids
            ]

        return await loader(info, "client.coverage", batch).load(self.db_id)

    # Relations to other areas are added below, each resolver living in its area's
    # `resolvers.py` (processes, owners, change plans, vendor agreements, reports).
    # -- relations --


register_node(ClientOrganisationNode, m.ClientOrganisation)
