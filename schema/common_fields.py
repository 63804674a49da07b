"""The fields most objects share, worded once: the API says them the same everywhere."""

from __future__ import annotations

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
