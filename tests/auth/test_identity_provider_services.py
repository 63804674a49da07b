"""Identity providers and invitations as tenant data: checks, audit without secrets."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from tenants.errors import DomainError
from tenants.models import AuditEvent
from tenants.principals import Role
from tenants.services.audit import SYSTEM
from tenants.services.clients import create_client
from tenants.services.identity_providers import (
    add_identity_provider,
    client_secret_of,
    list_identity_providers,
    remove_identity_provider,
    update_identity_provider,
)
from tenants.services.members import invite_member
from tenants.services.secret_box import SecretBox
from tenants.session import tenant_session
from tests.conftest import TenantFactory

BOX = SecretBox([Fernet.generate_key()])


async def test_a_provider_is_audited_without_its_secret_and_can_change_it(
    engine: AsyncEngine, make_tenant: TenantFactory
) -> None:
    tenant = await make_tenant()
    async with tenant_session(engine, tenant) as session:
        idp = await add_identity_provider(
            session,
            actor=SYSTEM,
            box=BOX,
            issuer="https://accounts.google.com",
            client_id="g",
            client_secret="first-secret",
            allowed_domains=["acme.example"],
        )
        idp = await update_identity_provider(
            session,
            actor=SYSTEM,
            box=BOX,
            identity_provider_id=idp.id,
            expected_version=idp.version,
            client_secret="second-secret",
        )
        assert client_secret_of(idp, BOX) == "second-secret"
        events = list(
            await session.scalars(select(AuditEvent).where(AuditEvent.object_id == idp.id))
        )
        await remove_identity_provider(
            session, actor=SYSTEM, identity_provider_id=idp.id, expected_version=idp.version
        )
        assert await list_identity_providers(session) == []
    assert [e.action for e in events] == ["create", "update"]
    for event in events:
        text = str(event.changes).lower()
        assert "secret" not in text.replace("clientsecretchanged", "")
    assert events[1].after("clientSecretChanged") is True


async def test_a_staff_provider_cannot_default_to_a_client_role_nor_a_client_one_to_staff(
    engine: AsyncEngine, make_tenant: TenantFactory
) -> None:
    tenant = await make_tenant()
    async with tenant_session(engine, tenant) as session:
        client = await create_client(session, actor=SYSTEM, name="Globex")
        for organisation, role in ((None, Role.CLIENT_OWNER), (client.id, Role.ADMIN)):
            with pytest.raises(DomainError) as error:
                await add_identity_provider(
                    session,
                    actor=SYSTEM,
                    box=BOX,
                    issuer="https://idp.example",
                    client_id="x",
                    client_secret="y",
                    allowed_domains=["globex.example"],
                    client_organisation_id=organisation,
                    default_role=role,
                    claim_role_mapping={"claim": "groups", "values": {"g": role.value}},
                )
            fields = {e.field for e in error.value.errors}
            assert fields == {"defaultRole", "claimRoleMapping.values.g"}


async def test_an_invitation_needs_an_organisation_exactly_for_client_roles(
    engine: AsyncEngine, make_tenant: TenantFactory
) -> None:
    tenant = await make_tenant()
    async with tenant_session(engine, tenant) as session:
        with pytest.raises(DomainError) as error:
            await invite_member(session, actor=SYSTEM, email="a@b.example", role=Role.CLIENT_OWNER)
        assert error.value.errors[0].field == "clientOrganisationId"
        await invite_member(session, actor=SYSTEM, email="dup@b.example", role=Role.VIEWER)
        with pytest.raises(DomainError) as duplicate:
            await invite_member(session, actor=SYSTEM, email="DUP@b.example", role=Role.ADMIN)
        assert duplicate.value.errors[0].code == "CONFLICT"
