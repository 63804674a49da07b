"""Create, update and archive owners."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import Annotated, Any

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession

from schema.context import Info
from schema.enums import DecisionAuthority
from schema.ids import decode_id
from schema.loaders import by_id
from schema.mutation_support import (
    OF_CLIENT,
    WRITE_INPUT,
    Ref,
    new_row,
    row_at_version,
    row_input,
    run_write,
    updating,
)
from schema.owners.types import OwnerNode
from schema.payloads import Payload, written_payload
from tenants import models as m
from tenants.errors import not_found
from tenants.models.identity import Member
from tenants.services import owners as service


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


def _member_id(value: strawberry.ID) -> uuid.UUID:
    return decode_id(value, "Member", "memberId")


# An owner input names its login by global id; the service takes its UUID.
_CONVERT = {"member_id": _member_id}


def _member_checked(
    info: Info, call: Callable[..., Awaitable[m.Owner]]
) -> Callable[..., Awaitable[m.Owner]]:
    """`call`, once a member id it is given is known as a Member of this tenant (a loader
    call, so not an `input_values` conversion)."""

    async def checked(db: AsyncSession, **arguments: Any) -> m.Owner:
        member_id = arguments.get("member_id")
        if member_id is not None and await by_id(info, Member).load(member_id) is None:
            raise not_found("memberId")
        return await call(db, **arguments)

    return checked


@strawberry.input(description="Omitted fields are unchanged; null clears an optional field.")
@updating(
    CreateOwnerInput,
    "Owner",
    exclude=["client_organisation_id"],
    described={
        "email": "Their e-mail; null: not given.",
        "decision_authority": "What they may decide about the processes they own.",
        "member_id": "The global id of a Member.",
    },
)
class UpdateOwnerInput:
    pass


@strawberry.input(description="An owner holding an open assignment cannot be archived.")
@row_input("Owner", "archive")
class ArchiveOwnerInput:
    pass


@written_payload("owner", OwnerNode, "createOwner", "updateOwner", "archiveOwner")
class OwnerPayload(Payload):
    pass


# The owner an owner input's `id` names (restoreOwner too).
OWNER_ROW = Ref("Owner", "owner_id")


@strawberry.type
class OwnerMutation:
    @strawberry.mutation(description="Add an owner to a client. Staff writers.")
    async def create_owner(
        self, info: Info, input: Annotated[CreateOwnerInput, WRITE_INPUT]
    ) -> OwnerPayload:
        create = _member_checked(info, service.create_owner)
        return await run_write(
            info, OwnerPayload.of, new_row(create, input, OF_CLIENT, convert=_CONVERT)
        )

    @strawberry.mutation(description="Change an owner. Staff writers.")
    async def update_owner(
        self, info: Info, input: Annotated[UpdateOwnerInput, WRITE_INPUT]
    ) -> OwnerPayload:
        update = _member_checked(info, service.update_owner)
        return await run_write(
            info, OwnerPayload.of, row_at_version(update, input, OWNER_ROW, convert=_CONVERT)
        )

    @strawberry.mutation(description="Archive an owner without open assignments. Staff writers.")
    async def archive_owner(
        self, info: Info, input: Annotated[ArchiveOwnerInput, WRITE_INPUT]
    ) -> OwnerPayload:
        return await run_write(
            info, OwnerPayload.of, row_at_version(service.archive_owner, input, OWNER_ROW)
        )
