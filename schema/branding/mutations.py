"""`configureReportBranding`: the consultancy's name, logo, colour, footer, zone, language."""

from __future__ import annotations

import strawberry

from schema.branding.types import LogoFormat, ReportBrandingType, ReportLocale
from schema.input_fields import optional
from schema.mutation_support import stored_value, write_mutation
from schema.payloads import Payload, written_payload
from schema.row_writes import tenant_settings
from tenants.services.branding import configure_report_branding


@strawberry.input(description="The whole branding; a logo not sent is kept.")
class ConfigureReportBrandingInput:
    version: int | None = strawberry.field(
        description="The version you last saw; null when configuring for the first time."
    )
    name: str = strawberry.field(description="The consultancy as reports name it.")
    accent_colour: str = strawberry.field(
        default="#1565c0", description="Headings and charts, e.g. #1565c0."
    )
    footer_text: str | None = optional("Printed at the foot of every page; null: none.")
    confidentiality_text: str | None = optional(
        "Printed on the cover and at the top of every page."
    )
    logo_base64: str | None = optional("A PNG or JPEG of at most 512 KiB, base64-encoded.")
    logo_type: LogoFormat | None = optional("The format of `logoBase64`; required with it.")
    remove_logo: bool = strawberry.field(
        default=False, description="true: drop the stored logo (logoBase64 must then be omitted)."
    )
    timezone: str = strawberry.field(default="UTC", description="IANA time zone of report dates.")
    locale: ReportLocale = strawberry.field(
        default=ReportLocale.EN, description="The default language of readiness reports."
    )


@written_payload("report_branding", ReportBrandingType, "configureReportBranding")
class ReportBrandingPayload(Payload):
    pass


# Enum inputs as the values the service stores.
_STORED = {"logo_type": stored_value, "locale": stored_value}


@strawberry.type
class ReportBrandingMutation:
    configure_report_branding = write_mutation(
        ConfigureReportBrandingInput,
        ReportBrandingPayload,
        tenant_settings(configure_report_branding, convert=_STORED),
        description="Set how readiness reports look. Admins only.",
    )
