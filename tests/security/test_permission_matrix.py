"""Every mutation of the schema, run as every role: the role x operation matrix.

Built from the live schema: a mutation without an entry in MUTATION_POLICIES,
or one that forgets to call `authorize`, fails here.
"""

from __future__ import annotations

import uuid

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from schema.permissions import MUTATION_POLICIES
from schema.viewer.permissions import enum_name
from tenants.principals import Role
from tenants.registry import TenantRef
from tenants.tokens import issue_token
from tests.security.schema_walk import MutationSpec, build_input, document, fake_id, mutations
from tests.support import gql

SPECS = mutations()


def test_every_mutation_has_a_policy() -> None:
    missing = [s.name for s in SPECS if s.name not in MUTATION_POLICIES]
    assert missing == [], f"add these to schema/permissions.py MUTATION_POLICIES: {missing}"


@pytest.fixture(scope="module")
async def tenant(engine: AsyncEngine) -> TenantRef:
    from tenants.provisioning import create_tenant
    from tests.support import unique_slug

    return await create_tenant(engine, slug=unique_slug("perm"), name="Matrix")


async def _token(
    engine: AsyncEngine, tenant: TenantRef, role: Role, scopes: tuple[str, ...] = ()
) -> str:
    client_org = uuid.uuid4() if role in (Role.CLIENT_OWNER, Role.CLIENT_VIEWER) else None
    async with engine.connect() as conn, conn.begin():
        issued = await issue_token(
            conn,
            tenant=tenant,
            role=role.value,
            name=f"matrix {role}",
            client_organisation_id=client_org,
            scopes=scopes,
        )
    return issued.secret


async def _codes(client: httpx.AsyncClient, spec: MutationSpec, token: str) -> list[str]:
    variables = {"input": build_input(spec, lambda _field, node_type: fake_id(node_type))}
    body = await gql(client, document(spec), variables, token=token)
    assert not body.get("errors"), body["errors"]
    return [e["code"] for e in body["data"][spec.name]["errors"]]


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
async def test_each_role_is_refused_exactly_the_mutations_its_policy_denies(
    client: httpx.AsyncClient, engine: AsyncEngine, tenant: TenantRef, role: Role
) -> None:
    token = await _token(engine, tenant, role)
    wrong: list[str] = []
    for spec in SPECS:
        policy = MUTATION_POLICIES[spec.name]
        codes = await _codes(client, spec, token)
        if role in policy.roles:
            if "FORBIDDEN" in codes:
                wrong.append(f"{spec.name}: allowed for {role} but FORBIDDEN")
        elif policy.assigned_client_owner and role is Role.CLIENT_OWNER:
            # Only on a process the owner is assigned to; these ids exist nowhere.
            if not codes or not set(codes) <= {"FORBIDDEN", "NOT_FOUND"}:
                wrong.append(f"{spec.name}: an unassigned client owner got {codes}")
        elif codes != ["FORBIDDEN"]:
            wrong.append(f"{spec.name}: {role} should be FORBIDDEN, got {codes}")
    assert wrong == []


async def test_a_read_only_scoped_token_is_refused_every_mutation(
    client: httpx.AsyncClient, engine: AsyncEngine, tenant: TenantRef
) -> None:
    token = await _token(engine, tenant, Role.ADMIN, scopes=("read",))
    refused = [s.name for s in SPECS if await _codes(client, s, token) == ["FORBIDDEN"]]
    assert refused == [s.name for s in SPECS]


def _query_document(name: str) -> str:
    """A minimal, valid selection of a top-level query field, from the schema."""
    from graphql import GraphQLList, GraphQLNonNull, GraphQLObjectType, get_named_type

    from tests.security.schema_walk import GRAPHQL

    assert GRAPHQL.query_type is not None
    field = GRAPHQL.query_type.fields[name]
    args = []
    for arg_name, arg in field.args.items():
        if isinstance(arg.type, GraphQLNonNull):
            inner = arg.type.of_type
            value = fake_id("ClientOrganisation")
            args.append(
                f'{arg_name}: ["{value}"]'
                if isinstance(inner, GraphQLList)
                else f'{arg_name}: "{value}"'
            )
    named = get_named_type(field.type)
    selection = "totalCount" if named.name.endswith("Connection") else "__typename"
    assert isinstance(named, GraphQLObjectType) or selection == "__typename"
    arguments = f"({', '.join(args)})" if args else ""
    return f"{{ {name}{arguments} {{ {selection} }} }}"


def _query_names() -> list[str]:
    from tests.security.schema_walk import GRAPHQL

    assert GRAPHQL.query_type is not None
    return sorted(GRAPHQL.query_type.fields)


ADMIN_ONLY_LISTS = {"identityProviders", "apiTokens", "webhookDeliveries", "signInAttempts"}


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
async def test_every_query_runs_for_every_role_and_admin_data_stays_with_admins(
    client: httpx.AsyncClient, engine: AsyncEngine, tenant: TenantRef, role: Role
) -> None:
    token = await _token(engine, tenant, role)
    for name in _query_names():
        body = await gql(client, _query_document(name), token=token)
        assert not body.get("errors"), (name, body["errors"])
        value = body["data"][name]
        if name in ADMIN_ONLY_LISTS:
            if role is Role.ADMIN:
                assert name != "apiTokens" or value["totalCount"] >= 1  # at least its own
            else:
                assert value["totalCount"] == 0, (name, role)
        if name in ("reportSchedule", "reportBranding"):
            assert (value is None) == (role not in (Role.ADMIN, Role.CONSULTANT, Role.VIEWER))


VIEWER_PERMISSIONS = "{ viewer { permissions { action scope } } }"


async def _permissions(client: httpx.AsyncClient, token: str) -> dict[str, str]:
    body = await gql(client, VIEWER_PERMISSIONS, token=token)
    assert not body.get("errors"), body["errors"]
    return {p["action"]: p["scope"] for p in body["data"]["viewer"]["permissions"]}


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
async def test_viewer_permissions_list_exactly_what_the_matrix_lets_the_role_run(
    client: httpx.AsyncClient, engine: AsyncEngine, tenant: TenantRef, role: Role
) -> None:
    token = await _token(engine, tenant, role)
    listed = await _permissions(client, token)
    # What the server does: every mutation it does not refuse is listed as ANY ...
    expected = {
        enum_name(s.name): "ANY" for s in SPECS if "FORBIDDEN" not in await _codes(client, s, token)
    }
    # ... and a client owner's feedback on its own processes as ASSIGNED_PROCESS (the
    # matrix test above checks these are refused on any other process).
    if role is Role.CLIENT_OWNER:
        expected |= {
            enum_name(s.name): "ASSIGNED_PROCESS"
            for s in SPECS
            if MUTATION_POLICIES[s.name].assigned_client_owner
        }
    assert listed == expected
    by_name = [enum_name(n) for n in sorted(MUTATION_POLICIES)]
    assert list(listed) == [a for a in by_name if a in listed]  # sorted by mutation name


@pytest.mark.parametrize("scopes", [("read",), ("reports",), ("write",), ("admin",)])
async def test_viewer_permissions_of_a_scoped_token_are_what_its_scopes_allow(
    client: httpx.AsyncClient, engine: AsyncEngine, tenant: TenantRef, scopes: tuple[str, ...]
) -> None:
    token = await _token(engine, tenant, Role.ADMIN, scopes=scopes)
    listed = await _permissions(client, token)
    allowed = {
        enum_name(s.name): "ANY" for s in SPECS if "FORBIDDEN" not in await _codes(client, s, token)
    }
    assert listed == allowed
    assert bool(listed) == (scopes != ("read",))
