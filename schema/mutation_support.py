"""The one shape of a mutation resolver, and GraphQL input conventions as service arguments.

A resolver is: run the write under `atomic` (a DomainError undoes it and becomes payload
errors), authorize by the mutation's own name first, call the service with the actor, and
wrap the object written in the payload. `run_write` is that shape; `payload_of` builds the
payload (schema/payloads.py declares the payload types); `input_values` passes the fields
the caller gave straight to the service, whose `Changes` (tenants/services/changes.py)
checks them; `updating` derives an entity's update input from its create input, so its
fields and their descriptions are written once, and `row_input` gives an archive, restore
or delete input its `id` and `version`.

Most writes are one of two calls of a service, which `new_row` and `row_at_version` make
from the input: a create beneath the rows its ids name, or a change to the row its `id`
names at the version the caller last saw. `Ref` says which service keyword takes each id.
"""

from __future__ import annotations

import dataclasses
import inspect
import uuid
from collections.abc import Awaitable, Callable, Iterable, Mapping
from enum import Enum
from typing import Any, TypeVar

import strawberry
from arq.connections import ArqRedis
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.utils.str_converters import to_camel_case

from schema.context import Info
from schema.errors import UserError, atomic
from schema.ids import decode_id
from schema.permissions import actor_of, authorize
from tenants.services.audit import Actor

P = TypeVar("P")
C = TypeVar("C", bound=type)
T = TypeVar("T")

# The `input` argument of every mutation.
WRITE_INPUT = strawberry.argument(
    description=(
        "What to write; each error names its field within it (e.g. `name`, `scores[0].score`)."
    )
)
# Fields of an update input that select and guard the row rather than change it.
ROW_FIELDS = ("id", "version")

# The version field's words: an update input's, and a row input's (archive, restore, delete).
SEEN = "The version you last saw."
STALE = "The version you last saw; a stale one is a CONFLICT."

PayloadOf = Callable[[Any, list[UserError]], P]
# What `run_write` runs: the write itself, given the tenant session and the actor.
Write = Callable[[AsyncSession, Actor], Awaitable[T]]


def payload_of(payload: Callable[..., P], field: str, node: Callable[[Any], Any]) -> PayloadOf[P]:
    """Build `payload(<field>=node(obj), errors=...)`; the object is null when there are errors."""

    def build(obj: Any, errors: list[UserError]) -> P:
        written = node(obj) if obj is not None and not errors else None
        return payload(**{field: written, "errors": errors})

    return build


async def run_write(
    info: Info,
    payload: PayloadOf[P],
    write: Callable[[AsyncSession, Actor], Awaitable[Any]],
    *,
    process_id: uuid.UUID | None = None,
    client_id: uuid.UUID | None = None,
    process_of: Callable[[AsyncSession], Awaitable[uuid.UUID | None]] | None = None,
    client_of: Callable[[], uuid.UUID | None] | None = None,
) -> P:
    """Authorize the mutation being resolved, run `write(db, actor)` atomically, wrap the result.

    `process_of` finds the process the write is scoped to when that takes the database (the
    process of the row an input id names); it runs inside `atomic`, before authorizing, so a
    bad id is a payload error like any other. `client_of` likewise finds the client the write
    is scoped to from the input (decoding its id).
    """
    obj = None
    async with atomic(info) as outcome:
        if process_of is not None:
            process_id = await process_of(info.context.db)
        if client_of is not None:
            client_id = client_of()
        await authorize(info, process_id=process_id, client_id=client_id)
        obj = await write(info.context.db, actor_of(info.context.principal))
    return payload(obj, outcome.errors)


def enqueued_after_commit(
    info: Info,
    payload: PayloadOf[P],
    job: Callable[[ArqRedis, str, uuid.UUID], Awaitable[Any]],
) -> PayloadOf[P]:
    """`payload`, and once the request commits, `job(redis, tenant slug, id written)`.

    A write rolled back enqueues nothing; with no Redis the row stays queued for the
    worker's sweeper, which enqueues what is left queued.
    """

    def build(obj: Any, errors: list[UserError]) -> P:
        if obj is not None and not errors:
            redis, tenant, written_id = info.context.redis, info.context.principal.tenant, obj.id

            async def enqueue() -> None:
                if redis is not None:
                    await job(redis, tenant.slug, written_id)

            info.context.after_commit.append(enqueue)
        return payload(obj, errors)

    return build


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


# The parents most create inputs name: the client (`clientOrganisationId`), the process.
OF_CLIENT = Ref("ClientOrganisation", "client_id", "client_organisation_id")
OF_PROCESS = Ref("AIProcess", "process_id", "process_id")


