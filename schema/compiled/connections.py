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
    try:
        win = window(args.get("first"), args.get("after"), args.get("last"), args.get("before"))
        ordering = spec.ordering(args) if spec.ordering else None
        if ordering is None:
            raise NotCompilable("a connection without an ordering")
        cursors = [
            (decode_cursor(value, ordering, name), later)
            for name, value, later in (("after", win.after, True), ("before", win.before, False))
            if value is not None
        ]
        conditions = spec.conditions(args)
    except GraphQLError as exc:
        raise NotCompilable(f"argument error: {exc.message}") from exc
    size = win.size
    model = spec.model
    base = [visible(model, planner.principal), *conditions]

    def scoped(row: Row) -> list[Any]:
        conds = row.adapt(*base)
        if spec.parent is not None:
            assert parent is not None
            conds.append(getattr(row.entity, spec.parent.key) == parent.col(spec.parent_key))
        if spec.parent_conditions is not None:
            assert parent is not None
            conds.extend(spec.parent_conditions(row, parent))
        return conds

    groups = planner.collect(conn_type, sub_sets)
    node_type: GraphQLObjectType = unwrap(
        unwrap(conn_type.fields["edges"].type)[0].fields["node"].type
    )[0]
    ranked = Row.of(model)
    sort_col = getattr(ranked.entity, ordering.column.key)
    # A backward window (`last`) fetches from the end: rn 1 is the page's last row.
    order = (
        [sort_col.desc(), ranked.entity.id.desc()]
        if ordering.descending != win.backward
        else [sort_col.asc(), ranked.entity.id.asc()]
    )
    page_where = scoped(ranked)
    left = tuple_(sort_col, ranked.entity.id)
    for (value, row_id), later in cursors:
        right = tuple_(literal(value, sort_col.type), literal(row_id, ranked.entity.id.type))
        page_where.append(left > right if later != ordering.descending else left < right)
    rn = func.row_number().over(order_by=order).label("rn")
    page = (
        select(ranked.entity.id.label("id"), rn)
        .where(*page_where)
        .order_by(*order)
        .limit(size + 1)
        .correlate_except(ranked.entity)
    )
    page_sq = page.lateral("page") if parent is not None else page.subquery("page")
    row = Row.of(model)
    in_page = page_sq.c.rn <= size
    # The page's order: rn ascending forward, descending backward.
    shown = page_sq.c.rn.desc() if win.backward else page_sq.c.rn.asc()
    shown_last = page_sq.c.rn.asc() if win.backward else page_sq.c.rn.desc()
    cursor_text = cursor_sql(row, ordering)

    # One row of aggregates over the page: what edges and pageInfo are built from.
    aggregates: dict[str, Any] = {}

    def aggregate(name: str, value: Any) -> Any:
        aggregates.setdefault(name, value)
        return name

    pairs: list[tuple[str, Any]] = []
    for key, nodes in groups.items():
        name = nodes[0].name.value
        if name == "__typename":
            pairs.append((key, literal(conn_type.name)))
        elif name == "totalCount":
            counted = Row.of(model)
            pairs.append(
                (
                    key,
                    select(func.count())
                    .select_from(counted.entity)
                    .where(*scoped(counted))
                    .correlate_except(counted.entity)
                    .scalar_subquery(),
                )
            )
        elif name == "edges":
            edge_type: GraphQLObjectType = unwrap(conn_type.fields["edges"].type)[0]
            edge_groups = planner.collect_below(edge_type, nodes)
            edge_pairs: list[tuple[str, Any]] = []
            for ekey, enodes in edge_groups.items():
                ename = enodes[0].name.value
                if ename == "__typename":
                    edge_pairs.append((ekey, literal(edge_type.name)))
                elif ename == "cursor":
                    edge_pairs.append((ekey, cursor_text))
                elif ename == "node":
                    node_groups = planner.collect_below(node_type, enodes)
                    edge_pairs.append((ekey, planner.object_json(node_type, row, node_groups)))
                else:
                    raise NotCompilable(f"edge field {ename}")
            edges = func.coalesce(
                json_array_sql(json_object_sql(edge_pairs), shown, where=in_page),
                EMPTY_ARRAY,
            )
            pairs.append((key, ("agg", aggregate(f"edges_{len(aggregates)}", edges))))
        elif name == "pageInfo":
            info_type: GraphQLObjectType = unwrap(conn_type.fields["pageInfo"].type)[0]
            info_groups = planner.collect_below(info_type, nodes)
            info: list[tuple[str, Any]] = []
            for ikey, inodes in info_groups.items():
                iname = inodes[0].name.value
                if iname == "__typename":
                    info.append((ikey, literal(info_type.name)))
                elif iname == "hasNextPage":
                    info.append((ikey, _has_more(win.backward, win.before, aggregate, size)))
                elif iname == "hasPreviousPage":
                    info.append((ikey, _has_more(not win.backward, win.after, aggregate, size)))
                elif iname == "startCursor":
                    first_agg = func.array_agg(aggregate_order_by(cursor_text, shown)).filter(
                        in_page
                    )
                    info.append((ikey, ("agg", aggregate("start_cursor", first_agg[1]))))
                elif iname == "endCursor":
                    last_agg = func.array_agg(aggregate_order_by(cursor_text, shown_last)).filter(
                        in_page
                    )
                    info.append((ikey, ("agg", aggregate("end_cursor", last_agg[1]))))
                else:
                    raise NotCompilable(f"pageInfo field {iname}")
            pairs.append((key, ("info", info)))
        else:
            raise NotCompilable(f"connection field {name}")
    if not aggregates:
        # Nothing aggregates the page (only totalCount, __typename): one object, not
        # one per row of the page (nor none for an empty page).
        return json_object_sql(
            [(k, json_object_sql(v[1]) if isinstance(v, tuple) else v) for k, v in pairs]
        )
    agg_row = (
        select(*(value.label(name) for name, value in aggregates.items()))
        .select_from(page_sq.join(row.entity, row.entity.id == page_sq.c.id))
        .correlate_except(page_sq, row.entity)
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
    from_cursor: bool, cursor: str | None, aggregate: Callable[[str, Any], str], size: int
) -> Any:
    """hasNextPage / hasPreviousPage as Window.has_next / has_previous decide them."""
    if from_cursor:
        return true() if cursor is not None else false()
    return ("agg", aggregate("has_more", func.count() > size))


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
