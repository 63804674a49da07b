"""Create, update and archive client organisations."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import strawberry

from schema.clients.types import ClientOrganisationNode
from schema.context import Info
from schema.enums import ClientSize, EngagementStatus
from schema.errors import UserError
from schema.ids import decode_id
from schema.mutation_support import WRITE_INPUT, input_values, payload_of, run_write, updating
from tenants.services import clients as service


@strawberry.input(description="A new client organisation.")
class CreateClientOrganisationInput:
    name: str = strawberry.field(description="The organisation's name.")
    industry: str | None = strawberry.field(
        default=None, description="Its industry, free text; null: not stated."
    )
    size: ClientSize | None = strawberry.field(  # type: ignore[valid-type]
        default=None, description="Its size band; null: not stated."
    )
    region: str | None = strawberry.field(
        default=None, description="Where it operates, free text; null: not stated."
    )
    engagement_status: EngagementStatus | None = strawberry.field(  # type: ignore[valid-type]
        default=None, description="Where the engagement stands."
    )
    engagement_start: date | None = strawberry.field(
        default=None, description="When the engagement starts or started; null: not set."
    )
    engagement_end: date | None = strawberry.field(
        default=None, description="When the engagement ends or ended; null: open-ended."
    )
    lead_consultant: str | None = strawberry.field(
        default=None,
        description="The consultancy's lead for this client, free text; null: none named.",
    )


@strawberry.input(description="Omitted fields are unchanged; null clears an optional field.")
@updating(CreateClientOrganisationInput)
class UpdateClientOrganisationInput:
    id: strawberry.ID = strawberry.field(
        description="The global id of the ClientOrganisation to change."
    )
    version: int = strawberry.field(description="The version you last saw.")


@strawberry.input(
    description=(
        "Which client to archive; it stays readable, hidden from lists unless includeArchived."
    )
)
class ArchiveClientOrganisationInput:
    id: strawberry.ID = strawberry.field(
        description="The global id of the ClientOrganisation to archive."
    )
    version: int = strawberry.field(
        description="The version you last saw; a stale one is a CONFLICT."
    )


@strawberry.type(
    description=(
        "The result of createClientOrganisation, updateClientOrganisation, "
        "archiveClientOrganisation: the object written, or `errors`."
    )
)
class ClientOrganisationPayload:
    client_organisation: ClientOrganisationNode | None = strawberry.field(
        description="The ClientOrganisation as written; null when there are errors."
    )
    errors: list[UserError] = strawberry.field(
        description=(
            "What went wrong, each naming its input field; empty on success. With "
            "errors nothing was written."
        )
    )


_payload = payload_of(
    ClientOrganisationPayload, "client_organisation", ClientOrganisationNode.from_model
)


@strawberry.type
class ClientOrganisationMutation:
    @strawberry.mutation(
        description="Add a client organisation. Staff writers (admin, consultant)."
    )
    async def create_client_organisation(
        self, info: Info, input: Annotated[CreateClientOrganisationInput, WRITE_INPUT]
    ) -> ClientOrganisationPayload:
        return await run_write(
            info,
            _payload,
            lambda db, actor: service.create_client(db, actor=actor, **input_values(input)),
        )

    @strawberry.mutation(description="Change a client's fields. Staff writers.")
    async def update_client_organisation(
        self, info: Info, input: Annotated[UpdateClientOrganisationInput, WRITE_INPUT]
    ) -> ClientOrganisationPayload:
        return await run_write(
            info,
            _payload,
            lambda db, actor: service.update_client(
                db,
                actor=actor,
                client_id=decode_id(input.id, "ClientOrganisation", "id"),
                expected_version=input.version,
                **input_values(input),
            ),
        )

    @strawberry.mutation(
        description=(
            "Archive a client: hidden from lists unless includeArchived, still "
            "readable. Staff writers."
        )
    )
    async def archive_client_organisation(
        self, info: Info, input: Annotated[ArchiveClientOrganisationInput, WRITE_INPUT]
    ) -> ClientOrganisationPayload:
        return await run_write(
            info,
            _payload,
            lambda db, actor: service.archive_client(
                db,
                actor=actor,
                client_id=decode_id(input.id, "ClientOrganisation", "id"),
                expected_version=input.version,
            ),
        )
