"""Opaque Relay global ids: base64 of `TypeName:uuid`."""

from __future__ import annotations

import uuid

from tenants.errors import DomainError, validation
from tenants.global_ids import global_id, parse_global_id

__all__ = ["decode_id", "global_id", "parse_global_id"]


def decode_id(value: str, expected: str, field: str) -> uuid.UUID:
    """The uuid of a global id of type `expected`; a VALIDATION error naming `field` otherwise."""
    parsed = parse_global_id(value)
    if parsed is None or parsed[0] != expected:
        raise validation(field, f"must be the id of {with_article(expected)}")
    return parsed[1]


def with_article(type_name: str) -> str:
    """`an AIProcess`, `a Member`: every node type name starting with a vowel is said with one."""
    return f"{'an' if type_name[:1] in 'AEIOU' else 'a'} {type_name}"


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
