"""Executing a compiled operation: one tenant-bound, read-only transaction, JSON text out.

SQL is compiled once per (document, operation, principal's visibility, tenant,
variables, day) and kept in a bounded LRU: the cache holds SQL text and bound
values, never data, and its key carries the tenant and the principal's scope,
so no entry serves another tenant or another client organisation.

The statement runs on the pooled asyncpg connection directly, so the JSON text
PostgreSQL builds is spliced into the response without being decoded.
"""

from __future__ import annotations

import json
import uuid
from collections import OrderedDict
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from datetime import date
from typing import Any

import strawberry
from graphql import GraphQLError
from graphql.execution.values import get_variable_values
from opentelemetry import trace
from sqlalchemy.ext.asyncio import AsyncEngine

from schema.compiled.documents import Document
from schema.compiled.planner import plan_operation
from schema.compiled.sql import IDENTITY_STAND_INS, Context, NotCompilable, identity_values
from schema.ids import global_id, parse_global_id
from tenants.principals import Principal
from tenants.session import search_path, statement_tag
from tenants.slugs import quote_ident

_tracer = trace.get_tracer("steward.compiled")


def _sql_span(key: str) -> AbstractContextManager[object]:
    # Only inside a recorded trace (a no-op span still costs ~20 us); no statement
    # text, which may carry the viewer's own values.
    if not trace.get_current_span().is_recording():
        return nullcontext()
    return _tracer.start_as_current_span("SELECT compiled " + key)


@dataclass(frozen=True, slots=True)
class CompiledStatement:
    key: str
    sql: str
    params: tuple[Any, ...]
    # (position in params, variable name, form): where a global-id variable goes, as
    # a uuid, its text, or the global id itself.
    slots: tuple[tuple[int, str, str], ...] = ()

    def bound(self, ids: dict[str, dict[str, Any]]) -> CompiledStatement:
        """This statement with the request's own ids in its slots."""
        if not self.slots:
            return self
        params = list(self.params)
        for position, name, form in self.slots:
            params[position] = ids[name][form]
        return CompiledStatement(self.key, self.sql, tuple(params))


# A global-id variable is planned with a stand-in uuid of its own, found afterwards
# among the bound values: one plan then serves every id of that type (every client's
# process map), with the request's ids put in its slots. Only the id's type can
# change the SQL (which table `node` reads), so the type stays in the cache key.
_STAND_IN = uuid.UUID("6f1b3c2e-9a4d-4f0e-8b7a-5d2c1e0f9a3b")

Lifted = tuple[dict[str, Any], dict[str, dict[str, Any]], dict[Any, tuple[str, str]]]


def _forms(type_name: str, value: uuid.UUID) -> dict[str, Any]:
    return {"uuid": value, "str": str(value), "gid": global_id(type_name, value)}


def _lift_ids(variables: dict[str, Any]) -> Lifted:
    """(variables to plan with, each lifted variable's real forms, stand-in -> slot)."""
    planned = dict(variables)
    real: dict[str, dict[str, Any]] = {}
    stand_ins: dict[Any, tuple[str, str]] = {}
    for name, value in variables.items():
        parsed = parse_global_id(value) if isinstance(value, str) else None
        if parsed is None:
            continue
        stand_in = _forms(parsed[0], uuid.uuid5(_STAND_IN, name))
        planned[name] = stand_in["gid"]
        real[name] = _forms(parsed[0], parsed[1])
        for form, shown in stand_in.items():
            stand_ins[shown] = (name, form)
    return planned, real, stand_ins


@dataclass(frozen=True, slots=True)
class Fallback:
    """Why an operation runs on the ordinary executor."""

    reason: str


Plan = tuple[CompiledStatement, ...] | Fallback


# Plans are compiled with this in place of the tenant schema and filled in per request,
# so one plan serves every tenant: a first request of each of 1,000 tenants would
# otherwise compile the same SQL 1,000 times. Quoted, with a space: no GraphQL name
# (the only other text in the SQL: response keys) can be mistaken for it.
TENANT_SCHEMA = "steward tenant"
_TENANT_PREFIX = '"steward tenant".'


def _literal(value: str) -> str:
    # A SQL string literal (standard_conforming_strings is on from PostgreSQL 9.1) for
    # names from the registry, for the one simple-protocol statement that takes no
    # parameters.
    return "'" + value.replace("'", "''") + "'"


def _principal_key(principal: Principal) -> tuple[Any, ...]:
    # Everything visibility depends on (schema/scoping.py); not the tenant (see above).
    return (
        principal.kind.value,
        principal.role.value,
        principal.is_staff,
        principal.scopes,
        principal.client_organisation_id,
    )


def _identity_key(principal: Principal) -> tuple[Any, ...]:
    # Who the principal is, beyond what visibility depends on (the `viewer`).
    return (
        principal.kind.value,
        principal.id,
        principal.name,
        principal.member_id,
        principal.tenant.slug,
        principal.tenant.name,
    )


# The principal's own values (schema/compiled/sql.py IDENTITY_STAND_INS) as slots, named
# apart from variables by a character no GraphQL variable name has.
_IDENTITY_SLOTS: dict[Any, tuple[str, str]] = {
    stand_in: ("@" + name, "value") for name, stand_in in IDENTITY_STAND_INS.items()
}
_IDENTITY_SLOTS.update(
    {str(v): ("@" + k, "str") for k, v in IDENTITY_STAND_INS.items() if isinstance(v, uuid.UUID)}
)


