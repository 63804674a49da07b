"""`identityProviders(first, after)`: admins only.

For every other principal the providers do not exist (an empty connection, a
null `node`), decided by `ADMIN_ONLY` in schema/scoping.py like every other
visibility rule, rather than a top-level error.
"""

from __future__ import annotations

import strawberry

from schema.compiled.sql import Page, sql
from schema.context import Info
from schema.identity.types import IdentityProviderNode
from schema.pagination import After, Connection, First, Ordering, paginate
from tenants import models as m

BY_NAME = Ordering(m.IdentityProvider.name)


@strawberry.type
class IdentityProviderQuery:
    @strawberry.field(
        description="The tenant's identity providers by name (then id); admins only, anyone "
        "else gets an empty connection.",
        metadata=sql(Page(m.IdentityProvider, None, ordering=lambda _: BY_NAME)),
    )
    async def identity_providers(
        self, info: Info, first: First = 20, after: After = None
    ) -> Connection[IdentityProviderNode]:
        return await paginate(
            info,
            m.IdentityProvider,
            where=[],
            ordering=BY_NAME,
            first=first,
            after=after,
            to_node=IdentityProviderNode.from_model,
        )
