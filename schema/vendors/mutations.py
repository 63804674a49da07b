"""Record and update vendor agreements."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

import strawberry

from schema.context import Info
from schema.errors import UserError, atomic
from schema.ids import decode_id, decode_ids
from schema.mutation_support import given, required
from schema.permissions import actor_of, authorize
from schema.vendors.types import AgreementClauseInput, VendorAgreementNode
from tenants import models as m
from tenants.services import vendors as service
from tenants.services.validation import UNSET as SERVICE_UNSET
from tenants.services.vendors import Clause


@strawberry.input(
    description="A new vendor agreement of a client; omitted clauses are UNSPECIFIED."
)
class CreateVendorAgreementInput:
    client_organisation_id: strawberry.ID = strawberry.field(
        description="The global id of a ClientOrganisation."
    )
    vendor: str = strawberry.field(description="The vendor's name.")
    product: str | None = strawberry.field(
        default=None, description="The product covered; null: not stated."
    )
    starts_on: date | None = strawberry.field(
        default=None, description="When the agreement starts; null: not stated."
    )
    ends_on: date | None = strawberry.field(default=None, description="Not before startsOn.")
    renewal_on: date | None = strawberry.field(default=None, description="Not before startsOn.")
    auto_renews: bool = strawberry.field(
        default=False, description="Whether it renews itself unless cancelled."
    )
    monitoring: AgreementClauseInput | None = strawberry.field(
        default=None, description="Who monitors the system's performance."
    )
    incident_response: AgreementClauseInput | None = strawberry.field(
        default=None, description="Who answers incidents."
    )
    incident_response_hours: int | None = strawberry.field(
        default=None, description="0-8760 hours."
    )
    updates: AgreementClauseInput | None = strawberry.field(
        default=None, description="Who ships and tests model or product updates."
    )
    data_governance: AgreementClauseInput | None = strawberry.field(
        default=None, description="Who governs the data the system uses."
    )
    process_ids: list[strawberry.ID] = strawberry.field(
        default_factory=list,
        description="Live AIProcesses of the same client the agreement covers.",
    )


@strawberry.input(description="Omitted fields are unchanged; null clears an optional field.")
class UpdateVendorAgreementInput:
    id: strawberry.ID = strawberry.field(
        description="The global id of the VendorAgreement to change."
    )
    version: int = strawberry.field(description="The version you last saw.")
    vendor: str | None = strawberry.field(
        default=strawberry.UNSET, description="The vendor's name."
    )
    product: str | None = strawberry.field(
        default=strawberry.UNSET, description="The product covered; null: not stated."
    )
    starts_on: date | None = strawberry.field(
        default=strawberry.UNSET, description="When the agreement starts; null: not stated."
    )
    ends_on: date | None = strawberry.field(
        default=strawberry.UNSET, description="When it ends; null: open-ended."
    )
    renewal_on: date | None = strawberry.field(
        default=strawberry.UNSET, description="When it is up for renewal; null: not stated."
    )
    auto_renews: bool | None = strawberry.field(
        default=strawberry.UNSET, description="Whether it renews itself unless cancelled."
    )
    monitoring: AgreementClauseInput | None = strawberry.field(
        default=strawberry.UNSET, description="Who monitors the system's performance."
    )
    incident_response: AgreementClauseInput | None = strawberry.field(
        default=strawberry.UNSET, description="Who answers incidents."
    )
    incident_response_hours: int | None = strawberry.field(
        default=strawberry.UNSET,
        description="Hours within which the responsible party must respond to an incident.",
    )
    updates: AgreementClauseInput | None = strawberry.field(
        default=strawberry.UNSET, description="Who ships and tests model or product updates."
    )
    data_governance: AgreementClauseInput | None = strawberry.field(
        default=strawberry.UNSET, description="Who governs the data the system uses."
    )
    process_ids: list[strawberry.ID] | None = strawberry.field(
        default=strawberry.UNSET, description="Replaces the covered set."
    )


@strawberry.type(
    description=(
        "The result of createVendorAgreement, updateVendorAgreement: the object"
        " written, or `errors`."
    )
)
class VendorAgreementPayload:
    vendor_agreement: VendorAgreementNode | None = strawberry.field(
        description="The VendorAgreement as written; null when there are errors."
    )
    errors: list[UserError] = strawberry.field(
        description=(
            "What went wrong, each naming its input field; empty on success. With "
            "errors nothing was written."
        )
    )


def _clause(value: AgreementClauseInput | None) -> Clause | None:
    return None if value is None else Clause(party=value.party, terms=value.terms)


def _clause_update(value: AgreementClauseInput | None, field: str) -> Any:
    """Update: omitted is unchanged, null is an error (send party UNSPECIFIED to clear)."""
    clause = required(value, field)
    return clause if clause is SERVICE_UNSET else _clause(clause)


def _payload(obj: m.VendorAgreement | None, errors: list[UserError]) -> VendorAgreementPayload:
    node = VendorAgreementNode.from_model(obj) if obj is not None and not errors else None
    return VendorAgreementPayload(vendor_agreement=node, errors=errors)


@strawberry.type
class VendorAgreementMutation:
    @strawberry.mutation(description="Add a vendor agreement of a client. Staff writers.")
    async def create_vendor_agreement(
        self,
        info: Info,
        input: Annotated[
            CreateVendorAgreementInput,
            strawberry.argument(
                description=(
                    "What to write; each error names its field within it (e.g. `name`, "
                    "`scores[0].score`)."
                )
            ),
        ],
    ) -> VendorAgreementPayload:
        obj = None
        async with atomic(info) as outcome:
            await authorize(info)
            obj = await service.create_vendor_agreement(
                info.context.db,
                actor=actor_of(info.context.principal),
                client_id=decode_id(
                    input.client_organisation_id, "ClientOrganisation", "clientOrganisationId"
                ),
                vendor=input.vendor,
                product=input.product,
                starts_on=input.starts_on,
                ends_on=input.ends_on,
                renewal_on=input.renewal_on,
                auto_renews=input.auto_renews,
                monitoring=_clause(input.monitoring),
                incident_response=_clause(input.incident_response),
                incident_response_hours=input.incident_response_hours,
                updates=_clause(input.updates),
                data_governance=_clause(input.data_governance),
                process_ids=decode_ids(list(input.process_ids), "AIProcess", "processIds"),
            )
        return _payload(obj, outcome.errors)

    @strawberry.mutation(description="Change a vendor agreement. Staff writers.")
    async def update_vendor_agreement(
        self,
        info: Info,
        input: Annotated[
            UpdateVendorAgreementInput,
            strawberry.argument(
                description=(
                    "What to write; each error names its field within it (e.g. `name`, "
                    "`scores[0].score`)."
                )
            ),
        ],
    ) -> VendorAgreementPayload:
        obj = None
        async with atomic(info) as outcome:
            await authorize(info)
            process_ids = required(input.process_ids, "processIds")
            obj = await service.update_vendor_agreement(
                info.context.db,
                actor=actor_of(info.context.principal),
                agreement_id=decode_id(input.id, "VendorAgreement", "id"),
                expected_version=input.version,
                vendor=required(input.vendor, "vendor"),
                product=given(input.product),
                starts_on=given(input.starts_on),
                ends_on=given(input.ends_on),
                renewal_on=given(input.renewal_on),
                auto_renews=required(input.auto_renews, "autoRenews"),
                monitoring=_clause_update(input.monitoring, "monitoring"),
                incident_response=_clause_update(input.incident_response, "incidentResponse"),
                incident_response_hours=given(input.incident_response_hours),
                updates=_clause_update(input.updates, "updates"),
                data_governance=_clause_update(input.data_governance, "dataGovernance"),
                process_ids=process_ids
                if process_ids is SERVICE_UNSET
                else decode_ids(list(process_ids), "AIProcess", "processIds"),
            )
        return _payload(obj, outcome.errors)
