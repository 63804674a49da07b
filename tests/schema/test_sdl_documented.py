"""Every type, field, argument, input value and enum value of the API has a description.

GraphiQL and generated front-end types show these to the developer; an undescribed
item tells them nothing. Walks the schema the server serves (the same one `make sdl`
prints) and lists every item without one.

Left out, because Strawberry or GraphQL itself defines them and their text is not ours
to write: the introspection types (`__Schema`, `__Type`, ...) and the built-in scalars
(`String`, `Int`, `Float`, `Boolean`, `ID`, described by the GraphQL specification).
Everything Steward declares is walked, the Relay `Node`, `PageInfo`, connections and
edges included.
"""

from __future__ import annotations

from collections.abc import Iterator

from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLUnionType,
)
from graphql.type import specified_scalar_types

from schema import build_schema

GRAPHQL: GraphQLSchema = build_schema()._schema


def _ours() -> Iterator[GraphQLNamedType]:
    for name, t in sorted(GRAPHQL.type_map.items()):
        if not name.startswith("__") and name not in specified_scalar_types:
            yield t


def _described(description: str | None) -> bool:
    return bool(description and description.strip())


def undocumented() -> list[str]:
    """`Type`, `Type.field`, `Type.field(arg)` and `Enum.VALUE` of each item without one."""
    missing: list[str] = []
    for t in _ours():
        if not _described(t.description):
            missing.append(t.name)
        if isinstance(t, GraphQLObjectType | GraphQLInterfaceType):
            for fname, field in t.fields.items():
                if not _described(field.description):
                    missing.append(f"{t.name}.{fname}")
                missing += [
                    f"{t.name}.{fname}({aname})"
                    for aname, arg in field.args.items()
                    if not _described(arg.description)
                ]
        elif isinstance(t, GraphQLInputObjectType):
            missing += [
                f"{t.name}.{fname}"
                for fname, field in t.fields.items()
                if not _described(field.description)
            ]
        elif isinstance(t, GraphQLEnumType):
            missing += [
                f"{t.name}.{vname}"
                for vname, value in t.values.items()
                if not _described(value.description)
            ]
        else:
            assert not isinstance(t, GraphQLUnionType), "walk union types too"
    return missing


def test_every_item_of_the_sdl_has_a_description() -> None:
    missing = undocumented()
    assert missing == [], f"{len(missing)} items without a description:\n" + "\n".join(missing)


def test_the_walk_sees_what_it_must_check() -> None:
    """The walk itself reaches fields, arguments, input values and enum values."""
    names = {t.name for t in _ours()}
    assert {"Query", "Mutation", "AIProcess", "PageInfo", "Node", "RiskTier"} <= names
    assert "String" not in names and "__Type" not in names
