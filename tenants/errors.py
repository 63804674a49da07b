"""Expected failures of domain operations.

Service functions raise these; the GraphQL layer maps them, in one helper, to
payload `errors { field code message }`. Anything else is a bug and is masked.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class ErrorCode(StrEnum):
    VALIDATION = "VALIDATION"
    NOT_FOUND = "NOT_FOUND"
    CONFLICT = "CONFLICT"
    FORBIDDEN = "FORBIDDEN"
    UNAVAILABLE = "UNAVAILABLE"


@dataclass(frozen=True, slots=True)
class FieldError:
    field: str | None
    code: ErrorCode
    message: str


@dataclass
class DomainError(Exception):
    """One or more expected failures; nothing was written."""

    errors: list[FieldError] = field(default_factory=list)

    def __str__(self) -> str:
        return "; ".join(f"{e.field or '-'}: {e.code} {e.message}" for e in self.errors)

    @classmethod
    def one(cls, field: str | None, code: ErrorCode, message: str) -> DomainError:
        return cls([FieldError(field, code, message)])


def validation(field: str, message: str) -> DomainError:
    return DomainError.one(field, ErrorCode.VALIDATION, message)


def not_found(field: str, message: str = "not found") -> DomainError:
    return DomainError.one(field, ErrorCode.NOT_FOUND, message)


def conflict(field: str | None, message: str) -> DomainError:
    return DomainError.one(field, ErrorCode.CONFLICT, message)


def forbidden(message: str = "you may not do this") -> DomainError:
    return DomainError.one(None, ErrorCode.FORBIDDEN, message)
