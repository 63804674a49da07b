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


@strawberry.input
class CreateClientOrganisationInput:
    name: str
    industry: str | None = None
    size: ClientSize | None = None  # type: ignore[valid-type]
    region: str | None = None
    engagement_status: EngagementStatus | None = None  # type: ignore[valid-type]
    engagement_start: date | None = None
    engagement_end: date | None = None
    lead_consultant: str | None = None


@strawberry.input(description="Omitted fields are unchanged; null clears an optional field.")
class UpdateClientOrganisationInput:
    id: strawberry.ID = strawberry.field(
        description="The global id of the ClientOrganisation to change."
    )
    version: int = strawberry.field(description="The version you last saw.")
    name: str | None = strawberry.UNSET
    industry: str | None = strawberry.UNSET
    size: ClientSize | None = strawberry.UNSET  # type: ignore[valid-type]
    region: str | None = strawberry.UNSET
    engagement_status: EngagementStatus | None = strawberry.UNSET  # type: ignore[valid-type]
    engagement_start: date | None = strawberry.UNSET
    engagement_end: date | None = strawberry.UNSET
    lead_consultant: str | None = strawberry.UNSET


@strawberry.input
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
    @strawberry.mutation
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

    @strawberry.mutation
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

    @strawberry.mutation
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
