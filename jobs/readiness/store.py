"""How readiness results are stored on a report row, and read back for comparison."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from jobs.readiness.comparison import PreviousReport
from jobs.readiness.findings import Finding, FindingKey
from tenants.global_ids import global_id
from tenants.models import ReadinessReport, ReportStatus

HISTORY_POINTS = 12


def stored_finding(finding: Finding) -> dict[str, Any]:
    """A finding as kept in `readiness_reports.findings`, with the object's global id."""
    doc = finding.to_dict()
    doc["object_global_id"] = global_id(finding.object_type.value, finding.object_id)
    return doc


def finding_of(doc: dict[str, Any]) -> Finding | None:
    """A stored finding back as a `Finding`; None for a rule or shape no longer known."""
    try:
        return Finding.from_dict(doc)
    except (KeyError, ValueError, TypeError):
        return None


def keys_of(findings: list[dict[str, Any]]) -> tuple[FindingKey, ...]:
    out = []
    for doc in findings:
        try:
            out.append(FindingKey(str(doc["rule_id"]), uuid.UUID(str(doc["object_id"]))))
        except (KeyError, ValueError, TypeError):
            continue
    return tuple(out)


def score_of(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


@dataclass(frozen=True, slots=True)
class Earlier:
    """What a new report needs from the client's earlier successful reports."""

    previous: PreviousReport | None
    history: tuple[tuple[datetime, float], ...]


async def earlier_reports(db: AsyncSession, *, client_id: uuid.UUID, exclude: uuid.UUID) -> Earlier:
    """The latest successful reports of the client (one statement), newest first."""
    r = ReadinessReport
    rows = (
        await db.execute(
            select(r.finished_at, r.score, r.findings)
            .where(
                r.client_id == client_id,
                r.status == ReportStatus.SUCCEEDED,
                r.id != exclude,
                r.finished_at.is_not(None),
            )
            .order_by(r.finished_at.desc(), r.id.desc())
            .limit(HISTORY_POINTS - 1)
        )
    ).all()
    if not rows:
        return Earlier(None, ())
    latest = rows[0]
    previous = PreviousReport(score_of(latest.score), keys_of(latest.findings))
    history = tuple((row.finished_at, float(row.score)) for row in rows if row.score is not None)
    return Earlier(previous, history)
