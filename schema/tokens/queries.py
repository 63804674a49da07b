"""`apiTokens(first, after)`: admins only; anyone else gets an empty connection."""

from __future__ import annotations

import strawberry

from schema.compiled.sql import Page, context, sql
from schema.context import Info
from schema.page_window import page_window
from schema.pagination import (
    After,
    Connection,
    First,
    Ordering,
    build_connection,
    decode_cursor,
)
from schema.scoping import may_see_admin_data
from schema.tokens.types import ApiTokenNode
from tenants.registry import ApiToken
from tenants.services.api_tokens import count_api_tokens, list_api_tokens, of_tenant

NEWEST_FIRST = Ordering(ApiToken.created_at, descending=True)


@strawberry.type
class ApiTokenQuery:
    @strawberry.field(
        description="The tenant's API tokens, newest first (createdAt, then id), revoked and "
        "expired ones included; admins only, anyone else gets an empty connection.",
        metadata=sql(
            Page(
                ApiToken,
                None,
                conditions=lambda _: [of_tenant(context().tenant)],
                ordering=lambda _: NEWEST_FIRST,
            )
        ),
    )
    async def api_tokens(
        self, info: Info, first: First = 20, after: After = None
    ) -> Connection[ApiTokenNode]:
        win = page_window(first, after)
        before = None if win.before is None else decode_cursor(win.before, NEWEST_FIRST, "before")
        principal = info.context.principal
        allowed = may_see_admin_data(principal)
        rows = (
            await list_api_tokens(
                info.context.db,
                tenant=principal.tenant,
                after=None if after is None else decode_cursor(after, NEWEST_FIRST),
                before=before,
                limit=win.size + 1,
                from_oldest=win.backward,
            )
            if allowed
            else []
        )

        async def count() -> int:
            return (
                await count_api_tokens(info.context.db, tenant=principal.tenant) if allowed else 0
            )

        return build_connection(rows, win, NEWEST_FIRST, ApiTokenNode.from_model, count)
