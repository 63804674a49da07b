"""configureReportBranding / reportBranding: the consultancy's look and language in reports."""

from __future__ import annotations

import base64
import struct
import uuid
import zlib
from typing import Any

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from schema.ids import global_id
from tenants import models as m
from tenants.models import AuditEvent, ReportBranding
from tenants.registry import TenantRef
from tenants.session import tenant_session
from tests.conftest import TokenFactory
from tests.jobs.seed import seed_client
from tests.schema.support import mutation
from tests.support import data, gql

READ = """{ reportBranding {
  name accentColour footerText confidentialityText logoType logoBytes timezone locale version
} }"""
CONFIGURE = mutation(
    "configureReportBranding",
    "reportBranding { name accentColour logoType logoBytes timezone locale version }",
)


def png() -> bytes:
    """A real 1x1 PNG."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00"))
        + chunk(b"IEND", b"")
    )


async def configure(client: httpx.AsyncClient, token: str, **fields: Any) -> dict[str, Any]:
    return await CONFIGURE.send(
        client, token, **{"version": None, "name": "Müller & Partner", **fields}
    )


async def test_defaults_then_configure_with_a_logo_then_a_stale_version_conflicts(
    client: httpx.AsyncClient, engine: AsyncEngine, tenant: TenantRef, token: str
) -> None:
    default = data(await gql(client, READ, token=token))["reportBranding"]
    assert default["name"] is None and default["locale"] == "EN" and default["version"] is None
    logo = png()
    first = await configure(
        client,
        token,
        accentColour="#6A1B9A",
        timezone="Europe/Berlin",
        locale="DE",
        logoBase64=base64.b64encode(logo).decode(),
        logoType="PNG",
    )
    assert first["errors"] == []
    assert first["reportBranding"] == {
        "name": "Müller & Partner",
        "accentColour": "#6a1b9a",
        "logoType": "PNG",
        "logoBytes": len(logo),
        "timezone": "Europe/Berlin",
        "locale": "DE",
        "version": 1,
    }
    async with tenant_session(engine, tenant) as s:
        row = await s.get(ReportBranding, 1)
        audit = list(
            await s.scalars(select(AuditEvent).where(AuditEvent.object_type == "ReportBranding"))
        )
    assert row is not None and row.logo == logo
    assert [a.action for a in audit] == ["create"]
    assert audit[0].after("logoBytes") == len(logo) and "logo" not in audit[0].changed_fields
    stale = await configure(client, token)
    assert stale["errors"][0]["field"] == "version" and stale["errors"][0]["code"] == "CONFLICT"
    kept = await configure(client, token, version=1, name="M&P")
    assert kept["errors"] == [] and kept["reportBranding"]["logoBytes"] == len(logo)
    removed = await configure(client, token, version=2, removeLogo=True)
    assert removed["reportBranding"]["logoType"] is None


async def test_invalid_values_are_named_and_nothing_is_written(
    client: httpx.AsyncClient, token: str
) -> None:
    svg = base64.b64encode(b"<svg onload='alert(1)'/>").decode()
    bad = await configure(
        client,
        token,
        name="",
        accentColour="purple",
        timezone="Mars/Olympus",
        logoBase64=svg,
        logoType="PNG",
    )
    assert bad["reportBranding"] is None
    # An SVG is refused by its bytes; it cannot even be declared (LogoFormat has no SVG).
    assert {e["field"] for e in bad["errors"]} == {
        "name",
        "accentColour",
        "timezone",
        "logoBase64",
    }
    variables = {"input": {"version": None, "name": "x", "logoBase64": svg, "logoType": "SVG"}}
    undeclared = await gql(client, CONFIGURE.document, variables, token=token)
    assert undeclared.get("data") is None and "LogoFormat" in undeclared["errors"][0]["message"]
    over_long_zone = await configure(client, token, timezone="Europe/" + "x" * 6000)
    assert [e["field"] for e in over_long_zone["errors"]] == ["timezone"]
    type_alone = await configure(client, token, logoType="PNG")
    assert [e["field"] for e in type_alone["errors"]] == ["logoType"]
    fake = await configure(
        client, token, logoBase64=base64.b64encode(b"GIF89a....").decode(), logoType="PNG"
    )
    assert [e["field"] for e in fake["errors"]] == ["logoBase64"]
    huge = base64.b64encode(png() + b"\x00" * (512 * 1024)).decode()
    too_big = await configure(client, token, logoBase64=huge, logoType="PNG")
    assert "512 KiB" in too_big["errors"][0]["message"]
    assert data(await gql(client, READ, token=token))["reportBranding"]["version"] is None


async def test_only_admins_configure_and_clients_cannot_see_it(
    client: httpx.AsyncClient, tenant: TenantRef, make_token: TokenFactory
) -> None:
    refused = await configure(client, await make_token(tenant, "consultant"))
    assert refused["errors"][0]["code"] == "FORBIDDEN"
    client_viewer = await make_token(tenant, "client_viewer", uuid.uuid4())
    assert data(await gql(client, READ, token=client_viewer))["reportBranding"] is None


REQUEST = mutation("requestReadinessReport", "readinessReport { id }")


async def test_a_report_request_may_ask_for_its_language(
    client: httpx.AsyncClient, engine: AsyncEngine, tenant: TenantRef, consultant: str
) -> None:
    seeded = await seed_client(engine, tenant, processes=2)
    gid = global_id("ClientOrganisation", seeded.client_id)
    requested = await REQUEST.send(client, consultant, clientOrganisationId=gid, locale="DE")
    assert requested["errors"] == []
    async with tenant_session(engine, tenant) as s:
        locales = list(await s.scalars(select(m.ReadinessReport.locale)))
    assert locales == ["de"]


async def test_one_tenants_branding_never_reaches_another(
    client: httpx.AsyncClient, token: str, stranger: str
) -> None:
    assert (await configure(client, token))["errors"] == []
    other = data(await gql(client, READ, token=stranger))["reportBranding"]
    assert other["name"] is None and other["version"] is None
