"""Opaque Relay global ids, base64 of `TypeName:uuid`: the one Python home for them.

At the bottom of the layers so the API (schema/ids.py), the jobs (stored findings,
webhook payloads) and the CLI all make the same id; the compiled read path makes the
same string in SQL (schema/compiled/encode.py, checked equal by the differential tests).
"""

from __future__ import annotations

import base64
import binascii
import uuid


def global_id(type_name: str, db_id: uuid.UUID | str) -> str:
    """The id Strawberry's relay helpers make: standard base64 of `TypeName:uuid`."""
    return base64.b64encode(f"{type_name}:{db_id}".encode()).decode()


def parse_global_id(value: str) -> tuple[str, uuid.UUID] | None:
    """(type name, uuid), or None for anything that is not one of our ids."""
    try:
        type_name, raw = base64.b64decode(value.encode()).decode().split(":", 1)
        return type_name, uuid.UUID(raw)
    except (ValueError, TypeError, UnicodeError, binascii.Error):
        return None
