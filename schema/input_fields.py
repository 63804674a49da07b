"""The fields mutation inputs share, worded once: how an input says "optional" and "an id".

An optional create field defaults to null (omitted: not stated); a field of an input that
changes only what is given defaults to UNSET (omitted: unchanged, null: cleared); a field
naming another object by global id says which type it must be, as `decode_id` checks.
"""

from __future__ import annotations

from typing import Any

import strawberry

from schema.ids import with_article


def optional(description: str) -> Any:
    """A field the caller may omit, which is then null."""
    return strawberry.field(default=None, description=description)


def omittable(description: str) -> Any:
    """A field of an input that changes only the fields given: omitted leaves it unchanged."""
    return strawberry.field(default=strawberry.UNSET, description=description)


def global_id_of(type_name: str) -> Any:
    """A required field holding the global id of a `type_name` object."""
    return strawberry.field(description=f"The global id of {with_article(type_name)}.")
