"""Translating GraphQL input conventions into service arguments."""

from __future__ import annotations

from typing import Any, TypeVar

import strawberry

from tenants.errors import validation
from tenants.services.validation import UNSET as SERVICE_UNSET

T = TypeVar("T")


def given(value: T | None) -> Any:
    """Update inputs: an omitted field (Strawberry UNSET) is left unchanged.

    An explicit null stays None, which clears a nullable field.
    """
    return SERVICE_UNSET if value is strawberry.UNSET else value


def required(value: T | None, field: str) -> Any:
    """Update inputs, non-nullable fields: omitted is unchanged, null is a VALIDATION error."""
    if value is strawberry.UNSET:
        return SERVICE_UNSET
    if value is None:
        raise validation(field, "must not be null")
    return value


def or_default(value: T | None, default: T) -> T:
    """Create inputs: an omitted or null optional field takes the service default."""
    if value is strawberry.UNSET or value is None:
        return default
    return value
