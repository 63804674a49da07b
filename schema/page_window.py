"""Which slice of a connection a request asks for: Relay's `first`/`after` and `last`/`before`.

`Window` is computed once from the four arguments, with the same validation on
both executors (schema/pagination.py and schema/compiled/connections.py): `first`
and `last` together are refused, each must be between 0 and MAX_PAGE_SIZE.
A forward window reads the `size` rows after `after` (and before `before`) in the
connection's order; a backward window (`last`) reads the `size` rows just before
`before` (or the end), by fetching in the reversed order and turning the page round.

`last` and `before` are added to every connection field by `BackwardPagination`
(attached in schema/__init__.py), so no resolver repeats them: the extension takes
them out of the resolver's arguments and hands them to the pagination helpers
through `requested_backward()`, which `page_window(first, after)` reads.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, TypeVar

from graphql import GraphQLError, GraphQLObjectType, GraphQLSchema, get_named_type
from strawberry.annotation import StrawberryAnnotation
from strawberry.extensions import FieldExtension
from strawberry.types.arguments import StrawberryArgument
from strawberry.types.field import StrawberryField
from strawberry.types.info import Info
from strawberry.types.unset import UNSET

from schema.limits import MAX_PAGE_SIZE

DEFAULT_PAGE_SIZE = 20
T = TypeVar("T")


def _error(message: str) -> GraphQLError:
    return GraphQLError(message)


def _size(name: str, value: int) -> int:
    if value < 0 or value > MAX_PAGE_SIZE:
        raise _error(f"`{name}` must be between 0 and {MAX_PAGE_SIZE}")
    return value


@dataclass(frozen=True, slots=True)
class Window:
    """A page request: `size` rows after `after` and before `before`, from the end if backward."""

    size: int
    after: str | None = None
    before: str | None = None
    backward: bool = False

    def page(self, rows: Sequence[T]) -> list[T]:
        """The page in the connection's order, from up to `size + 1` rows in fetch order."""
        page = list(rows[: self.size])
        return page[::-1] if self.backward else page

    def has_next(self, fetched: int) -> bool:
        # Relay: with `last`, hasNextPage says whether rows follow `before` (they do when
        # `before` is a row's cursor); with `first`, whether the extra row was there.
        return self.before is not None if self.backward else fetched > self.size

    def has_previous(self, fetched: int) -> bool:
        return fetched > self.size if self.backward else self.after is not None


def window(
    first: int | None, after: str | None, last: int | None = None, before: str | None = None
) -> Window:
    """The window of the four Relay arguments; a GraphQL error names the argument at fault."""
    if first is not None and last is not None:
        raise _error("`first` and `last` cannot be combined: page forward or backward")
    if last is not None:
        return Window(_size("last", last), after, before, backward=True)
    size = DEFAULT_PAGE_SIZE if first is None else _size("first", first)
    return Window(size, after, before)


_BACKWARD: ContextVar[tuple[int | None, str | None, bool]] = ContextVar(
    "steward_backward_page", default=(None, None, False)
)


def page_window(first: int | None, after: str | None) -> Window:
    """The window of the connection field being resolved (its `last`/`before` included)."""
    last, before, first_given = _BACKWARD.get()
    return window(first if (first_given or last is None) else None, after, last, before)


LAST = (
    "How many objects to return from the end of the list (or just before `before`), at most "
    f"{MAX_PAGE_SIZE}; not with `first`. Pages backward: `pageInfo.hasPreviousPage` says "
    "whether more objects come before this page."
)
AFTER = (
    "A cursor (`edges.cursor` or `pageInfo.endCursor` of this connection): only objects "
    "after it. Null: from the start of the list."
)
BEFORE = (
    "A cursor (`edges.cursor` or `pageInfo.startCursor` of this connection): only objects "
    "before it. Null: up to the end of the list."
)
FIRST = (
    f"How many objects to return from the start (or just after `after`), at most "
    f"{MAX_PAGE_SIZE}; {DEFAULT_PAGE_SIZE} when neither `first` nor `last` is given; "
    "not with `last`."
)


def _optional(annotation: Any, name: str, description: str) -> StrawberryArgument:
    return StrawberryArgument(
        python_name=name,
        graphql_name=None,
        type_annotation=StrawberryAnnotation(annotation),
        default=None,
        description=description,
    )


class BackwardPagination(FieldExtension):
    """Adds `last` and `before` to a connection field and passes them to its pagination helper."""

    def apply(self, field: StrawberryField) -> None:
        names = {a.python_name for a in field.arguments}
        if "last" in names:
            return
        for argument in field.arguments:
            if argument.python_name == "first":
                # No schema default: `last` alone must not read as `first: 20` and `last`.
                argument.default = UNSET
                argument.description = argument.description or FIRST
            if argument.python_name == "after":
                argument.description = argument.description or AFTER
        field.arguments.append(_optional(int | None, "last", LAST))
        field.arguments.append(_optional(str | None, "before", BEFORE))

    async def resolve_async(
        self,
        next_: Callable[..., Awaitable[Any]],
        source: Any,
        info: Info,
        **kwargs: Any,
    ) -> Any:
        last, before = kwargs.pop("last", None), kwargs.pop("before", None)
        first_given = kwargs.get("first") is not None
        token = _BACKWARD.set((last, before, first_given))
        try:
            return await next_(source, info, **kwargs)
        finally:
            _BACKWARD.reset(token)


def add_backward_pagination(schema: GraphQLSchema) -> bool:
    """Attach BackwardPagination to every connection field of `schema` that lacks it.

    Connection fields are found in the built schema (a field whose type has `edges` and
    `pageInfo`), so a new one gets `last`/`before` without anyone remembering to; the
    caller builds the schema again when this returns True (once per process: the
    field definitions keep the extension).
    """
    changed = False
    for gtype in schema.type_map.values():
        if not isinstance(gtype, GraphQLObjectType) or gtype.name.startswith("__"):
            continue
        for gfield in gtype.fields.values():
            named = get_named_type(gfield.type)
            is_connection = isinstance(named, GraphQLObjectType) and {"edges", "pageInfo"} <= set(
                named.fields
            )
            if not is_connection:
                continue
            definition = gfield.extensions.get("strawberry-definition")
            if definition is None or any(
                isinstance(e, BackwardPagination) for e in definition.extensions
            ):
                continue
            definition.extensions.append(BackwardPagination())
            changed = True
    return changed
