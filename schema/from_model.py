"""`from_model` read off a Strawberry type's own fields, so each field is listed once.

A node type used to spell `x=obj.x` for every field it declares; the dataclass that
Strawberry builds already knows them. Each init field `x` takes `obj.x`, by three
naming rules for what is not a plain column: `db_id` is `obj.id`, `<name>_db_id` is
`obj.<name>_id` and `model` is the object itself. A field whose value is computed
names a function of the object in the class's `FROM_MODEL`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from operator import attrgetter
from typing import Any, ClassVar, Self

from schema.numbers import to_float

Getter = Callable[[Any], Any]

_PLANS: dict[type[Any], tuple[tuple[str, Getter], ...]] = {}


def _identity(obj: Any) -> Any:
    return obj


def _attribute(field: str) -> Getter:
    if field == "model":
        return _identity
    if field == "db_id":
        return attrgetter("id")
    if field.endswith("_db_id"):
        return attrgetter(field.removesuffix("_db_id") + "_id")
    return attrgetter(field)


def _plan(cls: type[FromModel]) -> tuple[tuple[str, Getter], ...]:
    """(field, getter) for each init field of `cls`, worked out once per class."""
    plan = _PLANS.get(cls)
    if plan is None:
        given = cls.FROM_MODEL
        plan = tuple(
            (f.name, given.get(f.name) or _attribute(f.name))
            for f in dataclasses.fields(cls)  # type: ignore[arg-type]
            if f.init
        )
        _PLANS[cls] = plan
    return plan


class FromModel:
    """Mixin for a Strawberry type built from one ORM object (or a view of one)."""

    # field name -> its value from the object, where no naming rule gives it
    FROM_MODEL: ClassVar[Mapping[str, Getter]] = {}

    @classmethod
    def from_model(cls, obj: Any) -> Self:
        make: Callable[..., Self] = cls
        return make(**{name: get(obj) for name, get in _plan(cls)})


def float_of(column: str) -> Getter:
    """A `FROM_MODEL` getter: the numeric column as the API's Float."""
    get = attrgetter(column)
    return lambda obj: to_float(get(obj))


def items_of(column: str, make: Callable[[Any], Any]) -> Getter:
    """A `FROM_MODEL` getter: each item of a list column through `make` (e.g. an enum)."""
    get = attrgetter(column)
    return lambda obj: [make(item) for item in get(obj)]
