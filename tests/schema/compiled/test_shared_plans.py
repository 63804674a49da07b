"""One compiled plan serves every tenant, each reading only its own schema.

Plans are compiled with a placeholder for the tenant schema, filled in per request
(schema/compiled/runner.py), so a thousand tenants' first requests do not compile
the same SQL a thousand times. That must never let a request read a neighbour.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine

from schema import build_schema
from schema.compiled.documents import DocumentCache
from schema.compiled.runner import TENANT_SCHEMA, CompiledReads, Fallback
from schema.ids import global_id
from schema.limits import SchemaLimits, limit_extensions
from tenants.principals import Principal, PrincipalKind, Role
from tenants.registry import TenantRef
from tests.conftest import TenantFactory
from tests.support import data, gql

LIST = "{ clientOrganisations(first: 5) { totalCount edges { node { name } } } }"
CREATE = """
mutation($name: String!) {
  createClientOrganisation(input: {name: $name, engagementStatus: ACTIVE}) {
    clientOrganisation { id } errors { field }
  }
}
"""


async def test_the_same_document_reads_each_tenants_own_schema(
    client: object, make_tenant: object, make_token: object
) -> None:
    answers = {}
    for name in ("Alpha Insurance", "Beta Retail"):
        tenant = await make_tenant()  # type: ignore[operator]
        token = await make_token(tenant)  # type: ignore[operator]
        created = await gql(client, CREATE, {"name": name}, token=token)  # type: ignore[arg-type]
        assert data(created)["createClientOrganisation"]["errors"] == []
        answers[name] = data(await gql(client, LIST, token=token))  # type: ignore[arg-type]
    for name, answer in answers.items():
        connection = answer["clientOrganisations"]
        assert connection["totalCount"] == 1
        assert [e["node"]["name"] for e in connection["edges"]] == [name]


def compiled(engine: AsyncEngine, query: str) -> tuple[CompiledReads, Any]:
    """A reader with no plans yet, and `query` parsed and checked as the server does."""
    schema = build_schema()
    document = DocumentCache(schema, limit_extensions(SchemaLimits())).get(query)
    assert document is not None
    return CompiledReads(schema, engine), document


def admin(tenant: TenantRef, name: str = "admin") -> Principal:
    """An admin API token's principal in `tenant`."""
    return Principal(
        kind=PrincipalKind.API_TOKEN, id=uuid.uuid4(), name=name, role=Role.ADMIN, tenant=tenant
    )


async def test_one_plan_is_compiled_for_every_tenant(
    engine: AsyncEngine, make_tenant: TenantFactory
) -> None:
    reader, document = compiled(engine, LIST)
    principals = [admin(await make_tenant()) for _ in range(2)]
    plans = [reader.plan(document, None, {}, p) for p in principals]
    assert plans[0] is plans[1]
    assert not isinstance(plans[0], Fallback)
    assert TENANT_SCHEMA in plans[0][0].sql
    for principal in principals:
        body = await reader.execute(plans[0], principal)
        assert body == b'{"data":{"clientOrganisations":{"totalCount":0,"edges":[]}}}'


async def test_one_plan_serves_every_id_of_a_type(engine: AsyncEngine, tenant: TenantRef) -> None:
    query = "query($id: ID!) { node(id: $id) { ... on ClientOrganisation { name } } }"
    reader, document = compiled(engine, query)
    principal = admin(tenant)
    ids = [uuid.uuid4(), uuid.uuid4()]
    plans = [
        reader.plan(document, None, {"id": global_id("ClientOrganisation", i)}, principal)
        for i in ids
    ]
    assert len(reader._plans) == 1
    assert not isinstance(plans[0], Fallback) and not isinstance(plans[1], Fallback)
    assert plans[0][0].sql == plans[1][0].sql
    for plan, expected in zip(plans, ids, strict=True):
        assert expected in plan[0].params
    # Another type is another plan: the type decides which table is read.
    reader.plan(document, None, {"id": global_id("Owner", ids[0])}, principal)
    assert len(reader._plans) == 2


VIEWER = "{ viewer { kind name role clientOrganisationId tenant { slug name } } }"


async def test_one_viewer_plan_answers_each_principal_with_its_own_values(
    engine: AsyncEngine, make_tenant: TenantFactory
) -> None:
    # Who is asking is filled in per request (schema/compiled/sql.py IDENTITY_STAND_INS):
    # one plan for every principal of a role, each answered with its own name and tenant.
    reader, document = compiled(engine, VIEWER)
    principals = [
        admin(await make_tenant(name=f"{name} Consultancy"), name) for name in ("Ada", "Grace")
    ]
    plans = [reader.plan(document, None, {}, p) for p in principals]
    assert not isinstance(plans[0], Fallback) and not isinstance(plans[1], Fallback)
    assert plans[0][0].sql == plans[1][0].sql
    assert len(reader._plans) == 1
    for plan, principal in zip(plans, principals, strict=True):
        answer = json.loads(await reader.execute(plan, principal))
        assert answer == {
            "data": {
                "viewer": {
                    "kind": "API_TOKEN",
                    "name": principal.name,
                    "role": "ADMIN",
                    "clientOrganisationId": None,
                    "tenant": {"slug": principal.tenant.slug, "name": principal.tenant.name},
                }
            }
        }
