"""The column and constraint shapes both migration histories repeat, declared once.

Frozen with the histories: every revision that uses a helper renders its DDL through
it, so changing one changes what past revisions create. A new shape gets a new
helper; an old one never changes (the models may move on, a migration must not).
Names are given explicitly, as `op.f(...)`, so that no naming convention of the
models decides what a past revision called its constraints.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

Column = sa.Column[Any]


def uuid(name: str = "id", *, nullable: bool = False) -> Column:
    """A uuid column (by default the `id` primary key column)."""
    return sa.Column(name, sa.UUID(), nullable=nullable)


def now(name: str) -> Column:
    """A required timestamp that defaults to the time of the insert."""
    return sa.Column(
        name, sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False
    )


def stamp(name: str, *, nullable: bool = True) -> Column:
    """A timestamp with time zone, without a default."""
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def text(name: str, *, nullable: bool = True) -> Column:
    return sa.Column(name, sa.Text(), nullable=nullable)


def string(name: str, length: int, *, nullable: bool = False) -> Column:
    return sa.Column(name, sa.String(length=length), nullable=nullable)


def jsonb(name: str, *, nullable: bool = False) -> Column:
    return sa.Column(name, postgresql.JSONB(astext_type=sa.Text()), nullable=nullable)


def enum(name: str, *values: str, nullable: bool = False, type_name: str | None = None) -> Column:
    """A closed set stored as a varchar(32) with a CHECK constraint (not a native enum)."""
    kind = sa.Enum(
        *values,
        name=type_name or name,
        native_enum=False,
        create_constraint=True,
        length=32,
    )
    return sa.Column(name, kind, nullable=nullable)


def tenant_id(table: str) -> Column:
    """A platform row's tenant (public.tenants), deleted with it."""
    target = sa.ForeignKey(
        "public.tenants.id", ondelete="CASCADE", name=f"fk_{table}_tenant_id_tenants"
    )
    return sa.Column("tenant_id", postgresql.UUID(as_uuid=True), target, nullable=False)


def versioned() -> list[Column]:
    """created_at, updated_at and the optimistic-locking version of an editable row."""
    return [
        now("created_at"),
        now("updated_at"),
        sa.Column("version", sa.Integer(), nullable=False),
    ]


def record() -> list[Column]:
    """The uuid id then `versioned()`: the columns every editable domain row ends with."""
    return [uuid(), *versioned()]


def pk(table: str, *columns: str) -> sa.PrimaryKeyConstraint:
    """The primary key, on `id` unless columns are named."""
    return sa.PrimaryKeyConstraint(*(columns or ("id",)), name=op.f(f"pk_{table}"))


def fk(
    table: str, column: str, target: str, *, ondelete: str | None = None
) -> sa.ForeignKeyConstraint:
    """`table.column` references `target.id`, named fk_<table>_<column>_<target>."""
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}"), ondelete=ondelete
    )


def check(table: str, name: str, condition: str) -> sa.CheckConstraint:
    """A CHECK constraint named ck_<table>_<name>."""
    return sa.CheckConstraint(condition, name=op.f(f"ck_{table}_{name}"))


def unique(table: str, *columns: str) -> sa.UniqueConstraint:
    """A UNIQUE constraint named uq_<table>_<columns>."""
    return sa.UniqueConstraint(*columns, name=op.f(f"uq_{table}_{'_'.join(columns)}"))


def record_table(table: str, *items: Any) -> None:
    """Create a domain table: its own columns, then `record()`, then its constraints.

    The primary key on `id` is added; `items` are the table's own columns in order,
    followed by its other constraints.
    """
    columns = [item for item in items if isinstance(item, sa.Column)]
    constraints = [item for item in items if not isinstance(item, sa.Column)]
    op.create_table(table, *columns, *record(), *constraints, pk(table))


def index(table: str, *columns: str, name: str | None = None) -> None:
    """A plain index on `columns`, named ix_<table>_<columns> unless `name` is given."""
    op.create_index(name or f"ix_{table}_{'_'.join(columns)}", table, list(columns))


def partial_unique(name: str, table: str, columns: list[Any], where: str) -> None:
    """A unique index over the rows `where` holds (a rule about live rows only)."""
    op.create_index(name, table, columns, unique=True, postgresql_where=sa.text(where))


def drop(table: str, *indexes: str) -> None:
    """Drop the named indexes of `table`, then the table (a downgrade's last step)."""
    for index in indexes:
        op.drop_index(index, table_name=table)
    op.drop_table(table)
