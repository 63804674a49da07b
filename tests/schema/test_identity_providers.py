"""Identity providers over real HTTP: configure (add or change), remove; admins only; no secrets."""

from __future__ import annotations

import json
import uuid
from typing import Any

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from schema import build_schema
from schema.ids import global_id, parse_global_id
from server.auth.secret_key import secret_box_for
from server.settings import Settings
from tenants.models import AuditEvent, IdentityProvider
from tenants.registry import TenantRef
from tenants.services.audit import SYSTEM
from tenants.services.clients import create_client
from tenants.session import tenant_session
from tests.conftest import TenantFactory, TokenFactory
from tests.schema.support import audit_actions, errors_of
from tests.support import data, gql

FIELDS = """id version name issuer clientId hasClientSecret scopes allowedDomains
  claimRoleMapping { claim values { value role } } defaultRole isStaffProvider
  clientOrganisation { id name } createdAt"""
CONFIGURE = f"""
mutation($input: ConfigureIdentityProviderInput!) {{
  configureIdentityProvider(input: $input) {{
    identityProvider {{ {FIELDS} }} errors {{ field code message }}
  }}
}}"""
REMOVE = """
mutation($input: RemoveIdentityProviderInput!) {
  removeIdentityProvider(input: $input) { removedIdentityProviderId errors { field code message } }
}"""
LIST = """
query($first: Int, $after: String) {
  identityProviders(first: $first, after: $after) {
    totalCount edges { node { id name } } pageInfo { hasNextPage endCursor }
  }
}"""
NODE = "query($id: ID!) { node(id: $id) { id ... on IdentityProvider { issuer } } }"
STAFF: dict[str, Any] = {
    "issuer": "https://login.acme.test",
    "clientId": "steward",
    "clientSecret": "s3cr3t-do-not-show",
    "allowedDomains": ["Acme.test"],
}


async def _client(engine: AsyncEngine, tenant: TenantRef, name: str = "Globex") -> uuid.UUID:
    async with tenant_session(engine, tenant) as s:
        return (await create_client(s, actor=SYSTEM, name=name)).id


async def configure(client: httpx.AsyncClient, token: str, **fields: Any) -> dict[str, Any]:
    result: dict[str, Any] = data(await gql(client, CONFIGURE, {"input": fields}, token=token))[
        "configureIdentityProvider"
    ]
    return result


async def _stored(engine: AsyncEngine, tenant: TenantRef, gid: str) -> IdentityProvider:
    parsed = parse_global_id(gid)
    assert parsed is not None
    async with tenant_session(engine, tenant) as s:
        idp = await s.get(IdentityProvider, parsed[1])
    assert idp is not None
    return idp


async def test_add_a_staff_provider_stores_the_secret_encrypted_and_never_shows_it(
    client: httpx.AsyncClient,
    engine: AsyncEngine,
    settings: Settings,
    make_tenant: TenantFactory,
    make_token: TokenFactory,
) -> None:
    tenant = await make_tenant()
    token = await make_token(tenant, "admin")
    body = await gql(client, CONFIGURE, {"input": STAFF}, token=token)
    result = data(body)["configureIdentityProvider"]
    assert result["errors"] == []
    idp = result["identityProvider"]
    assert idp["issuer"] == STAFF["issuer"] and idp["clientId"] == "steward"
    assert idp["allowedDomains"] == ["acme.test"]
    assert idp["scopes"] == ["openid", "email", "profile"]
    assert idp["defaultRole"] == "VIEWER" and idp["isStaffProvider"] is True
    assert idp["hasClientSecret"] is True and idp["clientOrganisation"] is None
    assert idp["name"] == "Staff sign-in" and idp["version"] == 1
    assert idp["claimRoleMapping"] is None
    assert STAFF["clientSecret"] not in json.dumps(body)
    stored = await _stored(engine, tenant, idp["id"])
    assert stored.client_secret_encrypted != STAFF["clientSecret"]
    assert secret_box_for(settings).decrypt(stored.client_secret_encrypted) == STAFF["clientSecret"]
    listed = data(await gql(client, LIST, token=token))["identityProviders"]
    assert listed["totalCount"] == 1 and STAFF["clientSecret"] not in json.dumps(listed)
    async with tenant_session(engine, tenant) as s:
        audit = list(
            await s.execute(
                select(AuditEvent.action, AuditEvent.changes).where(
                    AuditEvent.object_type == "IdentityProvider"
                )
            )
        )
    assert [a for a, _ in audit] == ["create"]
    assert not any("secretEncrypted" in c["field"] for c in audit[0][1])
    assert STAFF["clientSecret"] not in json.dumps(audit[0][1])


