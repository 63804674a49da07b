"""`identityProviders(first, after)`: admins only.

For every other principal the providers do not exist (an empty connection, a
null `node`), decided by `ADMIN_ONLY` in schema/scoping.py like every other
visibility rule, rather than a top-level error.
"""

from __future__ import annotations

import strawberry

from schema.node_lists import NodeList
from schema.pagination import Ordering
from tenants import models as m

BY_NAME = Ordering(m.IdentityProvider.name)
PROVIDERS = NodeList(
    m.IdentityProvider, None, BY_NAME, "schema.identity.types:IdentityProviderNode"
)


@strawberry.type
class IdentityProviderQuery:
    identity_providers = PROVIDERS.field(
        "The tenant's identity providers by name (then id); admins only, anyone "
        "else gets an empty connection."
    )
