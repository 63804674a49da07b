"""Vendor-agreement lists hanging off other areas' nodes.

`ClientOrganisation.vendorAgreements` is a plain child connection;
`AIProcess.vendorAgreements` goes through the `vendor_agreement_processes` link
table, batched across sibling processes in one statement (plus one for counts),
with the same keyset cursors as `schema.pagination`.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import aliased

from schema.compiled.sql import Page, Row
from schema.context import Info
from schema.node_lists import NodeList
from schema.pagination import Connection, Ordering, child_connection
from schema.vendors.filters import agreement_conditions
from schema.vendors.types import VendorAgreementNode
from tenants import models as m

_ORDERING = Ordering(m.VendorAgreement.created_at)


# ClientOrganisation.vendorAgreements
CLIENT_VENDOR_AGREEMENTS = NodeList(
    m.VendorAgreement,
    m.VendorAgreement.client_id,
    _ORDERING,
    "schema.vendors.types:VendorAgreementNode",
    agreement_conditions,
)


def covers_process(agreement: Row, process_id: Any) -> Any:
    """SQL: the agreement has a row in the link table for `process_id`."""
    link = aliased(m.VendorAgreementProcess)
    return agreement.col("id").in_(
        select(link.agreement_id).where(link.process_id == process_id).correlate_except(link)
    )


def process_vendor_agreements_page() -> Page:
    """AIProcess.vendorAgreements in SQL: through the link table, as below."""
    return Page(
        m.VendorAgreement,
        None,
        ordering=lambda _: _ORDERING,
        parent_conditions=lambda row, parent: [covers_process(row, parent.col("id"))],
    )


async def process_vendor_agreements(
    info: Info, process_id: uuid.UUID, *, first: int | None, after: str | None
) -> Connection[VendorAgreementNode]:
    """Agreements covering a process, oldest first (created_at, then id)."""
    link = m.VendorAgreementProcess
    return await child_connection(
        info,
        m.VendorAgreement,
        link.process_id,
        process_id,
        where=[],
        where_key=None,
        ordering=_ORDERING,
        first=first,
        after=after,
        to_node=VendorAgreementNode.from_model,
        through=(link, link.agreement_id == m.VendorAgreement.id),
    )