def test_no_field_of_the_schema_reveals_a_client_secret() -> None:
    gql_schema = build_schema()._schema
    fields = set(gql_schema.type_map["IdentityProvider"].fields)  # type: ignore[attr-defined]
    assert {f for f in fields if "ecret" in f} == {"hasClientSecret"}


async def test_add_a_client_organisations_provider_with_a_role_mapping(
    client: httpx.AsyncClient,
    engine: AsyncEngine,
    make_tenant: TenantFactory,
    make_token: TokenFactory,
) -> None:
    tenant = await make_tenant()
    token = await make_token(tenant, "admin")
    org = await _client(engine, tenant)
    result = await configure(
        client,
        token,
        issuer="https://globex.okta.test/oauth2/default",
        clientId="steward-globex",
        clientSecret="x",
        allowedDomains=["globex.test"],
        clientOrganisationId=global_id("ClientOrganisation", org),
        defaultRole="CLIENT_VIEWER",
        claimRoleMapping={
            "claim": "groups",
            "values": [{"value": "ai-owners", "role": "CLIENT_OWNER"}],
        },
    )
    assert result["errors"] == []
    idp = result["identityProvider"]
    assert idp["clientOrganisation"]["name"] == "Globex" and idp["name"] == "Globex"
    assert idp["isStaffProvider"] is False
    assert idp["claimRoleMapping"] == {
        "claim": "groups",
        "values": [{"value": "ai-owners", "role": "CLIENT_OWNER"}],
    }


async def test_add_validation_errors_name_the_field(
    client: httpx.AsyncClient,
    engine: AsyncEngine,
    make_tenant: TenantFactory,
    make_token: TokenFactory,
) -> None:
    tenant = await make_tenant()
    token = await make_token(tenant, "admin")
    empty = await configure(client, token)
    assert empty["identityProvider"] is None
    assert errors_of(empty) == {
        "issuer": "VALIDATION",
        "clientId": "VALIDATION",
        "clientSecret": "VALIDATION",
        "allowedDomains": "VALIDATION",
    }
    cases: list[tuple[dict[str, Any], dict[str, str]]] = [
        ({"issuer": "https://login.acme.test?tenant=1"}, {"issuer": "VALIDATION"}),
        ({"issuer": "ftp://login.acme.test"}, {"issuer": "VALIDATION"}),
        (
            {"allowedDomains": ["not a domain"]},
            {"allowedDomains[0]": "VALIDATION", "allowedDomains": "VALIDATION"},
        ),
        ({"scopes": ["email"]}, {"scopes": "VALIDATION"}),
        ({"defaultRole": "CLIENT_OWNER"}, {"defaultRole": "VALIDATION"}),
        (
            {
                "claimRoleMapping": {
                    "claim": "groups",
                    "values": [{"value": "a", "role": "CLIENT_OWNER"}],
                }
            },
            {"claimRoleMapping.values.a": "VALIDATION"},
        ),
        (
            {"clientOrganisationId": global_id("ClientOrganisation", uuid.uuid4())},
            {"clientOrganisationId": "NOT_FOUND"},
        ),
    ]
    for fields, expected in cases:
        result = await configure(client, token, **{**STAFF, **fields})
        assert result["identityProvider"] is None, fields
        assert errors_of(result) == expected, fields
    assert (await configure(client, token, **STAFF))["errors"] == []
    second = await configure(client, token, **{**STAFF, "clientId": "another"})
    assert errors_of(second) == {"clientOrganisationId": "CONFLICT"}
    org = global_id("ClientOrganisation", await _client(engine, tenant))
    same = await configure(client, token, **{**STAFF, "clientOrganisationId": org})
    assert errors_of(same) == {"clientId": "CONFLICT"}