def _identity_slots(principal: Principal) -> dict[str, dict[str, Any]]:
    return {
        "@" + name: {"value": value, "str": None if value is None else str(value)}
        for name, value in identity_values(principal).items()
    }


def _with_ids(plan: Plan, ids: dict[str, dict[str, Any]]) -> Plan:
    if isinstance(plan, Fallback) or not any(statement.slots for statement in plan):
        return plan
    return tuple(statement.bound(ids) for statement in plan)


class CompiledReads:
    """Plans and runs query operations for one schema and engine."""

    def __init__(self, schema: strawberry.Schema, engine: AsyncEngine, size: int = 1024) -> None:
        self.schema = schema
        self.engine = engine
        self.size = size
        self._plans: OrderedDict[tuple[Any, ...], Plan] = OrderedDict()

    def plan(
        self,
        document: Document,
        operation_name: str | None,
        variables: dict[str, Any] | None,
        principal: Principal,
        base_url: str = "",
    ) -> Plan:
        planned, ids, stand_ins = _lift_ids(variables or {})
        ids.update(_identity_slots(principal))
        stand_ins.update(_IDENTITY_SLOTS)
        try:
            variables_key = json.dumps(planned, sort_keys=True)
        except (TypeError, ValueError):
            return Fallback("variables are not JSON")
        key = (
            document.digest,
            operation_name,
            variables_key,
            _principal_key(principal),
            date.today(),
        )
        # A plan whose SQL carries the tenant (API tokens live in `public`) is kept under
        # it; one that carries the principal's own values or the request's base URL
        # (Context.personal: `viewer`, report URLs) under those too.
        bound = (*key, principal.tenant.id)
        own = (*bound, _identity_key(principal), base_url)
        for k in (key, bound, own):
            if k in self._plans:
                self._plans.move_to_end(k)
                return _with_ids(self._plans[k], ids)
        ctx = Context(principal, base_url)
        plan = self._build(document, operation_name, planned, principal, ctx, stand_ins)
        self._plans[own if ctx.personal else bound if ctx.tenant_bound else key] = plan
        if len(self._plans) > self.size:
            self._plans.popitem(last=False)
        return _with_ids(plan, ids)

    def _build(
        self,
        document: Document,
        operation_name: str | None,
        variables: dict[str, Any],
        principal: Principal,
        ctx: Context,
        stand_ins: dict[Any, tuple[str, str]],
    ) -> Plan:
        operation = document.operation(operation_name)
        if operation is None:
            return Fallback("no such operation")
        coerced = get_variable_values(
            self.schema._schema, operation.variable_definitions or (), variables
        )
        if isinstance(coerced, list):  # variable errors: the ordinary executor reports them
            return Fallback("invalid variables")
        try:
            statements = plan_operation(
                self.schema, operation, document.fragments, coerced, principal, ctx
            )
        except NotCompilable as exc:
            return Fallback(str(exc))
        except GraphQLError as exc:
            return Fallback(exc.message)
        translate = {None: TENANT_SCHEMA}
        out = []
        for key, stmt in statements:
            compiled = stmt.compile(
                dialect=self.engine.dialect,
                schema_translate_map=translate,
                render_schema_translate=True,
                compile_kwargs={"render_postcompile": True},
            )
            params = compiled.construct_params()
            # The dialect's bind processors turn enums and the like into driver values.
            processors = compiled._bind_processors
            values = tuple(
                processors[name](params[name]) if name in processors else params[name]
                for name in compiled.positiontup or ()
            )
            slots = tuple(
                (i, *stand_ins[v])
                for i, v in enumerate(values)
                if isinstance(v, uuid.UUID | str) and v in stand_ins
            )
            if any(str(v) in compiled.string for v in IDENTITY_STAND_INS.values()):
                # Rendered into the text, not bound: it could not be filled in per request.
                return Fallback("a principal's own value is not a bound parameter")
            out.append(CompiledStatement(key, compiled.string, values, slots))
        return tuple(out)

    async def execute(self, plan: tuple[CompiledStatement, ...], principal: Principal) -> bytes:
        """The response body `{"data": {...}}` built from PostgreSQL's JSON text."""
        tenant = principal.tenant
        setup = f"BEGIN READ ONLY; SET LOCAL ROLE {quote_ident(tenant.role_name)}"
        tag = statement_tag(tenant)
        if tag is None:  # schema-qualified, this tenant's own statements
            tag, schema = "", quote_ident(tenant.schema_name) + "."
        else:  # unqualified, shared with every tenant at this revision (tenants/session.py)
            # Role and path in one statement, as bind_connection sets them.
            role, path = _literal(tenant.role_name), _literal(search_path(tenant))
            setup = (
                "BEGIN READ ONLY; SELECT set_config('role', "
                f"{role}, true), set_config('search_path', {path}, true)"
            )
            schema = ""
        async with self.engine.connect() as conn:
            raw = await conn.get_raw_connection()
            driver: Any = raw.driver_connection
            # One round trip: the transaction, the tenant role and path together. Both are
            # transaction-local, so nothing outlives this block on the pooled connection.
            await driver.execute(setup)
            try:
                parts = []
                for statement in plan:
                    with _sql_span(statement.key):
                        sql = tag + statement.sql.replace(_TENANT_PREFIX, schema)
                        text = await driver.fetchval(sql, *statement.params)
                    parts.append(json.dumps(statement.key) + ":" + (text or "null"))
            finally:
                try:
                    await driver.execute("ROLLBACK")
                except Exception:
                    await conn.invalidate()
                    raise
        return ('{"data":{' + ",".join(parts) + "}}").encode()
