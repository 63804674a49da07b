"""A Relay connection in SQL: one keyset page aggregated into edges and pageInfo.

The page is `first + 1` rows of the model in the ordering's order (between the
`after` and `before` cursors' rows, when given), numbered by row_number(); for
`last` it is `last + 1` rows in the reversed order, turned round when aggregated
(schema/page_window.py decides the window for both executors). Edges and pageInfo
are aggregates over it, `totalCount` a separate count with the same conditions
but no keyset. Cursors are made in SQL exactly as schema/pagination.py makes them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from graphql import GraphQLError, GraphQLObjectType, SelectionSetNode
from sqlalchemy import Text, false, func, literal, select, true, tuple_
from sqlalchemy import cast as sql_cast
from sqlalchemy.dialects.postgresql import aggregate_order_by

from schema.compiled import encode
from schema.compiled.json_sql import (
    EMPTY_ARRAY,
    EMPTY_OBJECT,
    json_array_sql,
    json_object_sql,
    unwrap,
)
from schema.compiled.sql import NotCompilable, Page, Row
from schema.page_window import window
from schema.pagination import decode_cursor
from schema.scoping import visible

if TYPE_CHECKING:
    from schema.compiled.planner import Planner


def connection_json(
    planner: Planner,
    conn_type: GraphQLObjectType,
    spec: Page,
    parent: Row | None,
    args: dict[str, Any],
    sub_sets: list[SelectionSetNode],
) -> Any:
    """The connection's JSON as one SQL expression (NotCompilable for what it cannot do)."""
    return _Connection(planner, conn_type, spec, parent, args).json(sub_sets)


