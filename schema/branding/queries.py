from __future__ import annotations

import strawberry
from sqlalchemy import false, func, literal, select, true

from schema.branding.types import DEFAULT_ACCENT, ReportBrandingType
from schema.compiled.sql import Related, Row, Source, context, sql
from schema.context import Info
from tenants.models import ReportBranding
from tenants.services.branding import BRANDING_ID


def _branding() -> Source:
    """The branding row, or ReportBrandingType.default()'s values without one; staff only."""
    b = Row.of(ReportBranding).entity
    one = select(literal(1).label("one")).subquery("one")
    lat = (
        select(
            b.name.label("name"),
            func.coalesce(b.accent_colour, DEFAULT_ACCENT).label("accent_colour"),
            b.footer_text.label("footer_text"),
            b.confidentiality_text.label("confidentiality_text"),
            b.logo_type.label("logo_type"),
            func.length(b.logo).label("logo_bytes"),
            func.coalesce(b.timezone, "UTC").label("timezone"),
            func.upper(func.coalesce(b.locale, "en")).label("locale"),
            b.version.label("version"),
        )
        .select_from(one.outerjoin(b, b.id == BRANDING_ID))
        .where(true() if context().is_staff else false())
        .correlate_except(one, b)
        .lateral()
    )
    return Source(Row(lat), froms=[lat])


@strawberry.type
class ReportBrandingQuery:
    @strawberry.field(
        description="The readiness report branding (defaults until configured); staff only.",
        metadata=sql(Related(lambda _row, _args: _branding())),
    )
    async def report_branding(self, info: Info) -> ReportBrandingType | None:
        if not info.context.principal.is_staff:
            return None
        row = await info.context.db.get(ReportBranding, BRANDING_ID)
        return ReportBrandingType.from_model(row) if row else ReportBrandingType.default()
