"""The Relay `Node` interface and `node(id:)` / `nodes(ids:)`.

Each node type registers how to load it; an id of another tenant, of an object
the principal may not see, of an unknown type or that is not an id at all
resolves to null, exactly like an id that does not exist.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated, Any, ClassVar, TypeVar, dataclass_transform

import strawberry
from strawberry.types.field import StrawberryField

from schema.audit.shape import register_audit_shape
from schema.common_fields import Stamp, append_stamps
from schema.context import Info
from schema.from_model import FromModel
from schema.ids import global_id, parse_global_id
from schema.loaders import by_id
from tenants.base import TenantBase


@strawberry.interface(description="An object with a globally unique, opaque id.")
class Node(FromModel):
    NODE_NAME: ClassVar[str]
    db_id: strawberry.Private[uuid.UUID]

    @strawberry.field(description="The opaque global id of this object.")
    def id(self) -> strawberry.ID:
        return strawberry.ID(global_id(self.NODE_NAME, self.db_id))


T = TypeVar("T")


@dataclass_transform(kw_only_default=True, field_specifiers=(StrawberryField, strawberry.field))
def node_type(
    name: str, description: str, *, stamps: tuple[Stamp, ...] = ()
) -> Callable[[type[T]], type[T]]:
    """`strawberry.type` of a `Node`: `name` is both its GraphQL name and its NODE_NAME
    (the type of its global ids), so the two cannot drift; `stamps` (e.g.
    `common_fields.CHANGED`) close its plain fields."""

    def wrap(cls: type[T]) -> type[T]:
        cls.NODE_NAME = name  # type: ignore[attr-defined]
        append_stamps(cls, stamps)
        return strawberry.type(name=name, description=description)(cls)

    return wrap


# Loads one object by id for `info`'s principal (None when missing or not visible).
NodeLoader = Callable[[Info, uuid.UUID], Awaitable[Any]]


@dataclass(frozen=True, slots=True)
class NodeKind:
    model: type[TenantBase]
    to_node: Callable[[Any], Node]
    # For a model `by_id` cannot read (e.g. `public.api_tokens`, whose digest column
    # the tenant role may not select): how to load it instead.
    load: NodeLoader | None = None
    # With `load`: the compiled read path's SQL for it, the object of an id as a
    # `schema.compiled.sql.Source` (visibility is applied to its model as usual).
    source: Callable[[uuid.UUID], Any] | None = None


NODE_KINDS: dict[str, NodeKind] = {}

N = TypeVar("N")
NodeT = TypeVar("NodeT", bound=Node)


def node_or_none(make: Callable[[Any], N], obj: Any | None) -> N | None:
    """`make(obj)` (a node type's `from_model`), or None for a missing or invisible object."""
    return None if obj is None else make(obj)


def register_node(
    cls: type[Any],
    model: type[Any],
    *,
    load: NodeLoader | None = None,
    source: Callable[[uuid.UUID], Any] | None = None,
) -> None:
    """Make `node(id:)` resolve `cls` (a Strawberry type with NODE_NAME and from_model),
    and the audit trail name `model`'s columns by `cls`'s fields."""
    NODE_KINDS[cls.NODE_NAME] = NodeKind(model, cls.from_model, load, source)
    register_audit_shape(cls, model, cls.NODE_NAME)


async def _load(info: Info, kind: NodeKind, db_id: uuid.UUID) -> Any:
    """The object of `kind` with that id (batched), or None: missing or not visible."""
    if kind.load is not None:
        return await kind.load(info, db_id)
    return await by_id(info, kind.model).load(db_id)


async def load_node(info: Info, cls: type[NodeT], db_id: uuid.UUID | None) -> NodeT | None:
    """The `cls` node of that id, or None: no id given, missing, or not visible."""
    if db_id is None:
        return None
    obj = await _load(info, NODE_KINDS[cls.NODE_NAME], db_id)
    return None if obj is None else cls.from_model(obj)


async def resolve_node(info: Info, value: str) -> Node | None:
    parsed = parse_global_id(value)
    if parsed is None:
        return None
    kind = NODE_KINDS.get(parsed[0])
    if kind is None:
        return None
    obj = await _load(info, kind, parsed[1])
    return None if obj is None else kind.to_node(obj)


@strawberry.type
class NodeQuery:
    @strawberry.field(
        description="Any object by its global id; null when not found or not visible."
    )
    async def node(
        self,
        info: Info,
        id: Annotated[
            strawberry.ID,
            strawberry.argument(description="A global id, as any object's `id` gives it."),
        ],
    ) -> Node | None:
        return await resolve_node(info, id)

    @strawberry.field(description="Objects by global id, in order; null for each one not found.")
    async def nodes(
        self,
        info: Info,
        ids: Annotated[
            list[strawberry.ID], strawberry.argument(description="Global ids, at most 100.")
        ],
    ) -> list[Node | None]:
        from schema.pagination import check_first

        check_first(len(ids))
        # gather, so the loaders batch every id of one type into one statement
        return list(await asyncio.gather(*(resolve_node(info, i) for i in ids)))
