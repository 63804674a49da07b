"""A tenant's report branding: validated, versioned, audited; one row per tenant schema."""

from __future__ import annotations

import base64
import binascii
import re
import uuid
from collections.abc import Mapping
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from tenants.models import ReportBranding
from tenants.services.audit import Actor, record_audit, snapshot
from tenants.services.changes import Changes, Rule
from tenants.services.persistence import check_whole_version, write_whole
from tenants.services.validation import Collector

BRANDING_ID = 1
BRANDING_AUDIT_ID = uuid.uuid5(uuid.NAMESPACE_URL, "steward:report-branding")
#: Languages a report can be written in (jobs/i18n holds a complete catalogue for each).
REPORT_LOCALES = ("en", "de")
MAX_LOGO_BYTES = 512 * 1024
# Raster only: an SVG can carry scripts and external references into every report.
_LOGO_MAGIC = {"image/png": b"\x89PNG\r\n\x1a\n", "image/jpeg": b"\xff\xd8\xff"}
_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


def _logo(c: Collector, field: str, logo_base64: str) -> bytes | None:
    """The logo's bytes: base64 of a PNG or JPEG of at most MAX_LOGO_BYTES."""
    try:
        data = base64.b64decode(logo_base64, validate=True)
    except (binascii.Error, ValueError):
        c.add(field, "must be base64")
        return None
    if not data:
        c.add(field, "is empty")
    elif len(data) > MAX_LOGO_BYTES:
        c.add(field, f"must be at most {MAX_LOGO_BYTES // 1024} KiB")
    elif not data.startswith(tuple(_LOGO_MAGIC.values())):
        c.add(field, "must be a PNG or JPEG image")
    return data


def _logo_type(c: Collector, field: str, value: str) -> str:
    if value not in _LOGO_MAGIC:
        c.add(field, "must be PNG or JPEG")
    return value


def _logo_typed(c: Collector, row: Mapping[str, Any]) -> None:
    """A logo and its type go together, and the bytes are of that type."""
    logo, logo_type = row["logo_base64"], row["logo_type"]
    if c.has("logo_base64"):
        return
    if logo is None:
        if logo_type is not None:
            c.add("logo_type", "goes with logoBase64")
    elif logo_type is None:
        c.add("logo_type", "must be given with logoBase64: PNG or JPEG")
    elif logo_type in _LOGO_MAGIC and not logo.startswith(_LOGO_MAGIC[logo_type]):
        c.add("logo_base64", f"is not a {logo_type} image")


def _colour(c: Collector, field: str, value: str) -> str:
    if not _COLOUR.match(value):
        c.add(field, "must be a colour like #1565c0")
    return value.lower()


def _short_text(c: Collector, field: str, value: str) -> str | None:
    return c.optional_text(field, value, max_length=300)


def _time_zone(c: Collector, field: str, value: str) -> str:
    return c.time_zone(field, value)


def _locale(c: Collector, field: str, value: str) -> str:
    if value not in REPORT_LOCALES:
        c.add(field, f"must be one of {', '.join(REPORT_LOCALES)}")
    return value


def _name(c: Collector, field: str, value: str) -> str:
    return c.text(field, value, max_length=200)


# The branding's fields, checked only: it is one row written whole (created, or replaced as
# `configure`), its logo audited by size, so the write is its own. `logo_base64` is checked
# into the logo's bytes; a logo not sent is kept unless `remove_logo`.
BRANDING_CHANGES = Changes(
    ReportBranding,
    Rule("name", _name, nullable=False),
    Rule("accent_colour", _colour, nullable=False, default="#1565c0"),
    Rule("footer_text", _short_text),
    Rule("confidentiality_text", _short_text),
    Rule("logo_base64", _logo),
    Rule("logo_type", _logo_type),
    Rule("remove_logo", nullable=False, default=False),
    Rule("timezone", _time_zone, nullable=False, default="UTC"),
    Rule("locale", _locale, nullable=False, default="en"),
    cross=[_logo_typed],
)


def _logo_changes(changes: dict[str, Any]) -> dict[str, Any]:
    """The row's values from the checked fields: the logo set, removed or (omitted) kept."""
    logo, remove = changes.pop("logo_base64"), changes.pop("remove_logo")
    if logo is not None:
        return changes | {"logo": logo}
    if remove:
        return changes | {"logo": None, "logo_type": None}
    del changes["logo_type"]
    return changes


def _redacted(row: ReportBranding) -> dict[str, Any]:
    """The row for the audit trail: the logo by its size (the API's logoBytes), not its bytes."""
    values = snapshot(row)
    values.pop("logo", None)
    return values | {"logo_bytes": len(row.logo) if row.logo else None}


async def configure_report_branding(
    session: AsyncSession, *, actor: Actor, expected_version: int | None, **values: Any
) -> ReportBranding:
    """Create or replace the branding from the fields of `BRANDING_CHANGES` (omitted ones take
    their defaults); a logo not sent is kept unless `remove_logo`."""
    changes = _logo_changes(BRANDING_CHANGES.checked_or_raise(values))
    row = await session.get(ReportBranding, BRANDING_ID)
    before = _redacted(row) if row is not None else None
    check_whole_version(row, expected_version)
    row = await write_whole(
        session, ReportBranding, row, changes, key={"id": BRANDING_ID}, unique="pk_report_brandings"
    )
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