async def test_change_rotates_the_secret_checks_the_version_and_keeps_the_organisation(
    client: httpx.AsyncClient,
    engine: AsyncEngine,
    settings: Settings,
    make_tenant: TenantFactory,
    make_token: TokenFactory,
) -> None:
    tenant = await make_tenant()
    token = await make_token(tenant, "admin")
    idp = (await configure(client, token, **STAFF))["identityProvider"]
    changed = await configure(
        client,
        token,
        id=idp["id"],
        version=1,
        allowedDomains=["acme.test", "acme-group.test"],
        clientSecret="rotated",
        name="Acme Entra",
    )
    assert changed["errors"] == []
    after = changed["identityProvider"]
    assert after["version"] == 2 and after["name"] == "Acme Entra"
    assert after["allowedDomains"] == ["acme.test", "acme-group.test"]
    assert after["issuer"] == STAFF["issuer"]  # omitted: unchanged
    stored = await _stored(engine, tenant, idp["id"])
    assert secret_box_for(settings).decrypt(stored.client_secret_encrypted) == "rotated"
    stale = await configure(client, token, id=idp["id"], version=1, clientId="x")
    assert errors_of(stale) == {"version": "CONFLICT"}
    assert errors_of(await configure(client, token, id=idp["id"], clientId="x")) == {
        "version": "VALIDATION"
    }
    org = global_id("ClientOrganisation", await _client(engine, tenant))
    moved = await configure(client, token, id=idp["id"], version=2, clientOrganisationId=org)
    assert errors_of(moved) == {"clientOrganisationId": "VALIDATION"}
    nulled = await configure(client, token, id=idp["id"], version=2, issuer=None)
    assert errors_of(nulled) == {"issuer": "VALIDATION"}
    cleared = await configure(
        client,
        token,
        id=idp["id"],
        version=2,
        claimRoleMapping={"claim": "groups", "values": [{"value": "a", "role": "ADMIN"}]},
    )
    assert cleared["identityProvider"]["claimRoleMapping"]["values"][0]["role"] == "ADMIN"
    removed_mapping = await configure(client, token, id=idp["id"], version=3, claimRoleMapping=None)
    assert removed_mapping["identityProvider"]["claimRoleMapping"] is None
    wrong_kind = await configure(client, token, id=global_id("Member", uuid.uuid4()), version=1)
    assert errors_of(wrong_kind) == {"id": "VALIDATION"}


async def test_remove_checks_the_version_and_the_provider_is_gone(
    client: httpx.AsyncClient,
    engine: AsyncEngine,
    make_tenant: TenantFactory,
    make_token: TokenFactory,
) -> None:
    tenant = await make_tenant()
    token = await make_token(tenant, "admin")
    idp = (await configure(client, token, **STAFF))["identityProvider"]
    stale = data(await gql(client, REMOVE, {"input": {"id": idp["id"], "version": 9}}, token=token))
    assert stale["removeIdentityProvider"]["removedIdentityProviderId"] is None
    assert errors_of(stale["removeIdentityProvider"]) == {"version": "CONFLICT"}
    done = data(await gql(client, REMOVE, {"input": {"id": idp["id"], "version": 1}}, token=token))
    assert done["removeIdentityProvider"] == {"removedIdentityProviderId": idp["id"], "errors": []}
    assert data(await gql(client, NODE, {"id": idp["id"]}, token=token))["node"] is None
    again = data(await gql(client, REMOVE, {"input": {"id": idp["id"], "version": 1}}, token=token))
    assert [e["code"] for e in again["removeIdentityProvider"]["errors"]] == ["NOT_FOUND"]
    assert await audit_actions(engine, tenant, "IdentityProvider") == ["create", "delete"]


