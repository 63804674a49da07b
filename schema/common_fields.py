"""The fields most objects share, worded once: the API says them the same everywhere.

`Versioned` is a mixin listed after `Node`, so `version` comes right after `id`, as in
every versioned type's SDL. The time stamps come last among a type's plain fields (before
the resolved ones); a base class cannot put fields last, so `node_type(stamps=...)`
appends them to the class's own annotations instead (see `append_stamps`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import strawberry


def version_field() -> Any:
    return strawberry.field(description="Send it back with updates; a stale one is a CONFLICT.")


def created_at_field() -> Any:
    return strawberry.field(description="When it was created.")


def updated_at_field() -> Any:
    return strawberry.field(description="When it was last changed.")


def archived_at_field() -> Any:
    return strawberry.field(description="When it was archived; null while it is not.")


@strawberry.type
class Versioned:
    """Mixin for an object updated under optimistic locking (list it after `Node`)."""

    version: int = version_field()


@dataclass(frozen=True, slots=True)
class Stamp:
    """A time-stamp column every object of a kind carries, shown under one wording."""

    name: str
    annotation: Any
    field: Callable[[], Any]


ARCHIVED_AT = Stamp("archived_at", datetime | None, archived_at_field)
CREATED_AT = Stamp("created_at", datetime, created_at_field)
UPDATED_AT = Stamp("updated_at", datetime, updated_at_field)

# The usual sets, in the order the SDL lists them.
CREATED = (CREATED_AT,)
CHANGED = (CREATED_AT, UPDATED_AT)
ARCHIVABLE = (ARCHIVED_AT, CREATED_AT, UPDATED_AT)


def append_stamps(cls: type[Any], stamps: tuple[Stamp, ...]) -> None:
    """Declare `stamps` on `cls` after its own plain fields, before Strawberry reads it.

    Strawberry lists plain fields in annotation order and resolved ones after them, so
    appending to `__annotations__` puts the stamps exactly where a hand-written
    declaration at the end of the plain fields would.
    """
    annotations = cls.__annotations__  # the class's own (Python >= 3.10)
    for stamp in stamps:
        if stamp.name in annotations:
            raise TypeError(f"{cls.__name__} declares {stamp.name} itself and as a stamp")
        annotations[stamp.name] = stamp.annotation
        setattr(cls, stamp.name, stamp.field())
