"""Record and update vendor agreements."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import strawberry

from schema.ids import decode_ids
from schema.input_fields import global_id_of, optional
from schema.mutation_support import updating, write_mutation
from schema.payloads import Payload, written_payload
from schema.row_writes import OF_CLIENT, Ref, new_row, row_at_version
from schema.vendors.types import AgreementClauseInput, VendorAgreementNode
from tenants import models as m
from tenants.services import vendors as service
from tenants.services.vendors import Clause


@strawberry.input(
    description="A new vendor agreement of a client; omitted clauses are UNSPECIFIED."
)
class CreateVendorAgreementInput:
    client_organisation_id: strawberry.ID = global_id_of("ClientOrganisation")
    vendor: str = strawberry.field(description="The vendor's name.")
    product: str | None = optional("The product covered; null: not stated.")
    starts_on: date | None = optional("When the agreement starts; null: not stated.")
    ends_on: date | None = optional("Not before startsOn.")
    renewal_on: date | None = optional("Not before startsOn.")
    auto_renews: bool = strawberry.field(
        default=False, description="Whether it renews itself unless cancelled."
    )
    monitoring: AgreementClauseInput | None = optional("Who monitors the system's performance.")
    incident_response: AgreementClauseInput | None = optional("Who answers incidents.")
    incident_response_hours: int | None = optional("0-8760 hours.")
    updates: AgreementClauseInput | None = optional("Who ships and tests model or product updates.")
    data_governance: AgreementClauseInput | None = optional("Who governs the data the system uses.")
    process_ids: list[strawberry.ID] = strawberry.field(
        default_factory=list,
        description="Live AIProcesses of the same client the agreement covers.",
    )


@strawberry.input(description="Omitted fields are unchanged; null clears an optional field.")
@updating(
    CreateVendorAgreementInput,
    "VendorAgreement",
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
    pass


@written_payload(
    "vendor_agreement",
    VendorAgreementNode,
    "createVendorAgreement",
    "updateVendorAgreement",
)
class VendorAgreementPayload(Payload):
    pass


def _clause(value: AgreementClauseInput) -> Clause:
    return Clause(party=value.party, terms=value.terms)


# Clause inputs as the service's Clauses, global ids as UUIDs.
_CONVERT: dict[str, Callable[[Any], Any]] = {
    **dict.fromkeys(m.CLAUSES, _clause),
    "process_ids": lambda ids: decode_ids(list(ids), "AIProcess", "processIds"),
}

_AGREEMENT = Ref("VendorAgreement", "agreement_id")


@strawberry.type
class VendorAgreementMutation:
    create_vendor_agreement = write_mutation(
        CreateVendorAgreementInput,
        VendorAgreementPayload,
        new_row(service.create_vendor_agreement, OF_CLIENT, convert=_CONVERT),
        description="Add a vendor agreement of a client. Staff writers.",
    )
    update_vendor_agreement = write_mutation(
        UpdateVendorAgreementInput,
        VendorAgreementPayload,
        row_at_version(service.update_vendor_agreement, _AGREEMENT, convert=_CONVERT),
        description="Change a vendor agreement. Staff writers.",
    )
