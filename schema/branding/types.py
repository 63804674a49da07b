"""The tenant's readiness report branding."""

from __future__ import annotations

from enum import Enum

import strawberry

from schema.audit.shape import register_audit_shape
from schema.enums import documented_enum
from schema.from_model import FromModel
from tenants.models import ReportBranding

DEFAULT_ACCENT = "#1565c0"


@documented_enum(
    "The language a readiness report is written in.",
    {
        "EN": "English.",
        "DE": "German.",
    },
)
class ReportLocale(Enum):
    EN = "en"
    DE = "de"


@documented_enum(
    "The image format of a report logo.",
    {
        "PNG": "A PNG image (image/png).",
        "JPEG": "A JPEG image (image/jpeg).",
    },
)
class LogoFormat(Enum):
    PNG = "image/png"
    JPEG = "image/jpeg"


@strawberry.type(
    name="ReportBranding", description="How the consultancy's readiness reports look and read."
)
class ReportBrandingType(FromModel):
    name: str | None = strawberry.field(
        description="The consultancy as reports name it; null until configured (the tenant's"
        " name is used)."
    )
    accent_colour: str = strawberry.field(description="Headings and charts, e.g. #1565c0.")
    footer_text: str | None = strawberry.field(
        description="Printed at the foot of every page; null: none."
    )
    confidentiality_text: str | None = strawberry.field(
        description="Printed on the cover and at the top of every page."
    )
    logo_type: LogoFormat | None = strawberry.field(
        description="The logo's format; null when there is no logo."
    )
    logo_bytes: int | None = strawberry.field(
        description="The logo's size; the image is write-only."
    )
    timezone: str = strawberry.field(description="IANA time zone of report dates.")
    locale: ReportLocale = strawberry.field(
        description="The default language of readiness reports."
    )
    version: int | None = strawberry.field(
        description="Send it back with changes; null until the branding is first configured."
    )

    @classmethod
    def default(cls) -> ReportBrandingType:
        return cls(
            name=None,
            accent_colour=DEFAULT_ACCENT,
            footer_text=None,
            confidentiality_text=None,
            logo_type=None,
            logo_bytes=None,
            timezone="UTC",
            locale=ReportLocale.EN,
            version=None,
        )

    FROM_MODEL = {
        "logo_type": lambda o: None if o.logo_type is None else LogoFormat(o.logo_type),
        "logo_bytes": lambda o: len(o.logo) if o.logo is not None else None,
        "locale": lambda o: ReportLocale(o.locale),
    }


# Not a node, but audited: the trail names its columns by these fields.
register_audit_shape(ReportBrandingType, ReportBranding, "ReportBranding")
