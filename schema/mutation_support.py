"""The one shape of a mutation resolver, and GraphQL input conventions as service arguments.

A resolver is: run the write under `atomic` (a DomainError undoes it and becomes payload
errors), authorize by the mutation's own name first, call the service with the actor, and
wrap the object written in the payload. `run_write` is that shape and `write_mutation`
declares a mutation field resolved by it, so a mutation module states only its input,
payload and write (schema/row_writes.py makes the usual writes); `payload_of` builds the
payload (schema/payloads.py declares the payload types); `input_values` passes the fields
the caller gave straight to the service, whose `Changes` (tenants/services/changes.py)
checks them; `updating` derives an entity's update input from its create input, so its
fields and their descriptions are written once, and `row_input` gives an archive, restore
or delete input its `id` and `version`.
"""

from __future__ import annotations

import dataclasses
import inspect
import uuid
from collections.abc import Awaitable, Callable, Iterable, Mapping
from enum import Enum
from typing import Annotated, Any, TypeVar

import strawberry
from arq.connections import ArqRedis
from sqlalchemy.ext.asyncio import AsyncSession

from schema.context import Info
from schema.errors import UserError, atomic
from schema.input_fields import omittable
from schema.permissions import actor_of, authorize
from tenants.services.audit import Actor

P = TypeVar("P")
C = TypeVar("C", bound=type)

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
# A mutation's write, given the request, its input, the tenant session and the actor
# (schema/row_writes.py makes the usual ones).
WriteFn = Callable[[Info, Any, AsyncSession, Actor], Awaitable[P]]


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
    process_of: Callable[[AsyncSession], Awaitable[uuid.UUID | None]] | None = None,
    client_of: Callable[[], uuid.UUID | None] | None = None,
) -> P:
    """Authorize the mutation being resolved, run `write(db, actor)` atomically, wrap the result.

    `process_of` finds the process the write is scoped to (the one an input id names, or
    the process of the row it names); it runs inside `atomic`, before authorizing, so a
    bad id is a payload error like any other. `client_of` likewise finds the client the
    write is scoped to from the input (decoding its id).
    """
    obj = None
    async with atomic(info) as outcome:
        process_id = None if process_of is None else await process_of(info.context.db)
        client_id = None if client_of is None else client_of()
        await authorize(info, process_id=process_id, client_id=client_id)
        obj = await write(info.context.db, actor_of(info.context.principal))
    return payload(obj, outcome.errors)


def write_mutation(
    input_type: type,
    payload: type,
    write: WriteFn[Any],
    *,
    description: str,
    answer: Callable[[Info, Any], PayloadOf[Any]] | None = None,
    process_of: Callable[[AsyncSession, Any], Awaitable[uuid.UUID | None]] | None = None,
    client_of: Callable[[Any], uuid.UUID | None] | None = None,
    argument: Any = WRITE_INPUT,
    name: str | None = None,
) -> Any:
    """A mutation field taking `input: input_type` and answering `payload`, by `run_write`.

    `write` does the write; `answer(info, input)` builds the payload when `payload.of`
    (schema/payloads.py) does not; `process_of` and `client_of` are `run_write`'s, given
    the input. The resolver's annotations are the types themselves, which Strawberry reads
    as a resolver declared in the mutation's module would give them.
    """

    async def resolve(info: Info, input: Any) -> Any:
        return await run_write(
            info,
            payload.of if answer is None else answer(info, input),  # type: ignore[attr-defined]
            lambda db, actor: write(info, input, db, actor),
            process_of=None if process_of is None else lambda db: process_of(db, input),
            client_of=None if client_of is None else lambda: client_of(input),
        )

    resolve.__annotations__ = {
        "info": Info,
        "input": Annotated[input_type, argument],
        "return": payload,
    }
    return strawberry.mutation(resolver=resolve, description=description, name=name)


def enqueued_after_commit(
    payload: PayloadOf[P], job: Callable[[ArqRedis, str, uuid.UUID], Awaitable[Any]]
) -> Callable[[Info, Any], PayloadOf[P]]:
    """A `write_mutation` answer: `payload`, and once the request commits, `job(redis,
    tenant slug, id written)`.

    A write rolled back enqueues nothing; with no Redis the row stays queued for the
    worker's sweeper, which enqueues what is left queued.
    """

    def answer(info: Info, input: Any) -> PayloadOf[P]:
        def build(obj: Any, errors: list[UserError]) -> P:
            if obj is not None and not errors:
                redis, principal, written_id = info.context.redis, info.context.principal, obj.id

                async def enqueue() -> None:
                    if redis is not None:
                        await job(redis, principal.tenant.slug, written_id)

                info.context.after_commit.append(enqueue)
            return payload(obj, errors)

        return build

    return answer


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
            setattr(cls, name, omittable(descriptions[name]))
        cls.__annotations__ = annotations
        return cls

    return decorate
