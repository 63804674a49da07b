"""Client organisations: create, update, archive; ownership coverage."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

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
from tenants.services.audit import Actor
from tenants.services.changes import Changes, Rule, one_of, optional_text, text
from tenants.services.validation import Collector

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


def _engagement_in_order(c: Collector, row: Mapping[str, Any]) -> None:
    c.dates_ordered(row["engagement_start"], "engagement_end", row["engagement_end"])


CLIENT_CHANGES = Changes(
    ClientOrganisation,
    Rule("name", text, nullable=False),
    Rule("industry", optional_text),
    Rule("size", one_of(ClientSize)),
    Rule("region", optional_text),
    Rule(
        "engagement_status",
        one_of(EngagementStatus),
        nullable=False,
        default=EngagementStatus.PROSPECT,
    ),
    Rule("engagement_start"),
    Rule("engagement_end"),
    Rule("lead_consultant", optional_text),
    cross=[_engagement_in_order],
)


async def create_client(
    session: AsyncSession, *, actor: Actor, **values: Any
) -> ClientOrganisation:
    """Create a client organisation from the fields of `CLIENT_CHANGES`."""
    return await CLIENT_CHANGES.create(session, actor=actor, values=values)


async def update_client(
    session: AsyncSession,
    *,
    actor: Actor,
    client_id: uuid.UUID,
    expected_version: int,
    **values: Any,
) -> ClientOrganisation:
    """Change the given fields of a client organisation."""
    client = await CLIENT_CHANGES.load(session, client_id, expected_version=expected_version)
    return await CLIENT_CHANGES.update(session, client, actor=actor, values=values)


async def archive_client(
    session: AsyncSession, *, actor: Actor, client_id: uuid.UUID, expected_version: int
) -> ClientOrganisation:
    """Archive a client organisation (a VALIDATION error on `id` if already archived)."""
    return await CLIENT_CHANGES.archive(
        session, client_id, actor=actor, expected_version=expected_version
    )
