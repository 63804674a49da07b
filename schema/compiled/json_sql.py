"""JSON built by PostgreSQL, printed compactly and in the executor's key order.

`json_build_object` and `json_agg` print spaces after separators; `row_to_json` of a
one-row subquery whose columns are named by the response keys, and
`array_to_json(array_agg(...))`, print exactly what the ordinary executor prints.
"""

from __future__ import annotations

from typing import Any

from graphql import GraphQLList, GraphQLNonNull, GraphQLOutputType
from sqlalchemy import cast as sql_cast
from sqlalchemy import func, literal, select
from sqlalchemy.dialects.postgresql import JSON, aggregate_order_by

from schema.compiled.sql import NotCompilable

# Response keys become column names, which PostgreSQL cuts at 63 bytes.
MAX_KEY_BYTES = 63
EMPTY_ARRAY = sql_cast(literal("[]"), JSON)
EMPTY_OBJECT = sql_cast(literal("{}"), JSON)


def json_object_sql(pairs: list[tuple[str, Any]]) -> Any:
    """`{"key": value, ...}` in this order, compact: row_to_json of a one-row subquery."""
    if not pairs:
        return EMPTY_OBJECT
    for key, _ in pairs:
        if len(key.encode()) > MAX_KEY_BYTES:
            raise NotCompilable("a response key longer than a PostgreSQL identifier")
    # The values read rows of enclosing queries at any depth: correlate them all.
    row = select(*(value.label(key) for key, value in pairs)).correlate_except().lateral()
    return select(func.row_to_json(row.table_valued())).select_from(row).scalar_subquery()


def json_array_sql(item: Any, *order_by: Any, where: Any = None) -> Any:
    """`array_to_json(array_agg(item ORDER BY ...))`: compact, unlike json_agg."""
    agg: Any = (
        func.array_agg(aggregate_order_by(item, *order_by)) if order_by else func.array_agg(item)
    )
    if where is not None:
        agg = agg.filter(where)
    return func.array_to_json(agg)


def unwrap(t: GraphQLOutputType) -> tuple[Any, bool, bool]:
    """(named type, is a list, list items nullable) with NonNull wrappers removed."""
    if isinstance(t, GraphQLNonNull):
        t = t.of_type
    if isinstance(t, GraphQLList):
        inner = t.of_type
        nullable_items = not isinstance(inner, GraphQLNonNull)
        if isinstance(inner, GraphQLNonNull):
            inner = inner.of_type
        if isinstance(inner, GraphQLList | GraphQLNonNull):
            raise NotCompilable("nested lists")
        return inner, True, nullable_items
    return t, False, True
