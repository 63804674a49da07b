"""Declarative bases: one for platform tables in `public`, one for tenant tables.

Tenant tables are declared without a schema. At run time every tenant session
either sets `search_path` to the tenant's schema or maps the `None` schema to it
(`schema_translate_map`; tenants/session.py), so an unbound session would address
`public`, where no tenant table exists: it fails closed instead of reading a
neighbour.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, ForeignKey, Integer, MetaData, func
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import DeclarativeBase, Mapped, MappedColumn, declared_attr, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class PlatformBase(DeclarativeBase):
    """Tables of the `public` schema: the tenant registry and platform records."""

    metadata = MetaData(schema="public", naming_convention=NAMING_CONVENTION)


class TenantBase(DeclarativeBase):
    """Tables that exist once per tenant schema."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class UUIDPrimaryKey:
    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True, default=uuid.uuid4)


def references(
    target: str, *, ondelete: str | None = None, primary_key: bool = False
) -> MappedColumn[Any]:
    """A UUID column with a foreign key to `target` ("table.id"), named by the convention.

    Whether it may be null follows the attribute's annotation (`Mapped[uuid.UUID]` is
    NOT NULL, `Mapped[uuid.UUID | None]` nullable), as for any `mapped_column`."""
    return mapped_column(
        UUID(as_uuid=True), ForeignKey(target, ondelete=ondelete), primary_key=primary_key
    )


class Timestamps:
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), nullable=False
    )
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now(), nullable=False
    )


class Versioned:
    """Optimistic concurrency: every UPDATE is `... WHERE version = :seen`.

    Mutations also compare the version the client last saw before writing, so a
    stale edit is a CONFLICT error and never a silent overwrite.
    """

    version: Mapped[int] = mapped_column(Integer, nullable=False)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        return {"version_id_col": cls.__table__.c.version}  # type: ignore[attr-defined]
