"""Create, update and archive owners."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry

from schema.context import Info
from schema.enums import DecisionAuthority
from schema.errors import UserError, atomic
from schema.ids import decode_id
from schema.loaders import by_id
from schema.mutation_support import given, or_default, required
from schema.owners.types import OwnerNode
from schema.permissions import actor_of, authorize
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


async def _member(info: Info, value: str | None) -> Any:
    """The uuid of a Member of this tenant (omitted and null pass through)."""
    if value is None or value is strawberry.UNSET:
        return value
    member_id = decode_id(value, "Member", "memberId")
    if await by_id(info, Member).load(member_id) is None:
        raise not_found("memberId")
    return member_id


@strawberry.input(description="Omitted fields are unchanged; null clears an optional field.")
class UpdateOwnerInput:
    id: strawberry.ID = strawberry.field(description="The global id of the Owner to change.")
    version: int = strawberry.field(description="The version you last saw.")
    name: str | None = strawberry.field(default=strawberry.UNSET, description="The person's name.")
    email: str | None = strawberry.field(
        default=strawberry.UNSET, description="Their e-mail; null: not given."
    )
    title: str | None = strawberry.field(
        default=strawberry.UNSET, description="Their job title; null: not given."
    )
    business_unit: str | None = strawberry.field(
        default=strawberry.UNSET, description="Their business unit; null: not given."
    )
    decision_authority: DecisionAuthority | None = strawberry.field(  # type: ignore[valid-type]
        default=strawberry.UNSET, description="What they may decide about the processes they own."
    )
    member_id: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET, description="The global id of a Member."
    )


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


def _payload(obj: m.Owner | None, errors: list[UserError]) -> OwnerPayload:
    node = OwnerNode.from_model(obj) if obj is not None and not errors else None
    return OwnerPayload(owner=node, errors=errors)


@strawberry.type
class OwnerMutation:
    @strawberry.mutation(description="Add an owner to a client. Staff writers.")
    async def create_owner(
        self,
        info: Info,
        input: Annotated[
            CreateOwnerInput,
            strawberry.argument(
                description=(
                    "What to write; each error names its field within it (e.g. `name`, "
                    "`scores[0].score`)."
                )
            ),
        ],
    ) -> OwnerPayload:
        obj = None
        async with atomic(info) as outcome:
            await authorize(info)
            obj = await service.create_owner(
                info.context.db,
                actor=actor_of(info.context.principal),
                client_id=decode_id(
                    input.client_organisation_id, "ClientOrganisation", "clientOrganisationId"
                ),
                name=input.name,
                email=input.email,
                title=input.title,
                business_unit=input.business_unit,
                decision_authority=or_default(input.decision_authority, m.DecisionAuthority.NONE),
                member_id=await _member(info, input.member_id),
            )
        return _payload(obj, outcome.errors)

    @strawberry.mutation(description="Change an owner. Staff writers.")
    async def update_owner(
        self,
        info: Info,
        input: Annotated[
            UpdateOwnerInput,
            strawberry.argument(
                description=(
                    "What to write; each error names its field within it (e.g. `name`, "
                    "`scores[0].score`)."
                )
            ),
        ],
    ) -> OwnerPayload:
        obj = None
        async with atomic(info) as outcome:
            await authorize(info)
            obj = await service.update_owner(
                info.context.db,
                actor=actor_of(info.context.principal),
                owner_id=decode_id(input.id, "Owner", "id"),
                expected_version=input.version,
                name=required(input.name, "name"),
                email=given(input.email),
                title=given(input.title),
                business_unit=given(input.business_unit),
                decision_authority=required(input.decision_authority, "decisionAuthority"),
                member_id=given(await _member(info, input.member_id)),
            )
        return _payload(obj, outcome.errors)

    @strawberry.mutation(description="Archive an owner without open assignments. Staff writers.")
    async def archive_owner(
        self,
        info: Info,
        input: Annotated[
            ArchiveOwnerInput,
            strawberry.argument(
                description=(
                    "What to write; each error names its field within it (e.g. `name`, "
                    "`scores[0].score`)."
                )
            ),
        ],
    ) -> OwnerPayload:
        obj = None
        async with atomic(info) as outcome:
            await authorize(info)
            obj = await service.archive_owner(
                info.context.db,
                actor=actor_of(info.context.principal),
                owner_id=decode_id(input.id, "Owner", "id"),
                expected_version=input.version,
            )
        return _payload(obj, outcome.errors)
