"""Vendor-agreement lists hanging off other areas' nodes.

`ClientOrganisation.vendorAgreements` is a plain child connection;
`AIProcess.vendorAgreements` goes through the `vendor_agreement_processes` link
table, batched across sibling processes in one statement (plus one for counts),
with the same keyset cursors as `schema.pagination`.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from schema.compiled.sql import Page, Row
from schema.context import Info
from schema.loaders import loader
from schema.page_window import page_window
from schema.pagination import (
    Connection,
    Ordering,
    build_connection,
    child_connection,
    keyset,
    order_clauses,
)
from schema.scoping import visible
from schema.vendors.types import VendorAgreementNode
from tenants import models as m

_ORDERING = Ordering(m.VendorAgreement.created_at)


def client_vendor_agreements_page() -> Page:
    """ClientOrganisation.vendorAgreements in SQL (schema/compiled)."""
    return Page(m.VendorAgreement, m.VendorAgreement.client_id, ordering=lambda _: _ORDERING)


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


async def client_vendor_agreements(
    info: Info, client_id: uuid.UUID, *, first: int | None, after: str | None
) -> Connection[VendorAgreementNode]:
    return await child_connection(
        info,
        m.VendorAgreement,
        m.VendorAgreement.client_id,
        client_id,
        where=[],
        where_key=None,
        ordering=_ORDERING,
        first=first,
        after=after,
        to_node=VendorAgreementNode.from_model,
    )


async def process_vendor_agreements(
    info: Info, process_id: uuid.UUID, *, first: int | None, after: str | None
) -> Connection[VendorAgreementNode]:
    """Agreements covering a process, oldest first (created_at, then id)."""
    win = page_window(first, after)
    agreement = m.VendorAgreement
    link = m.VendorAgreementProcess
    seen = visible(agreement, info.context.principal)
    between = keyset(agreement, _ORDERING, win)

    async def load_pages(process_ids: list[uuid.UUID]) -> list[list[m.VendorAgreement]]:
        rank = func.row_number().over(
            partition_by=link.process_id,
            order_by=order_clauses(agreement, _ORDERING, win.backward),
        )
        inner = (
            select(agreement, link.process_id.label("parent_id"), rank.label("rank"))
            .join(link, link.agreement_id == agreement.id)
            .where(link.process_id.in_(process_ids), seen, *between)
            .subquery()
        )
        row = aliased(agreement, inner)
        stmt = (
            select(row, inner.c.parent_id)
            .where(inner.c.rank <= win.size + 1)
            .order_by(inner.c.rank)
        )
        pages: dict[uuid.UUID, list[m.VendorAgreement]] = {p: [] for p in process_ids}
        for obj, parent_id in await info.context.db.execute(stmt):
            pages[parent_id].append(obj)
        return [pages[p] for p in process_ids]

    async def load_counts(process_ids: list[uuid.UUID]) -> list[int]:
        stmt = (
            select(link.process_id, func.count())
            .join(agreement, link.agreement_id == agreement.id)
            .where(link.process_id.in_(process_ids), seen)
            .group_by(link.process_id)
        )
        counts = {k: int(n) for k, n in await info.context.db.execute(stmt)}
        return [counts.get(p, 0) for p in process_ids]

    rows = await loader(info, ("process.vendor_agreements", win), load_pages).load(process_id)
    counter = loader(info, "process.vendor_agreements.count", load_counts)

    async def count() -> int:
        return await counter.load(process_id)

    return build_connection(rows, win, _ORDERING, VendorAgreementNode.from_model, count)
