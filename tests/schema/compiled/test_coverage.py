"""Every field a query can reach has SQL, so no read falls back for want of it.

A field with a resolver must declare its SQL beside it (`metadata=sql(...)`,
schema/compiled/sql.py); a plain field reads the column of its name. This walks
every type reachable from Query and fails on a resolver without SQL, so a new
field is added once and both read paths serve it.
"""

from __future__ import annotations

from typing import Any

from graphql import GraphQLInterfaceType, GraphQLList, GraphQLNonNull, GraphQLObjectType

from schema import build_schema

# Answered by the planner itself (schema/compiled/planner.py root_json, field_json).
PLANNER_FIELDS = {("Query", "node"), ("Query", "nodes")}
# Documented fallbacks: computed in Python from the readiness snapshot and rules, which
# SQL cannot express; an operation selecting one runs on the ordinary executor (with a
# fixed number of statements, tests/frameworks/test_coverage_api.py).
PYTHON_FIELDS = {("ClientOrganisation", "frameworkCoverage"), ("AIProcess", "frameworkCoverage")}


def _named(t: Any) -> Any:
    while isinstance(t, GraphQLNonNull | GraphQLList):
        t = t.of_type
    return t


def _reachable_from_query() -> list[GraphQLObjectType]:
    schema = build_schema()._schema
    assert schema.query_type is not None
    seen: dict[str, GraphQLObjectType] = {}
    todo: list[Any] = [schema.query_type]
    while todo:
        gtype = todo.pop()
        if isinstance(gtype, GraphQLInterfaceType):
            todo.extend(schema.get_possible_types(gtype))
            continue
        if not isinstance(gtype, GraphQLObjectType) or gtype.name in seen:
            continue
        seen[gtype.name] = gtype
        todo.extend(_named(f.type) for f in gtype.fields.values())
    return list(seen.values())


def test_every_resolver_reachable_from_query_declares_its_sql() -> None:
    missing = []
    for gtype in _reachable_from_query():
        if gtype.name.endswith(("Connection", "Edge")) or gtype.name == "PageInfo":
            continue  # built by schema/compiled/connections.py from the Page spec
        is_node = any(i.name == "Node" for i in gtype.interfaces)
        for name, field in gtype.fields.items():
            definition = field.extensions.get("strawberry-definition")
            if (gtype.name, name) in PLANNER_FIELDS | PYTHON_FIELDS or (is_node and name == "id"):
                continue
            if definition is None or definition.base_resolver is None:
                continue
            if "sql" not in (definition.metadata or {}):
                missing.append(f"{gtype.name}.{name}")
    assert missing == [], missing


def test_the_walk_reaches_the_whole_read_graph() -> None:
    names = {t.name for t in _reachable_from_query()}
    # A walk that stopped early would pass the test above vacuously.
    assert {"AIProcess", "Owner", "CapabilityAssessment", "VendorAgreement", "ApiToken"} <= names
    assert len(names) > 40
