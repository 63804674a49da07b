"""A tenant's report branding: validated, versioned, audited; one row per tenant schema."""

from __future__ import annotations

import base64
import binascii
import re
import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from tenants.errors import conflict
from tenants.models import ReportBranding
from tenants.services.audit import Actor, record_audit, snapshot
from tenants.services.persistence import STALE_MESSAGE, apply, guarded_write
from tenants.services.validation import Collector

BRANDING_ID = 1
BRANDING_AUDIT_ID = uuid.uuid5(uuid.NAMESPACE_URL, "steward:report-branding")
#: Languages a report can be written in (jobs/i18n holds a complete catalogue for each).
REPORT_LOCALES = ("en", "de")
MAX_LOGO_BYTES = 512 * 1024
# Raster only: an SVG can carry scripts and external references into every report.
_LOGO_MAGIC = {"image/png": b"\x89PNG\r\n\x1a\n", "image/jpeg": b"\xff\xd8\xff"}
_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


def _check_logo(c: Collector, logo_base64: str | None, logo_type: str | None) -> bytes | None:
    if logo_type is not None and logo_type not in _LOGO_MAGIC:
        c.add("logoType", "must be PNG or JPEG")
    if logo_base64 is None:
        if logo_type is not None:
            c.add("logoType", "goes with logoBase64")
        return None
    try:
        data = base64.b64decode(logo_base64, validate=True)
    except (binascii.Error, ValueError):
        c.add("logoBase64", "must be base64")
        return None
    if not data:
        c.add("logoBase64", "is empty")
    elif len(data) > MAX_LOGO_BYTES:
        c.add("logoBase64", f"must be at most {MAX_LOGO_BYTES // 1024} KiB")
    elif not data.startswith(tuple(_LOGO_MAGIC.values())):
        c.add("logoBase64", "must be a PNG or JPEG image")
    elif logo_type is None:
        c.add("logoType", "must be given with logoBase64: PNG or JPEG")
    elif logo_type in _LOGO_MAGIC and not data.startswith(_LOGO_MAGIC[logo_type]):
        c.add("logoBase64", f"is not a {logo_type} image")
    return data


def _check_rest(c: Collector, *, accent_colour: str, timezone: str, locale: str) -> str:
    """Checks colour, zone and language; returns the zone as stored (stripped)."""
    if not _COLOUR.match(accent_colour):
        c.add("accentColour", "must be a colour like #1565c0")
    zone = c.time_zone("timezone", timezone)
    if locale not in REPORT_LOCALES:
        c.add("locale", f"must be one of {', '.join(REPORT_LOCALES)}")
    return zone


def _redacted(row: ReportBranding) -> dict[str, Any]:
    """The row for the audit trail: the logo by its size (the API's logoBytes), not its bytes."""
    values = snapshot(row)
    values.pop("logo", None)
    return values | {"logo_bytes": len(row.logo) if row.logo else None}


async def configure_report_branding(
    session: AsyncSession,
    *,
    actor: Actor,
    expected_version: int | None,
    name: str,
    accent_colour: str = "#1565c0",
    footer_text: str | None = None,
    confidentiality_text: str | None = None,
    logo_base64: str | None = None,
    logo_type: str | None = None,
    remove_logo: bool = False,
    timezone: str = "UTC",
    locale: str = "en",
) -> ReportBranding:
    """Create or replace the branding; a logo not sent is kept unless `remove_logo`."""
    c = Collector()
    clean_name = c.text("name", name, max_length=200)
    footer = c.optional_text("footerText", footer_text, max_length=300)
    confidentiality = c.optional_text("confidentialityText", confidentiality_text, max_length=300)
    logo = _check_logo(c, logo_base64, logo_type)
    zone = _check_rest(c, accent_colour=accent_colour, timezone=timezone, locale=locale)
    c.raise_if_any()
    row = await session.get(ReportBranding, BRANDING_ID)
    before = _redacted(row) if row is not None else None
    if expected_version != (row.version if row is not None else None):
        raise conflict("version", STALE_MESSAGE)
    changes: dict[str, Any] = {
        "name": clean_name,
        "accent_colour": accent_colour.lower(),
        "footer_text": footer,
        "confidentiality_text": confidentiality,
        "timezone": zone,
        "locale": locale,
    }
    if logo is not None:
        changes |= {"logo": logo, "logo_type": logo_type}
    elif remove_logo:
        changes |= {"logo": None, "logo_type": None}
    async with guarded_write(session, {"pk_report_brandings": conflict("version", STALE_MESSAGE)}):
        if row is None:
            row = ReportBranding(id=BRANDING_ID, **changes)
            session.add(row)
        else:
            apply(row, changes)
    await session.flush()
    await record_audit(
        session,
        actor=actor,
        action="configure" if before else "create",
        obj=row,
        before=before,
        after=_redacted(row),
        object_id=BRANDING_AUDIT_ID,
    )
    await session.flush()
    return row
