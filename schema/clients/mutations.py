"""Create, update and archive client organisations."""

from __future__ import annotations

from datetime import date

import strawberry

from schema.clients.types import ClientOrganisationNode
from schema.enums import ClientSize, EngagementStatus
from schema.input_fields import optional
from schema.mutation_support import row_input, updating, write_mutation
from schema.payloads import Payload, written_payload
from schema.row_writes import Ref, new_row, row_at_version
from tenants.services import clients as service


@strawberry.input(description="A new client organisation.")
class CreateClientOrganisationInput:
    name: str = strawberry.field(description="The organisation's name.")
    industry: str | None = optional("Its industry, free text; null: not stated.")
    size: ClientSize | None = optional("Its size band; null: not stated.")  # type: ignore[valid-type]
    region: str | None = optional("Where it operates, free text; null: not stated.")
    engagement_status: EngagementStatus | None = optional("Where the engagement stands.")  # type: ignore[valid-type]
    engagement_start: date | None = optional(
        "When the engagement starts or started; null: not set."
    )
    engagement_end: date | None = optional("When the engagement ends or ended; null: open-ended.")
    lead_consultant: str | None = optional(
        "The consultancy's lead for this client, free text; null: none named."
    )


@strawberry.input(description="Omitted fields are unchanged; null clears an optional field.")
@updating(CreateClientOrganisationInput, "ClientOrganisation")
class UpdateClientOrganisationInput:
    pass


@strawberry.input(
    description=(
        "Which client to archive; it stays readable, hidden from lists unless includeArchived."
    )
)
@row_input("ClientOrganisation", "archive")
class ArchiveClientOrganisationInput:
    pass


@written_payload(
    "client_organisation",
    ClientOrganisationNode,
    "createClientOrganisation",
    "updateClientOrganisation",
    "archiveClientOrganisation",
)
class ClientOrganisationPayload(Payload):
    pass


# The client a client organisation input's `id` names (restoreClientOrganisation too).
CLIENT_ROW = Ref("ClientOrganisation", "client_id")


@strawberry.type
class ClientOrganisationMutation:
    create_client_organisation = write_mutation(
        CreateClientOrganisationInput,
        ClientOrganisationPayload,
        new_row(service.create_client),
        description="Add a client organisation. Staff writers (admin, consultant).",
    )
    update_client_organisation = write_mutation(
        UpdateClientOrganisationInput,
        ClientOrganisationPayload,
        row_at_version(service.update_client, CLIENT_ROW),
        description="Change a client's fields. Staff writers.",
    )
    archive_client_organisation = write_mutation(
        ArchiveClientOrganisationInput,
        ClientOrganisationPayload,
        row_at_version(service.archive_client, CLIENT_ROW),
        description=(
            "Archive a client: hidden from lists unless includeArchived, still "
            "readable. Staff writers."
        ),
    )
