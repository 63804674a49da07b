"""Who owns what: an owner's RACI role on a process, for a period."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from sqlalchemy import CheckConstraint, Date, Index, Numeric, String, text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column

from tenants.base import TenantBase, Timestamps, UUIDPrimaryKey, Versioned, references
from tenants.models.enums import RaciRole, Responsibility, enum_type

_KNOWN_RESPONSIBILITIES = ",".join(f"'{r.value}'" for r in Responsibility)

# The name the services match an IntegrityError against.
CURRENT_ACCOUNTABLE_INDEX = "uq_ownership_assignments_current_accountable"


class OwnershipAssignment(UUIDPrimaryKey, Timestamps, Versioned, TenantBase):
    """An assignment is in effect on day d when `starts_on <= d < ends_on` (open if null).

    Assignments are ended (ends_on set), never deleted or overwritten, so the history
    of who owned a process stays. "Current" in the database's rule means `ends_on IS
    NULL`: at most one such accountable assignment per process.
    """

    __tablename__ = "ownership_assignments"
    __table_args__ = (
        CheckConstraint(
            "hours_per_week >= 0 AND hours_per_week <= 80", name="hours_per_week_range"
        ),
        CheckConstraint("ends_on IS NULL OR ends_on >= starts_on", name="dates_ordered"),
        CheckConstraint(
            f"responsibilities <@ ARRAY[{_KNOWN_RESPONSIBILITIES}]::varchar[]",
            name="responsibilities_known",
        ),
        Index(
            CURRENT_ACCOUNTABLE_INDEX,
            "process_id",
            unique=True,
            postgresql_where=text("raci_role = 'accountable' AND ends_on IS NULL"),
        ),
        Index("ix_ownership_assignments_process_id_starts_on", "process_id", "starts_on", "id"),
        Index("ix_ownership_assignments_owner_id_starts_on", "owner_id", "starts_on", "id"),
    )

    owner_id: Mapped[uuid.UUID] = references("owners.id")
    process_id: Mapped[uuid.UUID] = references("ai_processes.id")
    raci_role: Mapped[RaciRole] = mapped_column(enum_type(RaciRole, "raci_role"), nullable=False)
    # Values of `Responsibility`; a CHECK keeps unknown ones out.
    responsibilities: Mapped[list[str]] = mapped_column(
        ARRAY(String(32)), nullable=False, default=list
    )
    hours_per_week: Mapped[Decimal] = mapped_column(Numeric(5, 2), nullable=False)
    starts_on: Mapped[date] = mapped_column(Date, nullable=False)
    ends_on: Mapped[date | None] = mapped_column(Date)

    def in_effect_on(self, day: date) -> bool:
        return self.starts_on <= day and (self.ends_on is None or day < self.ends_on)
