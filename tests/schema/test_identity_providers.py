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
from tenants.session import tenant_session
from tests.conftest import TokenFactory
from tests.schema.support import (
    add_client,
    assert_invalid,
    audit_actions,
    errors_of,
    mutation,
    non_admin_roles,
    ok,
)
from tests.support import data, gql

FIELDS = """id version name issuer clientId hasClientSecret scopes allowedDomains
  claimRoleMapping { claim values { value role } } defaultRole isStaffProvider
  clientOrganisation { id name } createdAt"""
CONFIGURE = mutation("configureIdentityProvider", f"identityProvider {{ {FIELDS} }}")
REMOVE = mutation("removeIdentityProvider", "removedIdentityProviderId")
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


async def configure(client: httpx.AsyncClient, token: str, **fields: Any) -> dict[str, Any]:
    return await CONFIGURE.send(client, token, **fields)


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
    tenant: TenantRef,
    token: str,
) -> None:
    body = await gql(client, CONFIGURE.document, {"input": STAFF}, token=token)
    idp = ok(data(body)["configureIdentityProvider"])
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
    client: httpx.AsyncClient, token: str, globex: uuid.UUID
) -> None:
    result = await configure(
        client,
        token,
        issuer="https://globex.okta.test/oauth2/default",
        clientId="steward-globex",
        clientSecret="x",
        allowedDomains=["globex.test"],
        clientOrganisationId=global_id("ClientOrganisation", globex),
        defaultRole="CLIENT_VIEWER",
        claimRoleMapping={
            "claim": "groups",
            "values": [{"value": "ai-owners", "role": "CLIENT_OWNER"}],
        },
    )
    idp = ok(result)
    assert idp["clientOrganisation"]["name"] == "Globex" and idp["name"] == "Globex"
    assert idp["isStaffProvider"] is False
    assert idp["claimRoleMapping"] == {
        "claim": "groups",
        "values": [{"value": "ai-owners", "role": "CLIENT_OWNER"}],
    }


async def test_add_validation_errors_name_the_field(
    client: httpx.AsyncClient, engine: AsyncEngine, tenant: TenantRef, token: str
) -> None:
    empty = await configure(client, token)
    assert_invalid(empty, "issuer", "clientId", "clientSecret", "allowedDomains")
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
    org = global_id("ClientOrganisation", await add_client(engine, tenant))
    same = await configure(client, token, **{**STAFF, "clientOrganisationId": org})
    assert errors_of(same) == {"clientId": "CONFLICT"}


async def test_change_rotates_the_secret_checks_the_version_and_keeps_the_organisation(
    client: httpx.AsyncClient,
    engine: AsyncEngine,
    settings: Settings,
    tenant: TenantRef,
    token: str,
) -> None:
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
    after = ok(changed)
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
    org = global_id("ClientOrganisation", await add_client(engine, tenant))
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
    client: httpx.AsyncClient, engine: AsyncEngine, tenant: TenantRef, token: str
) -> None:
    idp = (await configure(client, token, **STAFF))["identityProvider"]
    stale = await REMOVE.send(client, token, id=idp["id"], version=9)
    assert stale["removedIdentityProviderId"] is None
    assert errors_of(stale) == {"version": "CONFLICT"}
    done = await REMOVE.send(client, token, id=idp["id"], version=1)
    assert done == {"removedIdentityProviderId": idp["id"], "errors": []}
    assert data(await gql(client, NODE, {"id": idp["id"]}, token=token))["node"] is None
    again = await REMOVE.send(client, token, id=idp["id"], version=1)
    assert [e["code"] for e in again["errors"]] == ["NOT_FOUND"]
    assert await audit_actions(engine, tenant, "IdentityProvider") == ["create", "delete"]


async def test_only_admins_see_or_manage_providers(
    client: httpx.AsyncClient,
    engine: AsyncEngine,
    tenant: TenantRef,
    token: str,
    globex: uuid.UUID,
    make_token: TokenFactory,
) -> None:
    """Non-admins get an empty connection and a null node, like for a missing provider."""
    idp = (await configure(client, token, **STAFF))["identityProvider"]
    assert data(await gql(client, NODE, {"id": idp["id"]}, token=token))["node"]["id"]
    for role, org_id in non_admin_roles(globex):
        theirs = await make_token(tenant, role, org_id)
        listed = data(await gql(client, LIST, token=theirs))["identityProviders"]
        assert listed["totalCount"] == 0 and listed["edges"] == [], role
        assert data(await gql(client, NODE, {"id": idp["id"]}, token=theirs))["node"] is None
        for result in (
            await configure(client, theirs, **STAFF),
            await configure(client, theirs, id=idp["id"], version=1, name="x"),
        ):
            assert result["identityProvider"] is None
            assert [e["code"] for e in result["errors"]] == ["FORBIDDEN"], role
        removed = await REMOVE.send(client, theirs, id=idp["id"], version=1)
        assert [e["code"] for e in removed["errors"]] == ["FORBIDDEN"], role
    assert (await _stored(engine, tenant, idp["id"])).version == 1


async def test_another_tenants_provider_is_like_a_missing_one(
    client: httpx.AsyncClient, token: str, stranger: str
) -> None:
    idp = (await configure(client, token, **STAFF))["identityProvider"]
    assert data(await gql(client, NODE, {"id": idp["id"]}, token=stranger))["node"] is None
    other = await configure(client, stranger, id=idp["id"], version=1, name="x")
    assert errors_of(other) == {"id": "NOT_FOUND"}
    listed = data(await gql(client, LIST, token=stranger))["identityProviders"]
    assert listed["totalCount"] == 0


CLAIMS = mutation(
    "configureIdentityProvider",
    "identityProvider { id version emailClaim nameClaim requireEmailVerified }",
)


async def test_the_claim_mapping_is_configured_and_read_back(
    client: httpx.AsyncClient, token: str
) -> None:
    async def send(fields: dict[str, Any]) -> dict[str, Any]:
        return await CLAIMS.send(client, token, **fields)

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
