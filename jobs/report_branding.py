"""What a readiness report job needs to dress the report: the tenant's branding and the
client's lead consultant."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from jobs.rendering.document import Branding
from tenants.models import ClientOrganisation, ReportBranding
from tenants.services.branding import BRANDING_ID


async def load_branding(db: AsyncSession, *, tenant_name: str) -> Branding:
    """The tenant's branding; without a configured one, its registry name and defaults."""
    row = await db.get(ReportBranding, BRANDING_ID)
    if row is None:
        return Branding(name=tenant_name)
    return Branding(
        name=row.name,
        accent=row.accent_colour,
        footer=row.footer_text or "",
        confidentiality=row.confidentiality_text or "",
        logo=row.logo,
        logo_type=row.logo_type,
        time_zone=row.timezone,
        locale=row.locale,
    )


async def lead_consultant(db: AsyncSession, *, client_id: uuid.UUID) -> str | None:
    c = ClientOrganisation
    value: str | None = await db.scalar(select(c.lead_consultant).where(c.id == client_id))
    return value
