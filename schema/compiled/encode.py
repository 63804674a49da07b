"""SQL expressions that render values exactly as the ordinary executor serializes them.

Strawberry serializes a DateTime with `isoformat()`, a Float as a JSON number, an
enum by its member name and a global id as base64 of `Type:uuid`; PostgreSQL's
own JSON output differs in each (it trims fractional seconds, has no enum
names, wraps base64 at 76 characters), so each has an expression here. The
differential tests hold the two paths to the same bytes' meaning.
"""

from __future__ import annotations

from decimal import Decimal
from enum import Enum
from typing import Any

from sqlalchemy import BigInteger, Float, Numeric, Text, case, cast, func, literal, type_coerce
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


def float_sql(column: Any) -> ColumnElement[Any]:
    """`float(Decimal)` of a numeric (the API has no Decimal scalar): the nearest double.

    A numeric in JSON keeps its scale (`6.00`); float8 prints the shortest text that
    reads back as the same double, as Python's float repr does (`6.0` and `6` are one
    JSON number). A float8 column passes through unchanged.
    """
    return cast(column, Float)


def enum_name_sql(enum_cls: type[Enum], column: Any) -> ColumnElement[Any]:
    """The GraphQL name of the member stored in `column` (stored by value)."""
    members = list(enum_cls)
    if all(str(m.value).upper() == m.name for m in members):
        return func.upper(column)
    return case({m.value: m.name for m in members}, value=column, else_=None)


def json_text(value: Any) -> ColumnElement[Any]:
    """A bound Python value carried into JSON (viewer fields, literals)."""
    return type_coerce(literal(value), Text)


def py_str_sql(document: Any, key: str, default: str) -> ColumnElement[Any]:
    """`str(document.get(key, default))` of a JSON object's string, number, bool or null."""
    value = document[key]
    kind = func.jsonb_typeof(value)
    return case(
        (value.is_(None), literal(default, Text)),
        (kind == "null", literal("None", Text)),
        (kind == "boolean", case((value.astext == "true", "True"), else_="False")),
        else_=value.astext,
    )


def py_round_sql(value: Any, ndigits: int) -> ColumnElement[Any]:
    """Python's `round(x, ndigits)` of a float8 `x`: half to even on the float's exact value.

    numeric's round() halves away from zero, and a float's decimal text is not its
    exact value (0.15 is 0.1499999...), so the float is first expanded exactly:
    its integer part plus its fraction in units of 2**-59 (exact for any float whose
    bits stop there, e.g. a difference of two-decimal numbers of at least 0.01).
    """
    whole = func.trunc(value)
    units = cast((value - whole) * literal(float(2**59), Float), BigInteger)
    exact = cast(whole, Numeric) + cast(units, Numeric) * literal(_TWO_TO_MINUS_59, Numeric)
    scaled = exact * literal(10**ndigits, Numeric)
    floor = func.floor(scaled)
    rest = scaled - floor
    rounded = case(
        (rest > Decimal("0.5"), floor + 1),
        (rest < Decimal("0.5"), floor),
        (func.mod(floor, 2) == 0, floor),
        else_=floor + 1,
    )
    return cast(rounded / literal(10**ndigits, Numeric), Float)


_TWO_TO_MINUS_59 = Decimal(f"{5**59}E-59")  # 2**-59, exactly (no context rounding)
