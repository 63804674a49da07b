"""`apiTokens(first, after)`: admins only; anyone else gets an empty connection."""

from __future__ import annotations

import strawberry

from schema.compiled.sql import Page, context, sql
from schema.context import Info
from schema.pagination import (
    After,
    Connection,
    Edge,
    First,
    Ordering,
    PageInfo,
    check_first,
    decode_cursor,
    encode_cursor,
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
        size = check_first(first)
        position = None if after is None else decode_cursor(after, NEWEST_FIRST)
        principal = info.context.principal
        allowed = may_see_admin_data(principal)
        rows = (
            await list_api_tokens(
                info.context.db, tenant=principal.tenant, after=position, limit=size + 1
            )
            if allowed
            else []
        )
        edges = [
            Edge(node=ApiTokenNode.from_model(r), cursor=encode_cursor(r.created_at, r.id))
            for r in rows[:size]
        ]

        async def count() -> int:
            return (
                await count_api_tokens(info.context.db, tenant=principal.tenant) if allowed else 0
            )

        return Connection(
            edges=edges,
            page_info=PageInfo(
                has_next_page=len(rows) > size,
                has_previous_page=after is not None,
                start_cursor=edges[0].cursor if edges else None,
                end_cursor=edges[-1].cursor if edges else None,
            ),
            count=count,
        )
