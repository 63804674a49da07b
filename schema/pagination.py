"""Relay connections with keyset cursors, top-level and batched for nested lists.

A cursor is the (sort value, id) of the last row seen, so inserting rows never
shifts a page the way OFFSET does. Nested connections (a client's processes
inside a list of clients) are loaded for all parents in one statement with
`row_number() OVER (PARTITION BY parent ...)`, so the number of statements a
query issues does not grow with the size of the lists it walks.
"""

from __future__ import annotations

import base64
import json
import uuid
from collections.abc import Awaitable, Callable, Hashable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from typing import Annotated, Any, Generic, TypeVar

import strawberry
from graphql import GraphQLError
from sqlalchemy import func, select, tuple_
from sqlalchemy.orm import InstrumentedAttribute, aliased

from schema.context import Info
from schema.enums import documented_enum
from schema.loaders import loader
from schema.page_window import AFTER, FIRST, Window, page_window, window
from schema.scoping import visible
from schema.settling import settled
from tenants.base import TenantBase

M = TypeVar("M", bound=TenantBase)
# A row a page is built from: an ORM object, or a view of one with its id and sort column.
R = TypeVar("R")
NodeT = TypeVar("NodeT")


@documented_enum(
    "Sort direction.",
    {
        "ASC": "Smallest (or A, or oldest) first.",
        "DESC": "Largest (or Z, or newest) first.",
    },
)
class SortDirection(Enum):
    ASC = "asc"
    DESC = "desc"


# Every connection's `first`/`after`; `last`/`before` are added by BackwardPagination.
First = Annotated[int | None, strawberry.argument(description=FIRST)]
After = Annotated[str | None, strawberry.argument(description=AFTER)]


@strawberry.type(description="Relay page information.")
class PageInfo:
    has_next_page: bool = strawberry.field(
        description="Whether more results follow: pass `endCursor` as `after` to get them."
    )
    has_previous_page: bool = strawberry.field(
        description="Whether results come before this page (lists page forwards only, so true"
        " exactly when `after` was given)."
    )
    start_cursor: str | None = strawberry.field(
        description="The cursor of the first edge; null when the page is empty."
    )
    end_cursor: str | None = strawberry.field(
        description="The cursor of the last edge, to pass as `after`; null when the page is empty."
    )


@strawberry.type(description="One result of a page, with the cursor that points at it.")
class Edge(Generic[NodeT]):
    node: NodeT = strawberry.field(description="The object.")
    cursor: str = strawberry.field(
        description="Opaque; pass it as `after` to get the results that follow this one."
    )


@strawberry.type(description="A page of results with keyset cursors.")
class Connection(Generic[NodeT]):
    edges: list[Edge[NodeT]] = strawberry.field(description="The results of this page, in order.")
    page_info: PageInfo = strawberry.field(description="Where this page is in the whole list.")
    count: strawberry.Private[Callable[[], Awaitable[int]]]

    @strawberry.field(description="How many objects match, across all pages.")
    async def total_count(self) -> int:
        return await self.count()


@dataclass(frozen=True, slots=True)
class Ordering:
    """Sort by a non-null column, then by id to make the order total."""

    column: InstrumentedAttribute[Any]
    descending: bool = False

    def key(self) -> tuple[str, bool]:
        return (self.column.key, self.descending)


def _encode_value(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, uuid.UUID):
        return str(value)
    return value


def encode_cursor(value: Any, row_id: uuid.UUID) -> str:
    # The JSON text PostgreSQL's json_build_array writes, so the compiled read path
    # (schema/compiled/planner.py cursor_sql) makes the very same cursor.
    raw = json.dumps(
        [_encode_value(value), str(row_id)], ensure_ascii=False, separators=(", ", ":")
    )
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _bad_cursor(name: str) -> GraphQLError:
    return GraphQLError(f"invalid cursor: `{name}` must be a cursor from this connection")


def decode_cursor(cursor: str, ordering: Ordering, name: str = "after") -> tuple[Any, uuid.UUID]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        raw_value, raw_id = json.loads(base64.urlsafe_b64decode(padded.encode()))
        python_type = ordering.column.type.python_type
        if python_type is datetime:
            value: Any = datetime.fromisoformat(raw_value)
        elif python_type is date:
            value = date.fromisoformat(raw_value)
        elif not isinstance(raw_value, str | int | float):
            raise ValueError("unexpected cursor value")
        else:
            value = raw_value
        return value, uuid.UUID(raw_id)
    except (ValueError, TypeError, json.JSONDecodeError, NotImplementedError) as exc:
        raise _bad_cursor(name) from exc


def check_first(first: int | None) -> int:
    return window(first, None).size


