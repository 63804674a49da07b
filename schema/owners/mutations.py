"""Create, update and archive owners."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated, Any

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession

from schema.context import Info
from schema.enums import DecisionAuthority
from schema.errors import UserError
from schema.ids import decode_id
from schema.loaders import by_id
from schema.mutation_support import (
    ROW_FIELDS,
    WRITE_INPUT,
    input_values,
    payload_of,
    run_write,
    updating,
)
from schema.owners.types import OwnerNode
from tenants import models as m
from tenants.errors import not_found
from tenants.models.identity import Member
from tenants.services import owners as service
from tenants.services.audit import Actor


@strawberry.input(description="A new owner (a person at the client).")
class CreateOwnerInput:
    client_organisation_id: strawberry.ID = strawberry.field(
        description="The global id of a ClientOrganisation."
    )
    name: str = strawberry.field(description="The person's name.")
    email: str | None = strawberry.field(
        default=None, description="Unique among the client's live owners."
    )
    title: str | None = strawberry.field(
        default=None, description="Their job title; null: not given."
    )
    business_unit: str | None = strawberry.field(
        default=None, description="Their business unit; null: not given."
    )
    decision_authority: DecisionAuthority | None = strawberry.field(  # type: ignore[valid-type]
        default=None, description="Default NONE."
    )
    member_id: strawberry.ID | None = strawberry.field(
        default=None, description="The Member (login) this person signs in as."
    )


async def _member(info: Info, value: str) -> Any:
    """The uuid of a Member of this tenant."""
    member_id = decode_id(value, "Member", "memberId")
    if await by_id(info, Member).load(member_id) is None:
        raise not_found("memberId")
    return member_id


async def _owner_values(info: Info, input: object, *, skip: Iterable[str]) -> dict[str, Any]:
    """The owner fields given, by Python name, with a member id checked against the tenant
    (a loader call, so not an `input_values` conversion)."""
    values = input_values(input, skip=skip)
    if values.get("member_id") is not None:
        values["member_id"] = await _member(info, values["member_id"])
    return values


@strawberry.input(description="Omitted fields are unchanged; null clears an optional field.")
@updating(
    CreateOwnerInput,
    exclude=["client_organisation_id"],
    described={
        "email": "Their e-mail; null: not given.",
        "decision_authority": "What they may decide about the processes they own.",
        "member_id": "The global id of a Member.",
    },
)
class UpdateOwnerInput:
    id: strawberry.ID = strawberry.field(description="The global id of the Owner to change.")
    version: int = strawberry.field(description="The version you last saw.")


@strawberry.input(description="An owner holding an open assignment cannot be archived.")
class ArchiveOwnerInput:
    id: strawberry.ID = strawberry.field(description="The global id of the Owner to archive.")
    version: int = strawberry.field(
        description="The version you last saw; a stale one is a CONFLICT."
    )


@strawberry.type(
    description=(
        "The result of createOwner, updateOwner, archiveOwner: the object written, or `errors`."
    )
)
class OwnerPayload:
    owner: OwnerNode | None = strawberry.field(
        description="The Owner as written; null when there are errors."
    )
    errors: list[UserError] = strawberry.field(
        description=(
            "What went wrong, each naming its input field; empty on success. With "
            "errors nothing was written."
        )
    )


_payload = payload_of(OwnerPayload, "owner", OwnerNode.from_model)


@strawberry.type
class OwnerMutation:
    @strawberry.mutation(description="Add an owner to a client. Staff writers.")
    async def create_owner(
        self, info: Info, input: Annotated[CreateOwnerInput, WRITE_INPUT]
    ) -> OwnerPayload:
        async def write(db: AsyncSession, actor: Actor) -> m.Owner:
            client_id = decode_id(
                input.client_organisation_id, "ClientOrganisation", "clientOrganisationId"
            )
            values = await _owner_values(info, input, skip=["client_organisation_id"])
            return await service.create_owner(db, actor=actor, client_id=client_id, **values)

        return await run_write(info, _payload, write)

    @strawberry.mutation(description="Change an owner. Staff writers.")
    async def update_owner(
        self, info: Info, input: Annotated[UpdateOwnerInput, WRITE_INPUT]
    ) -> OwnerPayload:
        async def write(db: AsyncSession, actor: Actor) -> m.Owner:
            owner_id = decode_id(input.id, "Owner", "id")
            values = await _owner_values(info, input, skip=ROW_FIELDS)
            return await service.update_owner(
                db, actor=actor, owner_id=owner_id, expected_version=input.version, **values
            )

        return await run_write(info, _payload, write)

    @strawberry.mutation(description="Archive an owner without open assignments. Staff writers.")
    async def archive_owner(
        self, info: Info, input: Annotated[ArchiveOwnerInput, WRITE_INPUT]
    ) -> OwnerPayload:
        return await run_write(
            info,
            _payload,
            lambda db, actor: service.archive_owner(
                db,
                actor=actor,
                owner_id=decode_id(input.id, "Owner", "id"),
                expected_version=input.version,
            ),
        )
