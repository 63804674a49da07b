"""SQL expressions that render values exactly as the ordinary executor serializes them.

Strawberry serializes a DateTime with `isoformat()`, a Decimal with `str()`, an
enum by its member name and a global id as base64 of `Type:uuid`; PostgreSQL's
own JSON output differs in each (it trims fractional seconds, has no enum
names, wraps base64 at 76 characters), so each has an expression here. The
differential tests hold the two paths to the same bytes' meaning.
"""

from __future__ import annotations

from enum import Enum
from typing import Any

from sqlalchemy import Text, case, cast, func, literal, type_coerce
from sqlalchemy.sql.elements import ColumnElement


def global_id_sql(type_name: str, id_column: Any) -> ColumnElement[Any]:
    """base64(`Type:uuid`), standard alphabet with padding, on one line (schema/ids.py)."""
    return global_id_of_sql(literal(type_name, Text), id_column)


def global_id_of_sql(type_name: Any, id_column: Any) -> ColumnElement[Any]:
    """`global_id_sql` with the type name an SQL expression (e.g. a stored object type)."""
    raw = func.convert_to(
        cast(type_name, Text) + literal(":", Text) + cast(id_column, Text), "UTF8"
    )
    return func.replace(func.encode(raw, "base64"), "\n", "")


def base64url_sql(text_value: Any) -> ColumnElement[Any]:
    """URL-safe base64 without padding, as `encode_cursor` writes it."""
    encoded = func.encode(func.convert_to(text_value, "UTF8"), "base64")
    # translate drops "\n" (it has no counterpart) and maps + / to - _.
    return func.rtrim(func.translate(encoded, "+/\n", "-_"), "=")


def datetime_sql(column: Any) -> ColumnElement[Any]:
    """`datetime.isoformat()` of a UTC timestamptz: microseconds only when non-zero."""
    utc = func.timezone("UTC", column)
    seconds = func.to_char(utc, 'YYYY-MM-DD"T"HH24:MI:SS')
    micro = case(
        (func.extract("microseconds", utc) % 1000000 == 0, literal("")),
        else_=literal(".") + func.to_char(utc, "US"),
    )
    return case((column.is_(None), None), else_=seconds + micro + literal("+00:00"))


def date_sql(column: Any) -> ColumnElement[Any]:
    return func.to_char(column, "YYYY-MM-DD")


def decimal_sql(column: Any) -> ColumnElement[Any]:
    """`str(Decimal)`: PostgreSQL's numeric text keeps the scale exactly as asyncpg does."""
    return cast(column, Text)


def enum_name_sql(enum_cls: type[Enum], column: Any) -> ColumnElement[Any]:
    """The GraphQL name of the member stored in `column` (stored by value)."""
    members = list(enum_cls)
    if all(str(m.value).upper() == m.name for m in members):
        return func.upper(column)
    return case({m.value: m.name for m in members}, value=column, else_=None)


def json_text(value: Any) -> ColumnElement[Any]:
    """A bound Python value carried into JSON (viewer fields, literals)."""
    return type_coerce(literal(value), Text)
