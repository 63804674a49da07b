"""The VendorAgreement node and its ownership clauses."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import Enum
from typing import TYPE_CHECKING, Annotated, ClassVar

import strawberry

from schema.context import Info
from schema.enums import ResponsibleParty
from schema.loaders import by_id, loader
from schema.node import Node, register_node
from tenants import models as m
from tenants.services.vendors import missing_clauses, process_ids_by_agreement

if TYPE_CHECKING:
    from schema.clients.types import ClientOrganisationNode
    from schema.processes.types import AIProcessNode


@strawberry.enum(description="The ownership clauses a vendor agreement must settle.")
class VendorClause(Enum):
    MONITORING = "monitoring"
    INCIDENT_RESPONSE = "incident_response"
    UPDATES = "updates"
    DATA_GOVERNANCE = "data_governance"


@strawberry.type(description="Who answers for one ownership duty, and the agreed terms.")
class AgreementClause:
    party: ResponsibleParty  # type: ignore[valid-type]
    terms: str | None


@strawberry.input(description="One ownership clause; an omitted party is UNSPECIFIED (a gap).")
class AgreementClauseInput:
    party: ResponsibleParty = m.ResponsibleParty.UNSPECIFIED  # type: ignore[valid-type]
    terms: str | None = None


def _clause(obj: m.VendorAgreement, name: str) -> AgreementClause:
    return AgreementClause(party=getattr(obj, f"{name}_party"), terms=getattr(obj, f"{name}_terms"))


@strawberry.type(
    name="VendorAgreement",
    description="A client's agreement with an AI vendor: who monitors, who answers incidents "
    "and how fast, who ships updates, who governs data.",
)
class VendorAgreementNode(Node):
    NODE_NAME: ClassVar[str] = "VendorAgreement"
    client_id: strawberry.Private[uuid.UUID]
    version: int = strawberry.field(
        description="Send it back with updates; a stale one is a CONFLICT."
    )
    vendor: str
    product: str | None
    starts_on: date | None
    ends_on: date | None
    renewal_on: date | None
    auto_renews: bool
    monitoring: AgreementClause
    incident_response: AgreementClause
    incident_response_hours: int | None = strawberry.field(
        description="Hours within which the responsible party must respond to an incident."
    )
    updates: AgreementClause
    data_governance: AgreementClause
    missing_clauses: list[VendorClause] = strawberry.field(
        description="Clauses whose party is UNSPECIFIED, plus INCIDENT_RESPONSE when it has no "
        "response hours."
    )
    created_at: datetime
    updated_at: datetime

    @classmethod
    def from_model(cls, obj: m.VendorAgreement) -> VendorAgreementNode:
        return cls(
            db_id=obj.id,
            client_id=obj.client_id,
            version=obj.version,
            vendor=obj.vendor,
            product=obj.product,
            starts_on=obj.starts_on,
            ends_on=obj.ends_on,
            renewal_on=obj.renewal_on,
            auto_renews=obj.auto_renews,
            monitoring=_clause(obj, "monitoring"),
            incident_response=_clause(obj, "incident_response"),
            incident_response_hours=obj.incident_response_hours,
            updates=_clause(obj, "updates"),
            data_governance=_clause(obj, "data_governance"),
            missing_clauses=[VendorClause(c) for c in missing_clauses(obj)],
            created_at=obj.created_at,
            updated_at=obj.updated_at,
        )

    @strawberry.field(description="The client organisation that signed the agreement.")
    async def client(
        self, info: Info
    ) -> Annotated[ClientOrganisationNode, strawberry.lazy("schema.clients.types")] | None:
        from schema.clients.types import ClientOrganisationNode

        obj = await by_id(info, m.ClientOrganisation).load(self.client_id)
        return None if obj is None else ClientOrganisationNode.from_model(obj)

    @strawberry.field(
        description="The processes the agreement covers (archived ones included), by name."
    )
    async def processes(
        self, info: Info
    ) -> list[Annotated[AIProcessNode, strawberry.lazy("schema.processes.types")]]:
        from schema.processes.types import AIProcessNode

        async def batch(ids: list[uuid.UUID]) -> list[list[uuid.UUID]]:
            found = await process_ids_by_agreement(info.context.db, agreement_ids=ids)
            return [found[i] for i in ids]

        process_ids = await loader(info, "vendor.process_ids", batch).load(self.db_id)
        rows = [p for p in await by_id(info, m.AIProcess).load_many(process_ids) if p is not None]
        return [AIProcessNode.from_model(p) for p in sorted(rows, key=lambda p: (p.name, p.id))]


register_node(VendorAgreementNode, m.VendorAgreement)
