"""schemathesis against every query and mutation of the committed SDL, as every role.

Bounded for CI by STEWARD_FUZZ_EXAMPLES (default 8 per operation); a release run
uses more (README, "Tests"). Properties: no 5xx, and no masked internal error.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from datetime import UTC
from typing import Any

import graphql
import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from schema.export import SDL_PATH
from tenants import models as m
from tenants.demo_seed import seed_demo
from tenants.provisioning import create_tenant
from tenants.session import tenant_session
from tenants.tokens import issue_token
from tests.support import unique_slug

EXAMPLES = int(os.environ.get("STEWARD_FUZZ_EXAMPLES", "8"))


def _string(values: st.SearchStrategy[str]) -> st.SearchStrategy[graphql.ValueNode]:
    # Well-formed values most of the time, arbitrary text sometimes: both must be handled.
    return st.one_of(values, values, st.text(max_size=40)).map(
        lambda v: graphql.StringValueNode(value=v)
    )


schemathesis.graphql.scalar("Date", _string(st.dates().map(lambda d: d.isoformat())))
schemathesis.graphql.scalar(
    "DateTime", _string(st.datetimes(timezones=st.just(UTC)).map(lambda d: d.isoformat()))
)
schemathesis.graphql.scalar(
    "Decimal",
    _string(st.decimals(min_value=-1000, max_value=1000, places=2).map(str)),
)
schemathesis.graphql.scalar("UUID", _string(st.uuids().map(str)))
schemathesis.graphql.scalar("JSON", st.just(graphql.ObjectValueNode(fields=())))
SCHEMA = schemathesis.graphql.from_path(str(SDL_PATH))
OPERATIONS = [result.ok() for result in SCHEMA.get_all_operations()]
ROLES = ("admin", "consultant", "viewer", "client_owner", "client_viewer")


@pytest.fixture(scope="module")
async def role_tokens(engine: AsyncEngine) -> dict[str, str]:
    tenant = await create_tenant(
        engine, slug=unique_slug("fuzz"), name="Fuzz", after_migrate=seed_demo
    )
    async with tenant_session(engine, tenant) as s:
        client_id: uuid.UUID | None = await s.scalar(select(m.ClientOrganisation.id).limit(1))
    tokens = {}
    async with engine.connect() as conn, conn.begin():
        for role in ROLES:
            client = client_id if role.startswith("client_") else None
            issued = await issue_token(
                conn, tenant=tenant, role=role, name=role, client_organisation_id=client
            )
            tokens[role] = issued.secret
    return tokens


def _fuzz(operation: Any, base_url: str, tokens: dict[str, str]) -> list[str]:
    problems: list[str] = []

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy())
    def check(case: Any) -> None:
        with httpx.Client(base_url=base_url, timeout=30) as client:
            for role, token in tokens.items():
                response = client.post(
                    "/graphql",
                    json={"query": case.body},
                    headers={"authorization": f"Bearer {token}"},
                )
                if response.status_code >= 500 or "Internal server error" in response.text:
                    problems.append(
                        f"{operation.label} as {role}: {response.status_code} "
                        f"{response.text[:300]} for {case.body}"
                    )

    check()
    return problems


@pytest.mark.timeout(900)
@pytest.mark.parametrize("operation", OPERATIONS, ids=[o.label for o in OPERATIONS])
async def test_no_operation_errors_for_any_role(
    base_url: str, role_tokens: dict[str, str], operation: Any
) -> None:
    # The server runs on this event loop; the synchronous fuzzer runs beside it.
    problems = await asyncio.to_thread(_fuzz, operation, base_url, role_tokens)
    assert problems == []
