"""Record and update vendor agreements."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Annotated, Any

import strawberry

from schema.context import Info
from schema.errors import UserError
from schema.ids import decode_id, decode_ids
from schema.mutation_support import WRITE_INPUT, input_values, payload_of, run_write, updating
from schema.vendors.types import AgreementClauseInput, VendorAgreementNode
from tenants import models as m
from tenants.services import vendors as service
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
@updating(
    CreateVendorAgreementInput,
    exclude=["client_organisation_id"],
    described={
        "ends_on": "When it ends; null: open-ended.",
        "renewal_on": "When it is up for renewal; null: not stated.",
        "incident_response_hours": (
            "Hours within which the responsible party must respond to an incident."
        ),
        "process_ids": "Replaces the covered set.",
    },
)
class UpdateVendorAgreementInput:
    id: strawberry.ID = strawberry.field(
        description="The global id of the VendorAgreement to change."
    )
    version: int = strawberry.field(description="The version you last saw.")


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


def _clause(value: AgreementClauseInput) -> Clause:
    return Clause(party=value.party, terms=value.terms)


# Clause inputs as the service's Clauses, global ids as UUIDs.
_CONVERT: dict[str, Callable[[Any], Any]] = {
    **dict.fromkeys(m.CLAUSES, _clause),
    "process_ids": lambda ids: decode_ids(list(ids), "AIProcess", "processIds"),
}

_payload = payload_of(VendorAgreementPayload, "vendor_agreement", VendorAgreementNode.from_model)


@strawberry.type
class VendorAgreementMutation:
    @strawberry.mutation(description="Add a vendor agreement of a client. Staff writers.")
    async def create_vendor_agreement(
        self, info: Info, input: Annotated[CreateVendorAgreementInput, WRITE_INPUT]
    ) -> VendorAgreementPayload:
        return await run_write(
            info,
            _payload,
            lambda db, actor: service.create_vendor_agreement(
                db,
                actor=actor,
                client_id=decode_id(
                    input.client_organisation_id, "ClientOrganisation", "clientOrganisationId"
                ),
                **input_values(input, skip=["client_organisation_id"], convert=_CONVERT),
            ),
        )

    @strawberry.mutation(description="Change a vendor agreement. Staff writers.")
    async def update_vendor_agreement(
        self, info: Info, input: Annotated[UpdateVendorAgreementInput, WRITE_INPUT]
    ) -> VendorAgreementPayload:
        return await run_write(
            info,
            _payload,
            lambda db, actor: service.update_vendor_agreement(
                db,
                actor=actor,
                agreement_id=decode_id(input.id, "VendorAgreement", "id"),
                expected_version=input.version,
                **input_values(input, convert=_CONVERT),
            ),
        )