def keyset(model: type[M], ordering: Ordering, win: Window) -> list[Any]:
    """SQL conditions keeping the rows between the window's `after` and `before` cursors."""
    left = tuple_(ordering.column, model.id)  # type: ignore[attr-defined]
    out: list[Any] = []
    for name, cursor, later in (("after", win.after, True), ("before", win.before, False)):
        if cursor is None:
            continue
        right = tuple_(*decode_cursor(cursor, ordering, name))
        out.append(left > right if later != ordering.descending else left < right)
    return out


def order_clauses(model: type[M], ordering: Ordering, reverse: bool = False) -> list[Any]:
    """ORDER BY the ordering's column, then id: a total order for keyset cursors.

    `reverse` is the fetch order of a backward window (`last`): from the end.
    """
    id_col = model.id  # type: ignore[attr-defined]
    if ordering.descending != reverse:
        return [ordering.column.desc(), id_col.desc()]
    return [ordering.column.asc(), id_col.asc()]


def build_connection(
    rows: Sequence[R],
    win: Window,
    ordering: Ordering,
    to_node: Callable[[R], NodeT],
    count: Callable[[], Awaitable[int]],
) -> Connection[NodeT]:
    """A Connection from up to `size + 1` rows in fetch order (the extra one says there is more)."""
    page = win.page(rows)
    edges = [
        Edge(node=to_node(r), cursor=encode_cursor(getattr(r, ordering.column.key), r.id))  # type: ignore[attr-defined]
        for r in page
    ]
    return Connection(
        edges=edges,
        page_info=PageInfo(
            has_next_page=win.has_next(len(rows)),
            has_previous_page=win.has_previous(len(rows)),
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=edges[-1].cursor if edges else None,
        ),
        count=count,
    )


async def paginate(
    info: Info,
    model: type[M],
    *,
    where: Sequence[Any],
    ordering: Ordering,
    first: int | None,
    after: str | None,
    to_node: Callable[[M], NodeT],
) -> Connection[NodeT]:
    """A top-level connection over visible rows of `model` matching `where`."""
    win = page_window(first, after)
    conditions = [visible(model, info.context.principal), *where]
    db = info.context.db
    rows = (
        await settled(
            db.scalars(
                select(model)
                .where(*conditions, *keyset(model, ordering, win))
                .order_by(*order_clauses(model, ordering, win.backward))
                .limit(win.size + 1)
            )
        )
    ).all()

    async def count() -> int:
        stmt = select(func.count()).select_from(model).where(*conditions)
        total: int | None = await settled(db.scalar(stmt))
        return int(total or 0)

    return build_connection(rows, win, ordering, to_node, count)


async def child_connection(
    info: Info,
    model: type[M],
    parent: InstrumentedAttribute[Any],
    parent_id: uuid.UUID,
    *,
    where: Sequence[Any],
    where_key: Hashable,
    ordering: Ordering,
    first: int | None,
    after: str | None,
    to_node: Callable[[M], NodeT],
    through: tuple[Any, Any] | None = None,
) -> Connection[NodeT]:
    """A nested connection, batched with every sibling that asks with the same arguments.

    `where_key` identifies `where` (filters) so siblings with equal arguments share
    one loader and one statement. `parent` is a column of `model`, or, with
    `through=(table, onclause)`, of a table joined to it (a client's incidents are
    those of its processes: `parent=AIProcess.client_id`, through AIProcess).
    """
    win = page_window(first, after)
    conditions = [visible(model, info.context.principal), *where]
    between = keyset(model, ordering, win)
    args = (model.__name__, str(parent), where_key, ordering.key(), win)

    def joined(stmt: Any) -> Any:
        return stmt.join(*through) if through is not None else stmt

    async def load_pages(parent_ids: list[uuid.UUID]) -> list[list[M]]:
        order = order_clauses(model, ordering, win.backward)
        rank = func.row_number().over(partition_by=parent, order_by=order)
        inner = joined(select(model, parent.label("parent_id"), rank.label("rank")))
        inner = inner.where(parent.in_(parent_ids), *conditions, *between).subquery()
        row = aliased(model, inner)
        stmt = (
            select(row, inner.c.parent_id)
            .where(inner.c.rank <= win.size + 1)
            .order_by(inner.c.rank)
        )
        grouped: dict[uuid.UUID, list[M]] = {p: [] for p in parent_ids}
        for obj, parent_value in await info.context.db.execute(stmt):
            grouped[parent_value].append(obj)
        return [grouped[p] for p in parent_ids]

    async def load_counts(parent_ids: list[uuid.UUID]) -> list[int]:
        stmt = joined(select(parent, func.count()).select_from(model))
        stmt = stmt.where(parent.in_(parent_ids), *conditions).group_by(parent)
        counts = {k: int(n) for k, n in await info.context.db.execute(stmt)}
        return [counts.get(p, 0) for p in parent_ids]

    rows = await loader(info, ("page", *args), load_pages).load(parent_id)
    counter = loader(info, ("count", *args[:3]), load_counts)

    async def count() -> int:
        return await counter.load(parent_id)

    return build_connection(rows, win, ordering, to_node, count)
