"""Vendor agreements and the ownership clauses they must contain."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import Boolean, CheckConstraint, Date, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, MappedColumn, mapped_column

from tenants.base import TenantBase, Timestamps, UUIDPrimaryKey, Versioned, references
from tenants.models.enums import ResponsibleParty, enum_type

CLAUSES = ("monitoring", "incident_response", "updates", "data_governance")


def _party(clause: str) -> MappedColumn[ResponsibleParty]:
    """The party responsible for one of `CLAUSES`: unspecified (the gap readiness reports)
    until the agreement names one."""
    return mapped_column(
        enum_type(ResponsibleParty, f"{clause}_party"),
        nullable=False,
        default=ResponsibleParty.UNSPECIFIED,
    )


class VendorAgreement(UUIDPrimaryKey, Timestamps, Versioned, TenantBase):
    """Each clause names a responsible party and its terms; `unspecified` is a gap."""

    __tablename__ = "vendor_agreements"
    __table_args__ = (
        CheckConstraint(
            "ends_on IS NULL OR starts_on IS NULL OR ends_on >= starts_on", name="dates_ordered"
        ),
        CheckConstraint(
            "incident_response_hours IS NULL OR incident_response_hours >= 0",
            name="incident_response_hours_nonnegative",
        ),
        Index("ix_vendor_agreements_client_id_created_at_id", "client_id", "created_at", "id"),
        Index("ix_vendor_agreements_renewal_on", "renewal_on"),
    )

    client_id: Mapped[uuid.UUID] = references("client_organisations.id")
    vendor: Mapped[str] = mapped_column(String(200), nullable=False)
    product: Mapped[str | None] = mapped_column(String(200))
    starts_on: Mapped[date | None] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    renewal_on: Mapped[date | None] = mapped_column(Date)
    auto_renews: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)

    monitoring_party: Mapped[ResponsibleParty] = _party("monitoring")
    monitoring_terms: Mapped[str | None] = mapped_column(Text)
    incident_response_party: Mapped[ResponsibleParty] = _party("incident_response")
    incident_response_terms: Mapped[str | None] = mapped_column(Text)
    incident_response_hours: Mapped[int | None] = mapped_column(Integer)
    updates_party: Mapped[ResponsibleParty] = _party("updates")
    updates_terms: Mapped[str | None] = mapped_column(Text)
    data_governance_party: Mapped[ResponsibleParty] = _party("data_governance")
    data_governance_terms: Mapped[str | None] = mapped_column(Text)


class VendorAgreementProcess(TenantBase):
    """Which processes an agreement covers."""

    __tablename__ = "vendor_agreement_processes"
    __table_args__ = (Index("ix_vendor_agreement_processes_process_id", "process_id"),)

    agreement_id: Mapped[uuid.UUID] = references(
        "vendor_agreements.id", ondelete="CASCADE", primary_key=True
    )
    process_id: Mapped[uuid.UUID] = references("ai_processes.id", primary_key=True)