async def test_only_admins_see_or_manage_providers(
    client: httpx.AsyncClient,
    engine: AsyncEngine,
    make_tenant: TenantFactory,
    make_token: TokenFactory,
) -> None:
    """Non-admins get an empty connection and a null node, like for a missing provider."""
    tenant = await make_tenant()
    admin = await make_token(tenant, "admin")
    org = await _client(engine, tenant)
    idp = (await configure(client, admin, **STAFF))["identityProvider"]
    assert data(await gql(client, NODE, {"id": idp["id"]}, token=admin))["node"]["id"]
    for role, org_id in (
        ("consultant", None),
        ("viewer", None),
        ("client_owner", org),
        ("client_viewer", org),
    ):
        token = await make_token(tenant, role, org_id)
        listed = data(await gql(client, LIST, token=token))["identityProviders"]
        assert listed["totalCount"] == 0 and listed["edges"] == [], role
        assert data(await gql(client, NODE, {"id": idp["id"]}, token=token))["node"] is None
        for result in (
            await configure(client, token, **STAFF),
            await configure(client, token, id=idp["id"], version=1, name="x"),
        ):
            assert result["identityProvider"] is None
            assert [e["code"] for e in result["errors"]] == ["FORBIDDEN"], role
        removed = data(
            await gql(client, REMOVE, {"input": {"id": idp["id"], "version": 1}}, token=token)
        )["removeIdentityProvider"]
        assert [e["code"] for e in removed["errors"]] == ["FORBIDDEN"], role
    assert (await _stored(engine, tenant, idp["id"])).version == 1


async def test_another_tenants_provider_is_like_a_missing_one(
    client: httpx.AsyncClient, make_tenant: TenantFactory, make_token: TokenFactory
) -> None:
    token_a = await make_token(await make_tenant())
    token_b = await make_token(await make_tenant())
    idp = (await configure(client, token_a, **STAFF))["identityProvider"]
    assert data(await gql(client, NODE, {"id": idp["id"]}, token=token_b))["node"] is None
    other = await configure(client, token_b, id=idp["id"], version=1, name="x")
    assert errors_of(other) == {"id": "NOT_FOUND"}
    listed = data(await gql(client, LIST, token=token_b))["identityProviders"]
    assert listed["totalCount"] == 0


CLAIMS = """
mutation($input: ConfigureIdentityProviderInput!) {
  configureIdentityProvider(input: $input) {
    identityProvider { id version emailClaim nameClaim requireEmailVerified }
    errors { field code message }
  }
}"""


async def test_the_claim_mapping_is_configured_and_read_back(
    client: httpx.AsyncClient, make_tenant: TenantFactory, make_token: TokenFactory
) -> None:
    token = await make_token(await make_tenant(), "admin")

    async def send(fields: dict[str, Any]) -> dict[str, Any]:
        result = data(await gql(client, CLAIMS, {"input": fields}, token=token))
        payload: dict[str, Any] = result["configureIdentityProvider"]
        return payload

    added = (await send(STAFF))["identityProvider"]
    assert (added["emailClaim"], added["nameClaim"], added["requireEmailVerified"]) == (
        "email",
        "name",
        True,
    )
    entra = {"emailClaim": "upn", "nameClaim": "given_name", "requireEmailVerified": False}
    changed = await send({"id": added["id"], "version": added["version"], **entra})
    assert changed["errors"] == []
    assert {k: changed["identityProvider"][k] for k in entra} == entra
    bad = await send({"id": added["id"], "version": added["version"] + 1, "emailClaim": "a b"})
    assert errors_of(bad) == {"emailClaim": "VALIDATION"}
