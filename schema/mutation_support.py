"""The one shape of a mutation resolver, and GraphQL input conventions as service arguments.

A resolver is: run the write under `atomic` (a DomainError undoes it and becomes payload
errors), authorize by the mutation's own name first, call the service with the actor, and
wrap the object written in the payload. `run_write` is that shape; `payload_of` builds the
payload; `input_values` passes the fields the caller gave straight to the service, whose
`Changes` (tenants/services/changes.py) checks them; `updating` derives an entity's update
input from its create input, so its fields and their descriptions are written once.
"""

from __future__ import annotations

import dataclasses
import inspect
import uuid
from collections.abc import Awaitable, Callable, Iterable, Mapping
from typing import Any, TypeVar

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession

from schema.context import Info
from schema.errors import UserError, atomic
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

PayloadOf = Callable[[Any, list[UserError]], P]


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


def updating(
    create: type, *, exclude: Iterable[str] = (), described: Mapping[str, str] | None = None
) -> Callable[[C], C]:
    """Give an update input class every field of `create` (less `exclude`) after its own.

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
