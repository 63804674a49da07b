"""Input checking that collects every field error before anything is written."""

from __future__ import annotations

import re
import unicodedata
import uuid
from collections.abc import Iterable
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import Enum, StrEnum
from typing import Final, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy.ext.asyncio import AsyncSession
from typing_extensions import TypeIs

from tenants.base import TenantBase
from tenants.errors import DomainError, ErrorCode, FieldError

NAME_MAX: Final = 200
_ZONE = re.compile(r"^[A-Za-z][A-Za-z0-9_+\-]*(/[A-Za-z0-9_+\-]+){0,2}$")
TEXT_MAX: Final = 5000
LIST_MAX: Final = 100
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")

E = TypeVar("E", bound=StrEnum)
M = TypeVar("M", bound=TenantBase)
T = TypeVar("T")


class Unset(Enum):
    """The type of `UNSET`: an update argument that was not given."""

    TOKEN = 0


UNSET: Final = Unset.TOKEN


# Bidirectional embeddings, overrides and isolates reorder how text is displayed
# ("Trojan Source"): a name in a report could read differently from what is stored.
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _has_control(value: str, *, multiline: bool) -> bool:
    """Control characters, lone surrogates (not encodable) and bidi overrides."""
    allowed = "\n\t" if multiline else ""
    return any(
        (unicodedata.category(ch) in ("Cc", "Cs") and ch not in allowed) or ch in _BIDI_CONTROLS
        for ch in value
    )


class Collector:
    """Accumulates `FieldError`s; `raise_if_any()` raises them together."""

    def __init__(self) -> None:
        self.errors: list[FieldError] = []

    def add(self, field: str | None, message: str, code: ErrorCode = ErrorCode.VALIDATION) -> None:
        self.errors.append(FieldError(field, code, message))

    def has(self, field: str) -> bool:
        return any(e.field == field for e in self.errors)

    def raise_if_any(self) -> None:
        if self.errors:
            raise DomainError(list(self.errors))

    def text(
        self, field: str, value: str, *, max_length: int = NAME_MAX, multiline: bool = False
    ) -> str:
        """A required string: stripped, not blank, bounded, no control characters."""
        cleaned = self.optional_text(field, value, max_length=max_length, multiline=multiline)
        if cleaned is None:
            if not self.has(field):
                self.add(field, "must not be blank")
            return ""
        return cleaned

    def time_zone(self, field: str, value: str) -> str:
        """An IANA time zone name such as Europe/London (the stripped name, or "").

        The name is bounded and shaped before ZoneInfo reads the file it names: an
        over-long one is an OSError there, which would otherwise read as an outage.
        """
        zone = self.text(field, value, max_length=64)
        if not zone or self.has(field):
            return zone
        try:
            if not _ZONE.match(zone):
                raise ValueError(zone)
            ZoneInfo(zone)
        except (ZoneInfoNotFoundError, ValueError, OSError):
            self.add(field, "must be an IANA time zone such as Europe/London")
        return zone

    def optional_text(
        self,
        field: str,
        value: str | None,
        *,
        max_length: int = NAME_MAX,
        multiline: bool = False,
    ) -> str | None:
        """An optional string: stripped; blank becomes None."""
        if value is None:
            return None
        if multiline:
            value = value.replace("\r\n", "\n")
        cleaned = value.strip()
        if _has_control(cleaned, multiline=multiline):
            self.add(field, "must not contain control characters")
            return None
        if len(cleaned) > max_length:
            self.add(field, f"must be at most {max_length} characters")
            return None
        return cleaned or None

    def long_text(self, field: str, value: str | None) -> str | None:
        return self.optional_text(field, value, max_length=TEXT_MAX, multiline=True)

    def text_list(
        self, field: str, values: Iterable[str], *, max_length: int = NAME_MAX
    ) -> list[str]:
        """Non-blank, bounded strings; blanks are errors, order is kept."""
        items = list(values)
        if len(items) > LIST_MAX:
            self.add(field, f"must have at most {LIST_MAX} items")
            return []
        return [self.text(f"{field}[{i}]", v, max_length=max_length) for i, v in enumerate(items)]

    def email(self, field: str, value: str | None) -> str | None:
        cleaned = self.optional_text(field, value, max_length=320)
        if cleaned is not None and not _EMAIL.match(cleaned):
            self.add(field, "is not an email address")
            return None
        return cleaned

    def enum(self, field: str, enum_cls: type[E], value: object) -> E:
        """Coerce a value (an enum member or its lowercase value) to `enum_cls`."""
        try:
            return enum_cls(value)  # type: ignore[arg-type]
        except (ValueError, TypeError):
            allowed = ", ".join(m.value for m in enum_cls)
            self.add(field, f"must be one of: {allowed}")
            return next(iter(enum_cls))

    def int_range(self, field: str, value: int, low: int, high: int) -> int:
        if isinstance(value, bool) or not low <= value <= high:
            self.add(field, f"must be between {low} and {high}")
        return value

    def decimal_range(
        self, field: str, value: Decimal | int | float | str, low: int, high: int, places: int
    ) -> Decimal:
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            self.add(field, "must be a number")
            return Decimal(0)
        if not number.is_finite() or not Decimal(low) <= number <= Decimal(high):
            self.add(field, f"must be between {low} and {high}")
        elif -number.as_tuple().exponent > places:  # type: ignore[operator]
            self.add(field, f"must have at most {places} decimal places")
        return number

    def dates_ordered(
        self, start: date | None, end_field: str, end: date | None, *, message: str | None = None
    ) -> None:
        """`end` must not be before `start`; the error names the end field."""
        if start is not None and end is not None and end < start:
            self.add(end_field, message or "must not be before the start date")

    async def load(
        self,
        session: AsyncSession,
        model: type[M],
        id_: uuid.UUID | None,
        field: str,
        *,
        allow_archived: bool = False,
    ) -> M | None:
        """The row with this id in the tenant schema, or None with an error recorded."""
        if id_ is None:
            return None
        obj = await session.get(model, id_)
        if obj is None:
            self.add(field, "not found", ErrorCode.NOT_FOUND)
            return None
        if not allow_archived and getattr(obj, "archived_at", None) is not None:
            self.add(field, "is archived")
            return None
        return obj


def given(value: T | Unset) -> TypeIs[T]:
    """Whether an update argument was passed (is not `UNSET`)."""
    return not isinstance(value, Unset)
