"""How a tenant (a consultancy) presents its readiness reports."""

from __future__ import annotations

from sqlalchemy import CheckConstraint, LargeBinary, SmallInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from tenants.base import TenantBase, Timestamps, Versioned


class ReportBranding(Timestamps, Versioned, TenantBase):
    """The one row of a tenant's report branding (`id` is always 1); no row means the
    defaults: Steward's name and colour, UTC, English."""

    __tablename__ = "report_brandings"
    __table_args__ = (
        CheckConstraint("id = 1", name="singleton"),
        CheckConstraint("accent_colour ~ '^#[0-9a-f]{6}$'", name="accent_colour_hex"),
        CheckConstraint("(logo IS NULL) = (logo_type IS NULL)", name="logo_with_type"),
    )

    id: Mapped[int] = mapped_column(SmallInteger, primary_key=True, default=1)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    accent_colour: Mapped[str] = mapped_column(String(7), nullable=False, default="#1565c0")
    footer_text: Mapped[str | None] = mapped_column(String(300))
    confidentiality_text: Mapped[str | None] = mapped_column(String(300))
    logo: Mapped[bytes | None] = mapped_column(LargeBinary)
    logo_type: Mapped[str | None] = mapped_column(String(40))
    timezone: Mapped[str] = mapped_column(String(64), nullable=False, default="UTC")
    locale: Mapped[str] = mapped_column(String(10), nullable=False, default="en")
