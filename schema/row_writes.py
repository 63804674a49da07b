"""The writes most mutations make: a service call built from the input, by its ids.

A create calls the service beneath the rows its input's ids name (a process of a client, a
KPI of a process); a change (update, archive, restore, delete) calls it on the row the
input's `id` names, at the `version` the caller last saw, which the service refuses as a
CONFLICT when stale; a tenant's settings are configured whole at their version. Each
passes the other fields the caller gave by `input_values`.
A `Ref` says which GraphQL type an id must be of and which service keyword takes it.
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.utils.str_converters import to_camel_case

from schema.context import Info
from schema.ids import decode_id, parse_global_id
from schema.mutation_support import WriteFn, input_values
from tenants.services.audit import Actor

T = TypeVar("T")
# A service function, called as `call(db, actor=..., **arguments)`.
ServiceCall = Callable[..., Awaitable[T]]
Convert = Mapping[str, Callable[[Any], Any]]


@dataclasses.dataclass(frozen=True)
class Ref:
    """A global id in a mutation input, and the service keyword its UUID is passed as.

    `field` is the input's Python name; a wrong id is a VALIDATION error naming it as the
    API does (`clientOrganisationId`).
    """

    type_name: str
    argument: str
    field: str = "id"

    def decode(self, input: object) -> uuid.UUID:
        return decode_id(getattr(input, self.field), self.type_name, to_camel_case(self.field))

    def named(self, input: object) -> uuid.UUID | None:
        """The UUID, or None for a malformed id or one of another type: authorizing reads an
        id before the write decodes it, and must not answer first with its VALIDATION error
        (the write reports it, after authorization)."""
        parsed = parse_global_id(getattr(input, self.field))
        return parsed[1] if parsed is not None and parsed[0] == self.type_name else None


# The parents most create inputs name: the client (`clientOrganisationId`), the process.
OF_CLIENT = Ref("ClientOrganisation", "client_id", "client_organisation_id")
OF_PROCESS = Ref("AIProcess", "process_id", "process_id")


ScopeOf = Callable[[AsyncSession, Any], Awaitable[uuid.UUID | None]]


def named_process(ref: Ref) -> ScopeOf:
    """`write_mutation(process_of=)` for a write beneath the process its input names."""

    async def process_of(db: AsyncSession, input: Any) -> uuid.UUID | None:
        return ref.named(input)

    return process_of


def process_of_row(model: Any, row: Ref) -> ScopeOf:
    """`write_mutation(process_of=)` for a change of a row of `model` (which has a
    `process_id`): the process of the row the input's id names; None for an id that names
    nothing, which authorizes as no process."""

    async def process_of(db: AsyncSession, input: Any) -> uuid.UUID | None:
        row_id = row.named(input)
        if row_id is None:
            return None
        process_id: uuid.UUID | None = await db.scalar(
            select(model.process_id).where(model.id == row_id)
        )
        return process_id

    return process_of


def new_row(call: ServiceCall[T], *refs: Ref, convert: Convert | None = None) -> WriteFn[T]:
    """The write `call(db, actor=, <ref.argument>=<its UUID>..., <the other fields given>)`.

    The ids are decoded in order before the other fields are converted, so a bad id is
    the first error.
    """

    async def write(info: Info, input: Any, db: AsyncSession, actor: Actor) -> T:
        ids = {ref.argument: ref.decode(input) for ref in refs}
        values = input_values(input, skip=[ref.field for ref in refs], convert=convert)
        return await call(db, actor=actor, **ids, **values)

    return write


def row_at_version(call: ServiceCall[T], row: Ref, *, convert: Convert | None = None) -> WriteFn[T]:
    """The write `call(db, actor=, <row.argument>=<its UUID>, expected_version=, <the rest>)`.

    An archive or restore input has no other fields, so it passes none. The input is typed
    loosely: `row_input` and `updating` declare its `id` and `version` unseen by mypy.
    """

    async def write(info: Info, input: Any, db: AsyncSession, actor: Actor) -> T:
        row_id = row.decode(input)
        values = input_values(input, skip=(row.field, "version"), convert=convert)
        return await call(
            db, actor=actor, **{row.argument: row_id}, expected_version=input.version, **values
        )

    return write


def removed_row(call: ServiceCall[Any], row: Ref) -> WriteFn[Any]:
    """`row_at_version` for a delete, whose payload answers with the id the input gave."""
    delete = row_at_version(call, row)

    async def write(info: Info, input: Any, db: AsyncSession, actor: Actor) -> Any:
        await delete(info, input, db, actor)
        return getattr(input, row.field)

    return write


def tenant_settings(
    call: ServiceCall[T], *, convert: Convert | None = None, sealing: bool = False
) -> WriteFn[T]:
    """The write `call(db, actor=, expected_version=, <the fields given>)`.

    The tenant's one row of some settings (report branding, the report schedule), given
    whole at the `version` the caller last saw, null the first time. `sealing`: the service
    also takes the request's box, to encrypt the write-only fields.
    """

    async def write(info: Info, input: Any, db: AsyncSession, actor: Actor) -> T:
        sealed = {"box": info.context.request.state.auth.box} if sealing else {}
        values = input_values(input, skip=("version",), convert=convert)
        return await call(db, actor=actor, expected_version=input.version, **sealed, **values)

    return write
