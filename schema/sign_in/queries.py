"""`signInAttempts(first, after, outcome, identityProviderId, since)`: admins only.

For everyone else the attempts do not exist (an empty connection), decided by
`ADMIN_ONLY` in schema/scoping.py like every other visibility rule.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

import strawberry
from sqlalchemy import false

from schema.compiled.sql import Page, sql
from schema.context import Info
from schema.ids import parse_global_id
from schema.pagination import After, Connection, First, Ordering, paginate
from schema.sign_in.types import SignInAttemptNode, SignInOutcomeType
from tenants import models as m

NEWEST_FIRST = Ordering(m.SignInAttempt.occurred_at, descending=True)


def attempt_conditions(
    outcome: m.SignInOutcome | None, identity_provider_id: str | None, since: datetime | None
) -> list[Any]:
    """The filters; an identityProviderId that is no provider's id matches nothing."""
    a = m.SignInAttempt
    conditions: list[Any] = []
    if outcome is not None:
        conditions.append(a.outcome == outcome)
    if identity_provider_id is not None:
        parsed = parse_global_id(identity_provider_id)
        if parsed is None or parsed[0] != "IdentityProvider":
            return [false()]
        conditions.append(a.identity_provider_id == parsed[1])
    if since is not None:
        conditions.append(a.occurred_at >= since)
    return conditions


def _conditions(args: dict[str, Any]) -> list[Any]:
    return attempt_conditions(
        args.get("outcome"), args.get("identity_provider_id"), args.get("since")
    )


@strawberry.type
class SignInAttemptQuery:
    @strawberry.field(
        description="Sign-in attempts, newest first (occurredAt, then id), successes and "
        "refusals, for the retention period; admins only, anyone else gets an empty "
        "connection.",
        metadata=sql(
            Page(m.SignInAttempt, None, conditions=_conditions, ordering=lambda _: NEWEST_FIRST)
        ),
    )
    async def sign_in_attempts(
        self,
        info: Info,
        first: First = 20,
        after: After = None,
        outcome: Annotated[
            SignInOutcomeType | None,  # type: ignore[valid-type]
            strawberry.argument(description="Only attempts with this outcome; null for all."),
        ] = None,
        identity_provider_id: Annotated[
            strawberry.ID | None,
            strawberry.argument(
                description="Only attempts through this IdentityProvider (its id); an id of "
                "anything else matches nothing."
            ),
        ] = None,
        since: Annotated[
            datetime | None,
            strawberry.argument(description="Only attempts at or after this time (ISO 8601)."),
        ] = None,
    ) -> Connection[SignInAttemptNode]:
        return await paginate(
            info,
            m.SignInAttempt,
            where=attempt_conditions(outcome, identity_provider_id, since),
            ordering=NEWEST_FIRST,
            first=first,
            after=after,
            to_node=SignInAttemptNode.from_model,
        )
