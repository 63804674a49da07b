"""Bad input in every string field of every mutation: a field-named error, and nothing written.

Generated from the schema: each mutation gets a valid input built from a seeded
tenant's real ids, then one string field at a time is replaced by a hostile value.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from graphql import GraphQLNonNull, GraphQLScalarType, get_nullable_type
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from schema.ids import global_id, parse_global_id
from schema.node import NODE_KINDS
from tenants import models as m
from tenants.demo_seed import seed_demo
from tenants.provisioning import create_tenant
from tenants.registry import TenantRef
from tenants.session import tenant_session
from tenants.tokens import issue_token
from tests.security.schema_walk import build_input, document, fake_id, mutations
from tests.support import gql, unique_slug

HOSTILE = {
    "over-long": "x" * 6000,
    "control characters": "name\x00with\x07bell",
    "bidi override": "invoice\u202egnp.exe",
}


def _string_fields(spec: Any) -> list[str]:
    out = []
    for name, field in spec.input_type.fields.items():
        named = (
            get_nullable_type(field.type)
            if not isinstance(field.type, GraphQLNonNull)
            else field.type.of_type
        )
        if isinstance(named, GraphQLScalarType) and named.name == "String":
            out.append(name)
    return out


CASES = [
    (spec, field, label)
    for spec in mutations()
    for field in _string_fields(spec)
    for label in HOSTILE
]


@pytest.fixture(scope="module")
async def seeded(
    engine: AsyncEngine,
) -> tuple[TenantRef, str, dict[str, str]]:
    tenant = await create_tenant(
        engine, slug=unique_slug("bad"), name="Bad input", after_migrate=seed_demo
    )
    ids: dict[str, str] = {}
    async with tenant_session(engine, tenant) as s:
        for name, kind in NODE_KINDS.items():
            model: Any = kind.model
            # Only the id: platform tables (api tokens) expose no other column to a tenant.
            row_id = await s.scalar(select(model.id).limit(1))
            if row_id is not None:
                ids[name] = global_id(name, row_id)
    async with engine.connect() as conn, conn.begin():
        token = (await issue_token(conn, tenant=tenant, role="admin", name="bad input")).secret
    return tenant, token, ids


async def _audit_count(engine: AsyncEngine, tenant: TenantRef) -> int:
    async with tenant_session(engine, tenant) as s:
        return int(await s.scalar(select(func.count()).select_from(m.AuditEvent)) or 0)


@pytest.mark.parametrize(
    ("spec", "field", "label"), CASES, ids=[f"{s.name}.{f}-{label}" for s, f, label in CASES]
)
async def test_a_hostile_string_is_refused_by_field_and_nothing_is_written(
    client: httpx.AsyncClient,
    engine: AsyncEngine,
    seeded: tuple[TenantRef, str, dict[str, str]],
    spec: Any,
    field: str,
    label: str,
) -> None:
    tenant, token, ids = seeded
    value = build_input(spec, lambda _f, t: ids.get(t, fake_id(t)))
    parsed = parse_global_id(value.get("id", ""))
    if parsed is not None and "version" in value and parsed[0] in NODE_KINDS:
        # The version as it is now: an earlier case must not turn this one into a CONFLICT.
        model: Any = NODE_KINDS[parsed[0]].model
        async with tenant_session(engine, tenant) as s:
            value["version"] = await s.scalar(select(model.version).where(model.id == parsed[1]))
    value[field] = HOSTILE[label]
    before = await _audit_count(engine, tenant)
    body = await gql(client, document(spec), {"input": value}, token=token)
    assert not body.get("errors"), body.get("errors")
    errors = body["data"][spec.name]["errors"]
    assert any(e["field"] == field and e["code"] == "VALIDATION" for e in errors), errors
    assert await _audit_count(engine, tenant) == before
