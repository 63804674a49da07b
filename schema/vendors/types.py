"""The VendorAgreement node and its ownership clauses."""

from __future__ import annotations

import uuid
from datetime import date
from enum import Enum
from typing import TYPE_CHECKING, Annotated

import strawberry
from sqlalchemy import select

from schema.common_fields import CHANGED, Versioned
from schema.compiled.sql import Expr, Related, Row, Source, lateral_row, sql
from schema.context import Info
from schema.enums import ResponsibleParty, documented_enum
from schema.links import link
from schema.loaders import by_id, loader
from schema.node import Node, node_type, register_node
from tenants import models as m
from tenants.services.vendors import (
    missing_clauses,
    missing_clauses_sql,
    process_ids_by_agreement,
)

if TYPE_CHECKING:
    from schema.processes.types import AIProcessNode


@documented_enum(
    "The ownership clauses a vendor agreement must settle.",
    {
        "MONITORING": "Monitoring the system's performance.",
        "INCIDENT_RESPONSE": "Answering incidents (and how fast: incidentResponseHours).",
        "UPDATES": "Shipping and testing updates.",
        "DATA_GOVERNANCE": "Governing the data.",
    },
)
class VendorClause(Enum):
    MONITORING = "monitoring"
    INCIDENT_RESPONSE = "incident_response"
    UPDATES = "updates"
    DATA_GOVERNANCE = "data_governance"


@strawberry.type(description="Who answers for one ownership duty, and the agreed terms.")
class AgreementClause:
    party: ResponsibleParty = strawberry.field(  # type: ignore[valid-type]
        description="Who answers for the duty; UNSPECIFIED is a gap."
    )
    terms: str | None = strawberry.field(
        description="The agreed terms in words; null: none written down."
    )


@strawberry.input(description="One ownership clause; an omitted party is UNSPECIFIED (a gap).")
class AgreementClauseInput:
    party: ResponsibleParty = strawberry.field(  # type: ignore[valid-type]
        default=m.ResponsibleParty.UNSPECIFIED,
        description="Who answers for the duty; UNSPECIFIED is a gap.",
    )
    terms: str | None = strawberry.field(
        default=None, description="The agreed terms in words; null: none written down."
    )


def _clause(obj: m.VendorAgreement, name: str) -> AgreementClause:
    return AgreementClause(party=getattr(obj, f"{name}_party"), terms=getattr(obj, f"{name}_terms"))


def _clause_sql(name: str) -> Related:
    """An AgreementClause from the agreement's `<name>_party` and `<name>_terms` columns."""
    return Related(
        lambda row, _: lateral_row(
            row.col(f"{name}_party").label("party"), row.col(f"{name}_terms").label("terms")
        ),
        parts={"party": f"{name}_party", "terms": f"{name}_terms"},
    )


def _processes(row: Row) -> Source:
    """The visible processes the agreement covers, by name (code point order, as Python
    sorts), then id."""
    link = Row.of(m.VendorAgreementProcess).entity
    process = Row.of(m.AIProcess)
    p = process.entity
    covered = (
        select(link.process_id).where(link.agreement_id == row.col("id")).correlate_except(link)
    )
    return Source(
        process,
        froms=[p],
        where=[p.id.in_(covered)],
        order_by=[p.name.collate("C"), p.id],
        model=m.AIProcess,
    )


@node_type(
    "VendorAgreement",
    description="A client's agreement with an AI vendor: who monitors, who answers incidents "
    "and how fast, who ships updates, who governs data.",
    stamps=CHANGED,
)
class VendorAgreementNode(Node, Versioned):
    client_id: strawberry.Private[uuid.UUID]
    vendor: str = strawberry.field(description="The vendor's name.")
    product: str | None = strawberry.field(description="The product covered; null: not stated.")
    starts_on: date | None = strawberry.field(
        description="When the agreement starts; null: not stated."
    )
    ends_on: date | None = strawberry.field(description="When it ends; null: open-ended.")
    renewal_on: date | None = strawberry.field(
        description="When it is up for renewal; null: not stated."
    )
    auto_renews: bool = strawberry.field(description="Whether it renews itself unless cancelled.")
    monitoring: AgreementClause = strawberry.field(
        description="Who monitors the system's performance.",
        metadata=sql(_clause_sql("monitoring")),
    )
    incident_response: AgreementClause = strawberry.field(
        description="Who answers incidents.", metadata=sql(_clause_sql("incident_response"))
    )
    incident_response_hours: int | None = strawberry.field(
        description="Hours within which the responsible party must respond to an incident."
    )
    updates: AgreementClause = strawberry.field(
        description="Who ships and tests model or product updates.",
        metadata=sql(_clause_sql("updates")),
    )
    data_governance: AgreementClause = strawberry.field(
        description="Who governs the data the system uses.",
        metadata=sql(_clause_sql("data_governance")),
    )
    missing_clauses: list[VendorClause] = strawberry.field(
        description="Clauses whose party is UNSPECIFIED, plus INCIDENT_RESPONSE when it has no "
        "response hours.",
        metadata=sql(Expr(lambda row, _: row.adapt(missing_clauses_sql())[0])),
    )

    FROM_MODEL = {
        "monitoring": lambda o: _clause(o, "monitoring"),
        "incident_response": lambda o: _clause(o, "incident_response"),
        "updates": lambda o: _clause(o, "updates"),
        "data_governance": lambda o: _clause(o, "data_governance"),
        "missing_clauses": lambda o: [VendorClause(c) for c in missing_clauses(o)],
    }

    client_organisation = link(
        m.ClientOrganisation,
        "client_id",
        "schema.clients.types:ClientOrganisationNode",
        "The client organisation that signed the agreement.",
        attr="client_id",
    )

    @strawberry.field(
        description="The processes the agreement covers (archived ones included), by name.",
        metadata=sql(Related(lambda row, _: _processes(row))),
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
