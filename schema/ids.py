"""Opaque Relay global ids: base64 of `TypeName:uuid`."""

from __future__ import annotations

import uuid

from strawberry.relay.utils import from_base64, to_base64

from tenants.errors import DomainError, validation


def global_id(type_name: str, db_id: uuid.UUID) -> str:
    return str(to_base64(type_name, str(db_id)))


def parse_global_id(value: str) -> tuple[str, uuid.UUID] | None:
    """(type name, uuid), or None for anything that is not one of our ids."""
    try:
        type_name, raw = from_base64(value)
        return type_name, uuid.UUID(raw)
    except (ValueError, TypeError, UnicodeDecodeError):
        return None


def decode_id(value: str, expected: str, field: str) -> uuid.UUID:
    """The uuid of a global id of type `expected`; a VALIDATION error naming `field` otherwise."""
    parsed = parse_global_id(value)
    if parsed is None or parsed[0] != expected:
        raise validation(field, f"must be the id of a {expected}")
    return parsed[1]


def decode_ids(values: list[str], expected: str, field: str) -> list[uuid.UUID]:
    errors = DomainError()
    out: list[uuid.UUID] = []
    for i, value in enumerate(values):
        try:
            out.append(decode_id(value, expected, f"{field}[{i}]"))
        except DomainError as exc:
            errors.errors.extend(exc.errors)
    if errors.errors:
        raise errors
    return out
