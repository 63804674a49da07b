"""Create, update and archive client organisations."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import strawberry

from schema.clients.types import ClientOrganisationNode
from schema.context import Info
from schema.enums import ClientSize, EngagementStatus
from schema.errors import UserError, atomic
from schema.ids import decode_id
from schema.mutation_support import given, or_default, required
from schema.permissions import actor_of, authorize
from tenants import models as m
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
class UpdateClientOrganisationInput:
    id: strawberry.ID = strawberry.field(
        description="The global id of the ClientOrganisation to change."
    )
    version: int = strawberry.field(description="The version you last saw.")
    name: str | None = strawberry.field(
        default=strawberry.UNSET, description="The organisation's name."
    )
    industry: str | None = strawberry.field(
        default=strawberry.UNSET, description="Its industry, free text; null: not stated."
    )
    size: ClientSize | None = strawberry.field(  # type: ignore[valid-type]
        default=strawberry.UNSET, description="Its size band; null: not stated."
    )
    region: str | None = strawberry.field(
        default=strawberry.UNSET, description="Where it operates, free text; null: not stated."
    )
    engagement_status: EngagementStatus | None = strawberry.field(  # type: ignore[valid-type]
        default=strawberry.UNSET, description="Where the engagement stands."
    )
    engagement_start: date | None = strawberry.field(
        default=strawberry.UNSET,
        description="When the engagement starts or started; null: not set.",
    )
    engagement_end: date | None = strawberry.field(
        default=strawberry.UNSET, description="When the engagement ends or ended; null: open-ended."
    )
    lead_consultant: str | None = strawberry.field(
        default=strawberry.UNSET,
        description="The consultancy's lead for this client, free text; null: none named.",
    )


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


def _payload(
    obj: m.ClientOrganisation | None, errors: list[UserError]
) -> ClientOrganisationPayload:
    node = ClientOrganisationNode.from_model(obj) if obj is not None and not errors else None
    return ClientOrganisationPayload(client_organisation=node, errors=errors)


@strawberry.type
class ClientOrganisationMutation:
    @strawberry.mutation(
        description="Add a client organisation. Staff writers (admin, consultant)."
    )
    async def create_client_organisation(
        self,
        info: Info,
        input: Annotated[
            CreateClientOrganisationInput,
            strawberry.argument(
                description=(
                    "What to write; each error names its field within it (e.g. `name`, "
                    "`scores[0].score`)."
                )
            ),
        ],
    ) -> ClientOrganisationPayload:
        obj = None
        async with atomic(info) as outcome:
            await authorize(info)
            obj = await service.create_client(
                info.context.db,
                actor=actor_of(info.context.principal),
                name=input.name,
                industry=input.industry,
                size=input.size,
                region=input.region,
                engagement_status=or_default(input.engagement_status, m.EngagementStatus.PROSPECT),
                engagement_start=input.engagement_start,
                engagement_end=input.engagement_end,
                lead_consultant=input.lead_consultant,
            )
        return _payload(obj, outcome.errors)

    @strawberry.mutation(description="Change a client's fields. Staff writers.")
    async def update_client_organisation(
        self,
        info: Info,
        input: Annotated[
            UpdateClientOrganisationInput,
            strawberry.argument(
                description=(
                    "What to write; each error names its field within it (e.g. `name`, "
                    "`scores[0].score`)."
                )
            ),
        ],
    ) -> ClientOrganisationPayload:
        obj = None
        async with atomic(info) as outcome:
            await authorize(info)
            obj = await service.update_client(
                info.context.db,
                actor=actor_of(info.context.principal),
                client_id=decode_id(input.id, "ClientOrganisation", "id"),
                expected_version=input.version,
                name=required(input.name, "name"),
                industry=given(input.industry),
                size=given(input.size),
                region=given(input.region),
                engagement_status=required(input.engagement_status, "engagementStatus"),
                engagement_start=given(input.engagement_start),
                engagement_end=given(input.engagement_end),
                lead_consultant=given(input.lead_consultant),
            )
        return _payload(obj, outcome.errors)

    @strawberry.mutation(
        description=(
            "Archive a client: hidden from lists unless includeArchived, still "
            "readable. Staff writers."
        )
    )
    async def archive_client_organisation(
        self,
        info: Info,
        input: Annotated[
            ArchiveClientOrganisationInput,
            strawberry.argument(
                description=(
                    "What to write; each error names its field within it (e.g. `name`, "
                    "`scores[0].score`)."
                )
            ),
        ],
    ) -> ClientOrganisationPayload:
        obj = None
        async with atomic(info) as outcome:
            await authorize(info)
            obj = await service.archive_client(
                info.context.db,
                actor=actor_of(info.context.principal),
                client_id=decode_id(input.id, "ClientOrganisation", "id"),
                expected_version=input.version,
            )
        return _payload(obj, outcome.errors)
