"""Create, update and archive owners."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession

from schema.context import Info
from schema.enums import DecisionAuthority
from schema.ids import decode_id
from schema.input_fields import global_id_of, optional
from schema.loaders import by_id
from schema.mutation_support import row_input, updating, write_mutation
from schema.owners.types import OwnerNode
from schema.payloads import Payload, written_payload
from schema.row_writes import OF_CLIENT, Ref, new_row, row_at_version
from tenants import models as m
from tenants.errors import not_found
from tenants.models.identity import Member
from tenants.services import owners as service
from tenants.services.audit import Actor


@strawberry.input(description="A new owner (a person at the client).")
class CreateOwnerInput:
    client_organisation_id: strawberry.ID = global_id_of("ClientOrganisation")
    name: str = strawberry.field(description="The person's name.")
    email: str | None = optional("Unique among the client's live owners.")
    title: str | None = optional("Their job title; null: not given.")
    business_unit: str | None = optional("Their business unit; null: not given.")
    decision_authority: DecisionAuthority | None = optional("Default NONE.")  # type: ignore[valid-type]
    member_id: strawberry.ID | None = optional("The Member (login) this person signs in as.")


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


# The owner writes that take a member id check it with the request's loader, so their
# service call is made per request.
async def _create(info: Info, input: CreateOwnerInput, db: AsyncSession, actor: Actor) -> m.Owner:
    create = _member_checked(info, service.create_owner)
    return await new_row(create, OF_CLIENT, convert=_CONVERT)(info, input, db, actor)


async def _update(info: Info, input: UpdateOwnerInput, db: AsyncSession, actor: Actor) -> m.Owner:
    update = _member_checked(info, service.update_owner)
    return await row_at_version(update, OWNER_ROW, convert=_CONVERT)(info, input, db, actor)


@strawberry.type
class OwnerMutation:
    create_owner = write_mutation(
        CreateOwnerInput,
        OwnerPayload,
        _create,
        description="Add an owner to a client. Staff writers.",
    )
    update_owner = write_mutation(
        UpdateOwnerInput, OwnerPayload, _update, description="Change an owner. Staff writers."
    )
    archive_owner = write_mutation(
        ArchiveOwnerInput,
        OwnerPayload,
        row_at_version(service.archive_owner, OWNER_ROW),
        description="Archive an owner without open assignments. Staff writers.",
    )
