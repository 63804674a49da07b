"""Loading targets, optimistic version checks and flushing with constraint mapping."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any, TypeVar

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.exc import StaleDataError

from tenants.base import TenantBase
from tenants.errors import DomainError, conflict, not_found, validation

M = TypeVar("M", bound=TenantBase)

STALE_MESSAGE = "was changed by someone else; reload and try again"


def utcnow() -> datetime:
    return datetime.now(UTC)


async def load_target(
    session: AsyncSession,
    model: type[M],
    id_: uuid.UUID,
    *,
    expected_version: int | None = None,
    field: str = "id",
    allow_archived: bool = False,
) -> M:
    """The object a mutation changes: NOT_FOUND, archived or stale version raise at once."""
    obj = await session.get(model, id_)
    if obj is None:
        raise not_found(field)
    if not allow_archived and getattr(obj, "archived_at", None) is not None:
        raise validation(field, "is archived")
    if expected_version is not None and obj.version != expected_version:  # type: ignore[attr-defined]
        raise conflict("version", STALE_MESSAGE)
    return obj


def check_whole_version(row: TenantBase | None, expected_version: int | None) -> None:
    """The version check of a row written whole (created once, then replaced): a client that
    has seen no row yet sends None, which is stale as soon as someone created it."""
    if expected_version != (row.version if row is not None else None):  # type: ignore[attr-defined]
        raise conflict("version", STALE_MESSAGE)


async def write_whole(
    session: AsyncSession,
    model: type[M],
    row: M | None,
    changes: Mapping[str, Any],
    *,
    key: Mapping[str, Any],
    unique: str,
) -> M:
    """Insert `model(**key, **changes)` when there is no row yet, else apply `changes` to it.

    Two first writes racing (both sent version None): the loser's INSERT violates the
    `unique` constraint on `key`, which is the same stale version, so the same CONFLICT."""
    async with guarded_write(session, {unique: conflict("version", STALE_MESSAGE)}):
        if row is None:
            row = model(**key, **changes)
            session.add(row)
        else:
            apply(row, changes)
    return row


def apply(obj: TenantBase, changes: Mapping[str, Any]) -> bool:
    """Set the attributes that differ; bump `updated_at` in Python when any did.

    Setting it here (rather than relying on `onupdate=now()`) keeps the attribute
    loaded after flush, so reading it later needs no lazy load in async code.
    """
    changed = False
    for key, value in changes.items():
        if getattr(obj, key) != value:
            setattr(obj, key, value)
            changed = True
    if changed and hasattr(obj, "updated_at"):
        obj.updated_at = utcnow()
    return changed


def constraint_name(exc: IntegrityError) -> str | None:
    cause = getattr(exc.orig, "__cause__", None)
    name = getattr(cause, "constraint_name", None) or getattr(exc.orig, "constraint_name", None)
    return name if isinstance(name, str) else None


@asynccontextmanager
async def guarded_write(
    session: AsyncSession, constraints: Mapping[str, DomainError] | None = None
) -> AsyncIterator[None]:
    """Make the changes inside a SAVEPOINT and flush them there.

    A violation of one of `constraints` (by name) rolls back only the savepoint and
    raises the mapped DomainError, so the caller's transaction stays usable; a stale
    version (the UPDATE matched no row) is a CONFLICT on `version`.
    """
    try:
        async with session.begin_nested():
            yield
    except IntegrityError as exc:
        name = constraint_name(exc)
        known = constraints or {}
        if name is not None and name in known:
            raise known[name] from exc
        for key, error in known.items():
            if key in str(exc.orig):
                raise error from exc
        raise
    except StaleDataError as exc:
        raise conflict("version", STALE_MESSAGE) from exc
