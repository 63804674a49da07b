"""Filter of a client's `vendorAgreements`: agreements ending soon or missing clauses."""

from __future__ import annotations

from collections.abc import Hashable
from datetime import date
from typing import Any

import strawberry
from sqlalchemy import or_

from schema.vendors.types import VendorClause
from tenants import models as m
from tenants.services.vendors import clause_missing_sql


@strawberry.input(description="Narrow a list of vendor agreements; all given conditions must hold.")
class VendorAgreementFilter:
    expires_before: date | None = strawberry.field(
        default=None,
        description="Only agreements whose endsOn is before this date (already ended ones "
        "included); agreements without an end date never match.",
    )
    missing_clauses: list[VendorClause] | None = strawberry.field(
        default=None,
        description="Only agreements missing at least one of these clauses (see "
        "VendorAgreement.missingClauses); all four: any agreement with a gap.",
    )


def agreement_conditions(filter: VendorAgreementFilter | None) -> tuple[list[Any], Hashable]:
    """SQL conditions of the filter and a hashable key identifying them (for batching)."""
    f = filter or VendorAgreementFilter()
    where: list[Any] = []
    if f.expires_before is not None:
        where.append(m.VendorAgreement.ends_on < f.expires_before)
    clauses = sorted({VendorClause(c).value for c in f.missing_clauses or ()})
    if clauses:
        where.append(or_(*(clause_missing_sql(c) for c in clauses)))
    return where, (f.expires_before, tuple(clauses))
