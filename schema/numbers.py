"""Fractional numbers cross the API as `Float`; the database and services keep `Decimal`.

One conversion each way, so every field reads and writes the same: out, the nearest
float to the stored decimal (what PostgreSQL's `::float8` gives the compiled path);
in, the float's shortest decimal text (`6.1` stays 6.1, not 6.0999...), so the
services' precision and range checks see the digits the client sent and name the field.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, overload

import strawberry


@overload
def to_float(value: Decimal) -> float: ...
@overload
def to_float(value: Decimal | None) -> float | None: ...
def to_float(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def to_decimal(value: Any) -> Any:
    """A Float input as a Decimal; omitted (UNSET) and null pass through unchanged."""
    if value is None or value is strawberry.UNSET:
        return value
    return Decimal(str(value))