class _Connection:
    """One connection field being compiled: its window, page subquery and aggregates."""

    def __init__(
        self,
        planner: Planner,
        conn_type: GraphQLObjectType,
        spec: Page,
        parent: Row | None,
        args: dict[str, Any],
    ) -> None:
        try:
            self.win = window(
                args.get("first"), args.get("after"), args.get("last"), args.get("before")
            )
            ordering = spec.ordering(args) if spec.ordering else None
            if ordering is None:
                raise NotCompilable("a connection without an ordering")
            self.cursors = [
                (decode_cursor(value, ordering, name), later)
                for name, value, later in (
                    ("after", self.win.after, True),
                    ("before", self.win.before, False),
                )
                if value is not None
            ]
            conditions = spec.conditions(args)
        except GraphQLError as exc:
            raise NotCompilable(f"argument error: {exc.message}") from exc
        self.planner, self.conn_type, self.spec, self.parent = planner, conn_type, spec, parent
        self.ordering = ordering
        self.base = [visible(spec.model, planner.principal), *conditions]
        self.page_sq = self._page()
        self.row = Row.of(spec.model)
        self.in_page = self.page_sq.c.rn <= self.win.size
        # The page's order: rn ascending forward, descending backward.
        rn = self.page_sq.c.rn
        self.shown = rn.desc() if self.win.backward else rn.asc()
        self.shown_last = rn.asc() if self.win.backward else rn.desc()
        self.cursor_text = cursor_sql(self.row, ordering)
        # One row of aggregates over the page: what edges and pageInfo are built from.
        self.aggregates: dict[str, Any] = {}

    def scoped(self, row: Row) -> list[Any]:
        """Visibility, the field's conditions and the link to the parent, for `row`."""
        spec, parent = self.spec, self.parent
        conds = row.adapt(*self.base)
        if spec.parent is not None:
            assert parent is not None
            conds.append(getattr(row.entity, spec.parent.key) == parent.col(spec.parent_key))
        if spec.parent_conditions is not None:
            assert parent is not None
            conds.extend(spec.parent_conditions(row, parent))
        return conds

    def _page(self) -> Any:
        """`size + 1` ids past the cursors, numbered by row_number() in the window's order."""
        ranked = Row.of(self.spec.model)
        sort_col = getattr(ranked.entity, self.ordering.column.key)
        # A backward window (`last`) fetches from the end: rn 1 is the page's last row.
        order = (
            [sort_col.desc(), ranked.entity.id.desc()]
            if self.ordering.descending != self.win.backward
            else [sort_col.asc(), ranked.entity.id.asc()]
        )
        page_where = self.scoped(ranked)
        left = tuple_(sort_col, ranked.entity.id)
        for (value, row_id), later in self.cursors:
            right = tuple_(literal(value, sort_col.type), literal(row_id, ranked.entity.id.type))
            page_where.append(left > right if later != self.ordering.descending else left < right)
        rn = func.row_number().over(order_by=order).label("rn")
        page = (
            select(ranked.entity.id.label("id"), rn)
            .where(*page_where)
            .order_by(*order)
            .limit(self.win.size + 1)
            .correlate_except(ranked.entity)
        )
        return page.lateral("page") if self.parent is not None else page.subquery("page")

    def aggregate(self, name: str, value: Any) -> tuple[str, str]:
        """A value computed once over the page's rows, referred to by name."""
        self.aggregates.setdefault(name, value)
        return ("agg", name)

    def json(self, sub_sets: list[SelectionSetNode]) -> Any:
        pairs: list[tuple[str, Any]] = []
        for key, nodes in self.planner.collect(self.conn_type, sub_sets).items():
            name = nodes[0].name.value
            if name == "__typename":
                pairs.append((key, literal(self.conn_type.name)))
            elif name == "totalCount":
                pairs.append((key, self._total_count()))
            elif name == "edges":
                pairs.append((key, self._edges(nodes)))
            elif name == "pageInfo":
                pairs.append((key, ("info", self._page_info(nodes))))
            else:
                raise NotCompilable(f"connection field {name}")
        return self._assemble(pairs)

    def _total_count(self) -> Any:
        counted = Row.of(self.spec.model)
        return (
            select(func.count())
            .select_from(counted.entity)
            .where(*self.scoped(counted))
            .correlate_except(counted.entity)
            .scalar_subquery()
        )

    def _edges(self, nodes: list[Any]) -> tuple[str, str]:
        edge_type: GraphQLObjectType = unwrap(self.conn_type.fields["edges"].type)[0]
        node_type: GraphQLObjectType = unwrap(edge_type.fields["node"].type)[0]
        edge_pairs: list[tuple[str, Any]] = []
        for ekey, enodes in self.planner.collect_below(edge_type, nodes).items():
            ename = enodes[0].name.value
            if ename == "__typename":
                edge_pairs.append((ekey, literal(edge_type.name)))
            elif ename == "cursor":
                edge_pairs.append((ekey, self.cursor_text))
            elif ename == "node":
                node_groups = self.planner.collect_below(node_type, enodes)
                edge_pairs.append(
                    (ekey, self.planner.object_json(node_type, self.row, node_groups))
                )
            else:
                raise NotCompilable(f"edge field {ename}")
        edges = func.coalesce(
            json_array_sql(json_object_sql(edge_pairs), self.shown, where=self.in_page),
            EMPTY_ARRAY,
        )
        return self.aggregate(f"edges_{len(self.aggregates)}", edges)

    def _page_info(self, nodes: list[Any]) -> list[tuple[str, Any]]:
        info_type: GraphQLObjectType = unwrap(self.conn_type.fields["pageInfo"].type)[0]
        win, size = self.win, self.win.size
        info: list[tuple[str, Any]] = []
        for ikey, inodes in self.planner.collect_below(info_type, nodes).items():
            iname = inodes[0].name.value
            if iname == "__typename":
                info.append((ikey, literal(info_type.name)))
            elif iname == "hasNextPage":
                info.append((ikey, _has_more(win.backward, win.before, self.aggregate, size)))
            elif iname == "hasPreviousPage":
                info.append((ikey, _has_more(not win.backward, win.after, self.aggregate, size)))
            elif iname in ("startCursor", "endCursor"):
                order = self.shown if iname == "startCursor" else self.shown_last
                ends = func.array_agg(aggregate_order_by(self.cursor_text, order))
                label = "start_cursor" if iname == "startCursor" else "end_cursor"
                info.append((ikey, self.aggregate(label, ends.filter(self.in_page)[1])))
            else:
                raise NotCompilable(f"pageInfo field {iname}")
        return info

    def _assemble(self, pairs: list[tuple[str, Any]]) -> Any:
        """The connection object, reading aggregates from one lateral row over the page."""
        if not self.aggregates:
            # Nothing aggregates the page (only totalCount, __typename): one object, not
            # one per row of the page (nor none for an empty page).
            return json_object_sql(
                [(k, json_object_sql(v[1]) if isinstance(v, tuple) else v) for k, v in pairs]
            )
        entity = self.row.entity
        agg_row = (
            select(*(value.label(name) for name, value in self.aggregates.items()))
            .select_from(self.page_sq.join(entity, entity.id == self.page_sq.c.id))
            .correlate_except(self.page_sq, entity)
            .lateral()
        )

        def resolve(value: Any) -> Any:
            if isinstance(value, tuple) and value[0] == "agg":
                return agg_row.c[value[1]]
            if isinstance(value, tuple) and value[0] == "info":
                return json_object_sql([(k, resolve(v)) for k, v in value[1]])
            return value

        top = json_object_sql([(k, resolve(v)) for k, v in pairs])
        if top is EMPTY_OBJECT:
            return top
        return select(top).select_from(agg_row).scalar_subquery()


def _has_more(
    from_cursor: bool,
    cursor: str | None,
    aggregate: Callable[[str, Any], tuple[str, str]],
    size: int,
) -> Any:
    """hasNextPage / hasPreviousPage as Window.has_next / has_previous decide them."""
    if from_cursor:
        return true() if cursor is not None else false()
    return aggregate("has_more", func.count() > size)


def cursor_sql(row: Row, ordering: Any) -> Any:
    """`encode_cursor(value, id)` in SQL: base64url of `[value, "id"]` as JSON text."""
    column = row.col(ordering.column.key)
    python_type = ordering.column.type.python_type

    if python_type is datetime:
        value: Any = encode.datetime_sql(column)
    elif python_type is date:
        value = encode.date_sql(column)
    else:
        value = column
    array = sql_cast(func.json_build_array(value, sql_cast(row.col("id"), Text)), Text)
    return encode.base64url_sql(array)
