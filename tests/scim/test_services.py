"""tenants/services/scim.py below HTTP: the races a SCIM client can start."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from tenants.errors import DomainError, ErrorCode
from tenants.models import IdentityProvider
from tenants.services.scim import ScimMember, UserFields, create_scim_member
from tests.scim.conftest import ScimWorld
from tests.support import race_uncommitted


def _fields(user_name: str) -> UserFields:
    # A userName that is no address: only the userName check (not the e-mail index) guards it.
    address = f"{uuid.uuid4().hex[:10]}@example.com"
    return UserFields(user_name, address, None, True, None, {"userName": user_name})


async def test_two_creates_of_one_user_name_at_once_make_one_member(
    engine: AsyncEngine, scim_world: ScimWorld
) -> None:
    p = scim_world.initech
    name = f"twin-{uuid.uuid4().hex[:8]}"

    async def create(db: AsyncSession) -> ScimMember:
        provider = await db.get(IdentityProvider, p.idp_id)
        assert provider is not None
        return await create_scim_member(db, provider=provider, fields=_fields(name))

    first, second = await race_uncommitted(engine, p.tenant, create, create)
    assert isinstance(first, ScimMember)
    assert isinstance(second, DomainError), second
    assert second.errors[0].code is ErrorCode.CONFLICT and second.errors[0].field == "userName"
