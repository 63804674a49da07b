"""A list of nodes declared once for both read paths.

Every `children(first, after, <argument>)` connection of a node, and every root list,
is the same pair: the compiled path's `Page` (schema/compiled) and the ordinary
executor's `child_connection` (batched across parents) or `paginate` (a root list), over
one table, one foreign key, one filter and one order. A `NodeList` holds those once, so
the two paths cannot disagree about any of them.

It names its node type as `link` does ("module:ClassName"), imported on first use, so a
list can be declared next to its filter and read by the type module that shows it,
which the node's own module often imports.
"""

from __future__ import annotations

import importlib
import uuid
from collections.abc import Awaitable, Callable, Hashable, Sequence
from dataclasses import dataclass
from functools import cache
from inspect import Parameter, Signature
from typing import Annotated, Any

import strawberry
from sqlalchemy.orm import InstrumentedAttribute
from strawberry.types.lazy_type import LazyType

from schema.compiled.sql import Args, Page, sql
from schema.context import Info
from schema.pagination import After, Connection, First, Ordering, child_connection, paginate

# The list's argument (a filter input, a status list, ...) -> SQL conditions, and a
# hashable key that identifies them, so siblings asking alike share one statement.
Conditions = Callable[[Any], tuple[Sequence[Any], Hashable]]


def unfiltered(_: Any) -> tuple[Sequence[Any], Hashable]:
    return (), None


def unkeyed(where: Callable[[Any], Sequence[Any]]) -> Conditions:
    """`where` as `Conditions`, for a root list: one statement per list, no batching key."""
    return lambda argument: (where(argument), None)


@dataclass(frozen=True, slots=True)
class ListArgument:
    """A list's argument besides `first` and `after` (a filter, an order): its type, which
    may be a `LazyType`, and its description. Null by default, as every such argument is."""

    annotation: Any
    description: str

    def parameter(self, name: str) -> Parameter:
        # A type built at run time, which a static checker cannot follow.
        argument = strawberry.argument(description=self.description)
        described = Annotated[self.annotation, argument]  # type: ignore[name-defined]
        return Parameter(name, Parameter.KEYWORD_ONLY, default=None, annotation=described)


def lazy(target: str) -> LazyType[Any, Any]:
    """The type "module:ClassName", imported when the schema is built."""
    module, name = target.split(":")
    return LazyType(name, module)


@cache
def _from_model(node: str) -> Callable[[Any], Any]:
    module, name = node.split(":")
    from_model: Callable[[Any], Any] = getattr(importlib.import_module(module), name).from_model
    return from_model


@dataclass(frozen=True)
class NodeList:
    """The visible rows of `model`: those whose `parent` column holds the parent object's
    id, or with `parent` None a root list of the whole tenant."""

    model: type[Any]
    parent: InstrumentedAttribute[Any] | None
    ordering: Ordering
    # The node type of a row, "module:ClassName".
    node: str
    conditions: Conditions = unfiltered
    # The GraphQL argument (its Python name) that `conditions` reads.
    argument: str = "filter"
    # For a list the client may sort: its `orderBy` argument -> the ordering.
    order_by: Callable[[Any], Ordering] | None = None

    def _ordering(self, order_by: Any) -> Ordering:
        return self.ordering if self.order_by is None else self.order_by(order_by)

    def page(self) -> Page:
        """The list in SQL (schema/compiled)."""

        def conditions(args: Args) -> Sequence[Any]:
            return self.conditions(args.get(self.argument))[0]

        return Page(
            self.model,
            self.parent,
            conditions=conditions,
            ordering=lambda args: self._ordering(args.get("order_by")),
        )

    async def connection(
        self,
        info: Info,
        parent_id: uuid.UUID,
        first: int | None,
        after: str | None,
        argument: Any = None,
        order_by: Any = None,
    ) -> Connection[Any]:
        """One parent's page, batched with its siblings' (see `child_connection`)."""
        if self.parent is None:
            raise TypeError(f"the root list of {self.model.__name__} has no parent")
        where, key = self.conditions(argument)
        return await child_connection(
            info,
            self.model,
            self.parent,
            parent_id,
            where=where,
            where_key=key,
            ordering=self._ordering(order_by),
            first=first,
            after=after,
            to_node=_from_model(self.node),
        )

    async def root(
        self,
        info: Info,
        first: int | None,
        after: str | None,
        argument: Any = None,
        order_by: Any = None,
    ) -> Connection[Any]:
        """The page of a root list (see `paginate`)."""
        return await paginate(
            info,
            self.model,
            where=self.conditions(argument)[0],
            ordering=self._ordering(order_by),
            first=first,
            after=after,
            to_node=_from_model(self.node),
        )

    def field(
        self,
        description: str,
        *,
        argument: ListArgument | None = None,
        order_by: ListArgument | None = None,
    ) -> Any:
        """The connection field itself, for a list whose arguments are `first`, `after`,
        then the list's `argument` and its `orderBy` where given: compiled by `page`,
        resolved by `connection` on a node (its `db_id`) or by `root` at the root."""

        async def resolve(
            root: Any, info: Info, first: int | None = 20, after: str | None = None, **given: Any
        ) -> Connection[Any]:
            # `first` is left out when absent (BackwardPagination drops its schema default).
            value, order = given.get(self.argument), given.get("order_by")
            if self.parent is None:
                return await self.root(info, first, after, value, order)
            return await self.connection(info, root.db_id, first, after, value, order)

        extras = [
            extra.parameter(name)
            for name, extra in ((self.argument, argument), ("order_by", order_by))
            if extra is not None
        ]
        return connection_field(description, self.page(), lazy(self.node), resolve, extra=extras)


def connection_field(
    description: str,
    page: Page,
    node: Any,
    resolve: Callable[..., Awaitable[Connection[Any]]],
    *,
    leading: Sequence[Parameter] = (),
    extra: Sequence[Parameter] = (),
) -> Any:
    """A `Connection[node]` field resolved by `resolve(root, info, **arguments)` and
    compiled by `page`; its arguments are `leading`, `first`, `after`, then `extra`.

    Strawberry reads a resolver's arguments off its signature, so the signature is built
    here for the list at hand, while `resolve` takes them as keywords.
    """
    parameters = [
        Parameter("root", Parameter.POSITIONAL_OR_KEYWORD),
        Parameter("info", Parameter.POSITIONAL_OR_KEYWORD, annotation=Info),
        *leading,
        Parameter("first", Parameter.KEYWORD_ONLY, default=20, annotation=First),
        Parameter("after", Parameter.KEYWORD_ONLY, default=None, annotation=After),
        *extra,
    ]
    returns = Connection[node]
    resolve.__signature__ = Signature(parameters, return_annotation=returns)  # type: ignore[attr-defined]
    return strawberry.field(resolver=resolve, description=description, metadata=sql(page))
