"""Client organisations: create, update, archive; ownership coverage."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tenants.models import (
    LIVE_STAGES,
    AIProcess,
    ClientOrganisation,
    ClientSize,
    EngagementStatus,
)
from tenants.services.assignments import current_accountable_process_ids
from tenants.services.audit import Actor, finish_write, snapshot
from tenants.services.persistence import apply, guarded_write, load_target, utcnow
from tenants.services.validation import UNSET, Collector, Unset, given

# Decimal places of a coverage ratio.
RATIO_PLACES = 4


@dataclass(frozen=True, slots=True)
class Coverage:
    """Live processes with a current accountable owner, out of all live processes."""

    live: int
    covered: int

    @property
    def ratio(self) -> Decimal | None:
        """covered / live, or None when the client has no live process."""
        if self.live == 0:
            return None
        # Half up, as PostgreSQL's round() does: the compiled read path computes it in SQL.
        return (Decimal(self.covered) / Decimal(self.live)).quantize(
            Decimal(1).scaleb(-RATIO_PLACES), rounding=ROUND_HALF_UP
        )


def ownership_coverage(
    processes: Iterable[AIProcess], accountable_process_ids: Iterable[uuid.UUID]
) -> Coverage:
    """Coverage of `processes` given which of them have a current accountable owner."""
    covered_ids = set(accountable_process_ids)
    live = [p for p in processes if p.is_live]
    return Coverage(live=len(live), covered=sum(1 for p in live if p.id in covered_ids))


async def coverage_by_client(
    session: AsyncSession, *, client_ids: Sequence[uuid.UUID], on: date | None = None
) -> dict[uuid.UUID, Coverage]:
    """Ownership coverage of several clients in two statements (for a DataLoader)."""
    processes = list(
        await session.scalars(
            select(AIProcess).where(
                AIProcess.client_id.in_(client_ids),
                AIProcess.archived_at.is_(None),
                AIProcess.lifecycle_stage.in_(LIVE_STAGES),
            )
        )
    )
    covered = await current_accountable_process_ids(
        session, process_ids=[p.id for p in processes], on=on
    )
    return {
        cid: ownership_coverage([p for p in processes if p.client_id == cid], covered)
        for cid in client_ids
    }


def _check_fields(
    c: Collector,
    *,
    name: str | Unset,
    industry: str | Unset | None,
    size: ClientSize | Unset | None,
    region: str | Unset | None,
    engagement_status: EngagementStatus | Unset,
    engagement_start: date | Unset | None,
    engagement_end: date | Unset | None,
    lead_consultant: str | Unset | None,
    current: ClientOrganisation | None,
) -> dict[str, object]:
    changes: dict[str, object] = {}
    if given(name):
        changes["name"] = c.text("name", name)
    for key, field, value in (
        ("industry", "industry", industry),
        ("region", "region", region),
        ("lead_consultant", "leadConsultant", lead_consultant),
    ):
        if given(value):
            changes[key] = c.optional_text(field, value)
    if given(size):
        changes["size"] = None if size is None else c.enum("size", ClientSize, size)
    if given(engagement_status):
        changes["engagement_status"] = c.enum(
            "engagementStatus", EngagementStatus, engagement_status
        )
    start = current.engagement_start if current else None
    end = current.engagement_end if current else None
    if given(engagement_start):
        changes["engagement_start"] = start = engagement_start
    if given(engagement_end):
        changes["engagement_end"] = end = engagement_end
    c.dates_ordered(start, "engagementEnd", end)
    return changes


async def create_client(
    session: AsyncSession,
    *,
    actor: Actor,
    name: str,
    industry: str | None = None,
    size: ClientSize | None = None,
    region: str | None = None,
    engagement_status: EngagementStatus = EngagementStatus.PROSPECT,
    engagement_start: date | None = None,
    engagement_end: date | None = None,
    lead_consultant: str | None = None,
) -> ClientOrganisation:
    """Create a client organisation."""
    c = Collector()
    changes = _check_fields(
        c,
        name=name,
        industry=industry,
        size=size,
        region=region,
        engagement_status=engagement_status,
        engagement_start=engagement_start,
        engagement_end=engagement_end,
        lead_consultant=lead_consultant,
        current=None,
    )
    c.raise_if_any()
    client = ClientOrganisation(**changes)
    async with guarded_write(session):
        session.add(client)
    await finish_write(session, actor=actor, action="create", obj=client, before=None)
    return client


async def update_client(
    session: AsyncSession,
    *,
    actor: Actor,
    client_id: uuid.UUID,
    expected_version: int,
    name: str | Unset = UNSET,
    industry: str | Unset | None = UNSET,
    size: ClientSize | Unset | None = UNSET,
    region: str | Unset | None = UNSET,
    engagement_status: EngagementStatus | Unset = UNSET,
    engagement_start: date | Unset | None = UNSET,
    engagement_end: date | Unset | None = UNSET,
    lead_consultant: str | Unset | None = UNSET,
) -> ClientOrganisation:
    """Change the given fields of a client organisation."""
    client = await load_target(
        session, ClientOrganisation, client_id, expected_version=expected_version
    )
    c = Collector()
    changes = _check_fields(
        c,
        name=name,
        industry=industry,
        size=size,
        region=region,
        engagement_status=engagement_status,
        engagement_start=engagement_start,
        engagement_end=engagement_end,
        lead_consultant=lead_consultant,
        current=client,
    )
    c.raise_if_any()
    before = snapshot(client)
    async with guarded_write(session):
        apply(client, changes)
    await finish_write(session, actor=actor, action="update", obj=client, before=before)
    return client


async def archive_client(
    session: AsyncSession, *, actor: Actor, client_id: uuid.UUID, expected_version: int
) -> ClientOrganisation:
    """Archive a client organisation (a VALIDATION error on `id` if already archived)."""
    client = await load_target(
        session, ClientOrganisation, client_id, expected_version=expected_version
    )
    before = snapshot(client)
    async with guarded_write(session):
        apply(client, {"archived_at": utcnow()})
    await finish_write(session, actor=actor, action="archive", obj=client, before=before)
    return client