def new_row(
    call: Callable[..., Awaitable[T]],
    input: object,
    *refs: Ref,
    convert: Mapping[str, Callable[[Any], Any]] | None = None,
) -> Write[T]:
    """The write `call(db, actor=, <ref.argument>=<its UUID>..., <the other fields given>)`.

    A create, beneath the rows its refs name (a process of a client, a KPI of a process);
    the ids are decoded in order before the other fields are converted, so a bad id is the
    first error.
    """

    async def write(db: AsyncSession, actor: Actor) -> T:
        ids = {ref.argument: ref.decode(input) for ref in refs}
        values = input_values(input, skip=[ref.field for ref in refs], convert=convert)
        return await call(db, actor=actor, **ids, **values)

    return write


def row_at_version(
    call: Callable[..., Awaitable[T]],
    input: Any,
    row: Ref,
    *,
    convert: Mapping[str, Callable[[Any], Any]] | None = None,
) -> Write[T]:
    """The write `call(db, actor=, <row.argument>=<its UUID>, expected_version=, <the rest>)`.

    A change (update, archive, restore, delete) to the row the input names, refused by the
    service as a CONFLICT when the input's `version` is stale. An archive input has no
    other fields, so it passes none. `input` is typed loosely: `row_input` and `updating`
    declare its `id` and `version` where a type checker does not see them.
    """

    async def write(db: AsyncSession, actor: Actor) -> T:
        row_id = row.decode(input)
        values = input_values(input, skip=(row.field, "version"), convert=convert)
        return await call(
            db,
            actor=actor,
            **{row.argument: row_id},
            expected_version=input.version,
            **values,
        )

    return write


def removed_row(call: Callable[..., Awaitable[Any]], input: object, row: Ref) -> Write[Any]:
    """`row_at_version` for a delete, whose payload answers with the id the input gave."""
    delete = row_at_version(call, input, row)

    async def write(db: AsyncSession, actor: Actor) -> Any:
        await delete(db, actor)
        return getattr(input, row.field)

    return write


def stored_value(choice: Enum) -> Any:
    """An `input_values` conversion: the service takes an enum input's stored value."""
    return choice.value


def input_values(
    input: object,
    *,
    skip: Iterable[str] = ROW_FIELDS,
    convert: Mapping[str, Callable[[Any], Any]] | None = None,
) -> dict[str, Any]:
    """The input's fields the caller gave (omitted ones are left out), by Python name.

    `convert` turns a field's API value into the service's (a global id into a UUID, a nested
    input into a domain value); a null is passed on as null for the service to judge.
    """
    convert = convert or {}
    skipped = set(skip)
    values: dict[str, Any] = {}
    for f in dataclasses.fields(input):  # type: ignore[arg-type]
        value = getattr(input, f.name)
        if f.name in skipped or value is strawberry.UNSET:
            continue
        values[f.name] = (
            convert[f.name](value) if f.name in convert and value is not None else value
        )
    return values


def row_input(
    type_name: str, verb: str, *, id: str | None = None, version: str = STALE
) -> Callable[[C], C]:
    """Put `id` and `version` before the input class's own fields: the row a write changes.

    `id` is described as the global id of the `type_name` to `verb` unless `id` words it.
    Apply it below `@strawberry.input`.
    """

    def decorate(cls: C) -> C:
        own = dict(inspect.get_annotations(cls))
        cls.__annotations__ = {"id": strawberry.ID, "version": int, **own}
        described = {"id": id or f"The global id of the {type_name} to {verb}.", "version": version}
        for name, text in described.items():
            setattr(cls, name, strawberry.field(description=text))
        return cls

    return decorate


def updating(
    create: type,
    type_name: str,
    *,
    exclude: Iterable[str] = (),
    described: Mapping[str, str] | None = None,
) -> Callable[[C], C]:
    """Make an update input: `id` and `version` (`row_input`), then the fields of `create`.

    Every field of `create` (less `exclude`) follows the class's own.
    Each becomes optional with `UNSET` as its default (omitted: unchanged; null: cleared, or a
    VALIDATION error for a field that may not be null), keeping the create field's description
    unless `described` gives the update its own (a create description that states a create
    default, say). Declaring the field in the class instead would move it up in the SDL.
    Apply it below `@strawberry.input`. Resolvers read these fields with `input_values`.
    """
    excluded = set(exclude)
    descriptions = {
        f.python_name: f.description
        for f in create.__strawberry_definition__.fields  # type: ignore[attr-defined]
    }
    unknown = set(described or {}) - set(descriptions)
    if unknown:
        raise TypeError(f"updating({create.__name__}): no field {sorted(unknown)}")
    descriptions |= described or {}

    def decorate(cls: C) -> C:
        cls = row_input(type_name, "change", version=SEEN)(cls)
        annotations = dict(inspect.get_annotations(cls))
        for name, annotation in create.__annotations__.items():
            if name in excluded or name in annotations:
                continue
            text = annotation if isinstance(annotation, str) else annotation.__name__
            annotations[name] = text if text.endswith("| None") else f"{text} | None"
            setattr(
                cls,
                name,
                strawberry.field(default=strawberry.UNSET, description=descriptions[name]),
            )
        cls.__annotations__ = annotations
        return cls

    return decorate
