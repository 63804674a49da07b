"""From a validated query operation to one SQL statement per root field.

Each object selection becomes `row_to_json` of a one-row subquery whose columns
are named by the response keys; a related object a correlated subquery; a list
`array_to_json(array_agg(...))` in the list's order (both print compact JSON,
byte for byte what the ordinary executor writes, unlike json_build_object);
a connection one keyset page (`LIMIT first + 1`) aggregated into edges and
pageInfo, with `totalCount` a subquery. Visibility (schema/scoping.py) is
applied to every table-backed source exactly where the ordinary path's loaders
apply it. Argument errors (a bad `first`, a bad cursor) and anything without
SQL raise NotCompilable: the ordinary executor then answers, errors and all.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

import strawberry
from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLEnumType,
    GraphQLError,
    GraphQLField,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLScalarType,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
)
from graphql.execution.values import (
    VariableValues,
    get_argument_values,
    get_directive_values,
)
from graphql.type.directives import GraphQLIncludeDirective, GraphQLSkipDirective
from sqlalchemy import (
    Text,
    column,
    func,
    literal,
    null,
    select,
)
from sqlalchemy import cast as sql_cast
from sqlalchemy.dialects.postgresql import JSON, JSONB, array
from strawberry.types.arguments import convert_arguments

from schema.compiled import encode
from schema.compiled.connections import connection_json
from schema.compiled.json_sql import EMPTY_ARRAY, json_array_sql, json_object_sql, unwrap
from schema.compiled.sql import (
    Context,
    Expr,
    NotCompilable,
    Page,
    Related,
    Row,
    Source,
    Spec,
    json_text,
    planning,
)
from schema.ids import parse_global_id
from schema.node import NODE_KINDS
from schema.pagination import check_first
from schema.scoping import visible
from tenants.principals import Principal

BACKREF = "strawberry-definition"


FieldGroups = dict[str, list[FieldNode]]


@dataclass
class Planner:
    schema: strawberry.Schema
    principal: Principal
    variables: VariableValues
    fragments: dict[str, FragmentDefinitionNode]

    # -- fields and arguments --------------------------------------------------

    def collect(
        self, gtype: GraphQLObjectType, selection_sets: list[SelectionSetNode]
    ) -> FieldGroups:
        """Response key -> field nodes in the executor's order, with directives and fragments."""
        groups: FieldGroups = {}
        for selection_set in selection_sets:
            self._collect(gtype, selection_set, groups, set())
        return groups

    def collect_below(self, gtype: GraphQLObjectType, nodes: list[FieldNode]) -> FieldGroups:
        """The merged sub-selection of a field's nodes (`collect` over their selection sets)."""
        return self.collect(gtype, [n.selection_set for n in nodes if n.selection_set])

    def _included(self, node: Any) -> bool:
        skip = get_directive_values(GraphQLSkipDirective, node, self.variables)
        if skip and skip.get("if") is True:
            return False
        include = get_directive_values(GraphQLIncludeDirective, node, self.variables)
        return not (include and include.get("if") is False)

    def _applies(self, condition: Any, gtype: GraphQLObjectType) -> bool:
        if condition is None:
            return True
        name = condition.name.value
        return name == gtype.name or any(i.name == name for i in gtype.interfaces)

    def _collect(
        self,
        gtype: GraphQLObjectType,
        selection_set: SelectionSetNode,
        groups: FieldGroups,
        seen: set[str],
    ) -> None:
        for sel in selection_set.selections:
            if not self._included(sel):
                continue
            if isinstance(sel, FieldNode):
                key = (sel.alias or sel.name).value
                groups.setdefault(key, []).append(sel)
            elif isinstance(sel, InlineFragmentNode):
                if self._applies(sel.type_condition, gtype):
                    self._collect(gtype, sel.selection_set, groups, seen)
            elif isinstance(sel, FragmentSpreadNode):
                name = sel.name.value
                fragment = self.fragments.get(name)
                if (
                    name in seen
                    or fragment is None
                    or not self._applies(fragment.type_condition, gtype)
                ):
                    continue
                seen.add(name)
                self._collect(gtype, fragment.selection_set, groups, seen)

    def arguments(self, gfield: GraphQLField, node: FieldNode) -> dict[str, Any]:
        raw = get_argument_values(gfield, node, self.variables)
        definition = gfield.extensions.get(BACKREF)
        if definition is None:
            return raw
        return convert_arguments(
            raw,
            definition.arguments,
            scalar_registry=self.schema.schema_converter.scalar_registry,
            config=self.schema.config,
        )

    def spec_of(self, gtype: GraphQLObjectType, name: str, gfield: GraphQLField) -> Spec | None:
        definition = gfield.extensions.get(BACKREF)
        if definition is None:
            raise NotCompilable(f"{gtype.name}.{name} has no definition")
        spec = (definition.metadata or {}).get("sql")
        if spec is None and definition.base_resolver is not None:
            raise NotCompilable(f"{gtype.name}.{name} has a resolver and no SQL")
        return cast(Spec | None, spec)

    # -- objects -----------------------------------------------------------------

    def object_json(self, gtype: GraphQLObjectType, row: Row, groups: FieldGroups) -> Any:
        return json_object_sql(
            [(key, self.field_json(gtype, row, nodes)) for key, nodes in groups.items()]
        )

    def field_json(self, gtype: GraphQLObjectType, row: Row, nodes: list[FieldNode]) -> Any:
        name = nodes[0].name.value
        if name == "__typename":
            return literal(gtype.name)
        gfield = gtype.fields.get(name)
        if gfield is None:
            raise NotCompilable(f"unknown field {gtype.name}.{name}")
        if (
            name == "id"
            and row.model is not None
            and any(i.name == "Node" for i in gtype.interfaces)
        ):
            return self.leaf(gfield.type.of_type, row.col("id"), gtype=gtype, field=name, row=row)
        spec = self.spec_of(gtype, name, gfield)
        args = self.arguments(gfield, nodes[0]) if gfield.args else {}
        named, is_list, _ = unwrap(gfield.type)
        if isinstance(named, GraphQLScalarType | GraphQLEnumType):
            if spec is None:
                value = self.default_column(gtype, row, name, gfield)
            elif isinstance(spec, Expr):
                value = spec.build(row, args)
            else:
                raise NotCompilable(f"{gtype.name}.{name}: a leaf needs an Expr")
            if is_list:
                return self.leaf_list(named, value)
            return self.leaf(named, value, gtype=gtype, field=name, row=row)
        sub_sets = [n.selection_set for n in nodes if n.selection_set is not None]
        if isinstance(spec, Page):
            return self.connection_json(named, spec, row, args, sub_sets)
        if isinstance(spec, Related):
            source = spec.build(row, args)
            return self.related_json(named, source, sub_sets, many=is_list)
        raise NotCompilable(f"{gtype.name}.{name}: an object field needs Related or Page")

    def default_column(
        self, gtype: GraphQLObjectType, row: Row, name: str, gfield: GraphQLField
    ) -> Any:
        definition = gfield.extensions[BACKREF]
        python_name = definition.python_name
        if name == "id" and row.model is not None:
            return row.col("id")
        try:
            return row.col(python_name)
        except (AttributeError, KeyError) as exc:
            raise NotCompilable(f"{gtype.name}.{name}: no column {python_name}") from exc

    def leaf(
        self, named: Any, value: Any, *, gtype: GraphQLObjectType, field: str, row: Row
    ) -> Any:
        is_json = isinstance(getattr(value, "type", None), JSON | JSONB)
        if isinstance(named, GraphQLEnumType):
            enum_cls = named.extensions[BACKREF].wrapped_cls
            text = json_text(value) if is_json else value
            return encode.enum_name_sql(enum_cls, text)
        kind = named.name
        if kind == "ID" and field == "id" and row.model is not None and not is_json:
            node_name = getattr(gtype.extensions[BACKREF].origin, "NODE_NAME", None)
            if node_name is None:
                raise NotCompilable(f"{gtype.name}.id without NODE_NAME")
            return encode.global_id_sql(node_name, value)
        if is_json:
            if kind in ("String", "ID", "Int", "Float", "Boolean", "JSON"):
                return value
            raise NotCompilable(f"{kind} read from a JSON document")
        if kind == "DateTime":
            return encode.datetime_sql(value)
        if kind == "Date":
            return encode.date_sql(value)
        if kind == "Float":
            return encode.float_sql(value)
        if kind in ("String", "ID", "Int", "Float", "Boolean", "JSON"):
            return value
        raise NotCompilable(f"scalar {kind}")

    def leaf_list(self, named: Any, value: Any) -> Any:
        """A list of leaves from a PostgreSQL array or a JSON array, in order."""
        vtype = getattr(value, "type", None)
        if isinstance(vtype, JSON | JSONB):
            elements = (
                func.jsonb_array_elements(value)
                .table_valued(column("value", JSONB), with_ordinality="ord")
                .render_derived()
            )
            item: Any = elements.c.value
            if isinstance(named, GraphQLEnumType):
                item = encode.enum_name_sql(named.extensions[BACKREF].wrapped_cls, json_text(item))
            elif named.name not in ("String", "Int", "Float", "Boolean", "JSON", "ID"):
                raise NotCompilable(f"list of {named.name} from JSON")
        else:
            elements = (
                func.unnest(value).table_valued("value", with_ordinality="ord").render_derived()
            )
            item = elements.c.value
            if isinstance(named, GraphQLEnumType):
                item = encode.enum_name_sql(named.extensions[BACKREF].wrapped_cls, item)
            elif named.name == "Date":
                item = encode.date_sql(item)
            elif named.name not in ("String", "Int", "Boolean", "ID"):
                raise NotCompilable(f"list of {named.name} from an array")
        agg = json_array_sql(item, elements.c.ord)
        stmt = select(agg).select_from(elements).correlate_except(elements)
        return func.coalesce(stmt.scalar_subquery(), EMPTY_ARRAY)

    def related_json(
        self, named: Any, source: Source, sub_sets: list[SelectionSetNode], *, many: bool
    ) -> Any:
        if isinstance(named, GraphQLInterfaceType):
            raise NotCompilable("an interface-typed field")
        groups = self.collect(named, sub_sets)
        obj = self.object_json(named, source.row, groups)
        where = list(source.where)
        if source.model is not None:
            where += source.row.adapt(visible(source.model, self.principal))
        if not source.froms:
            if many:
                raise NotCompilable("a list needs a FROM")
            if not where:
                return obj
            return select(obj).where(*where).correlate_except().scalar_subquery()
        if many:
            agg = json_array_sql(obj, *source.order_by)
            stmt = (
                select(agg).select_from(*source.froms).where(*where).correlate_except(*source.froms)
            )
            return func.coalesce(stmt.scalar_subquery(), EMPTY_ARRAY)
        stmt = (
            select(obj)
            .select_from(*source.froms)
            .where(*where)
            .order_by(*source.order_by)
            .limit(1)
            .correlate_except(*source.froms)
        )
        return stmt.scalar_subquery()

    # -- connections -------------------------------------------------------------

    def connection_json(
        self,
        conn_type: GraphQLObjectType,
        spec: Page,
        parent: Row | None,
        args: dict[str, Any],
        sub_sets: list[SelectionSetNode],
    ) -> Any:
        return connection_json(self, conn_type, spec, parent, args, sub_sets)

    # -- root fields -------------------------------------------------------------

    def root_json(self, query_type: GraphQLObjectType, nodes: list[FieldNode]) -> Any:
        name = nodes[0].name.value
        if name == "__typename":
            return literal(query_type.name)
        if name.startswith("__"):
            raise NotCompilable("introspection")
        gfield = query_type.fields[name]
        args = self.arguments(gfield, nodes[0]) if gfield.args else {}
        sub_sets = [n.selection_set for n in nodes if n.selection_set is not None]
        if name == "node":
            return self.node_json(args["id"], sub_sets)
        if name == "nodes":
            try:
                check_first(len(args["ids"]))
            except GraphQLError as exc:
                raise NotCompilable(exc.message) from exc
            items = [self.node_json(i, sub_sets) for i in args["ids"]]
            if not items:
                return EMPTY_ARRAY
            return func.array_to_json(array(items, type_=JSON))
        spec = self.spec_of(query_type, name, gfield)
        named, is_list, _ = unwrap(gfield.type)
        if isinstance(spec, Page):
            return self.connection_json(named, spec, None, args, sub_sets)
        if isinstance(spec, Related):
            return self.related_json(named, spec.build(Row(None), args), sub_sets, many=is_list)
        raise NotCompilable(f"root field {name}")

    def node_json(self, value: str, sub_sets: list[SelectionSetNode]) -> Any:
        parsed = parse_global_id(value)
        kind = NODE_KINDS.get(parsed[0]) if parsed else None
        if parsed is None or kind is None:
            return null()
        if kind.load is not None and kind.source is None:
            raise NotCompilable(f"{parsed[0]} loads through Python")
        gtype = self.schema._schema.get_type(parsed[0])
        if not isinstance(gtype, GraphQLObjectType):
            return null()
        if kind.source is not None:
            source = kind.source(parsed[1])
        else:
            row = Row.of(kind.model)
            source = Source(
                row,
                froms=[row.entity],
                where=[row.entity.id == literal(parsed[1], row.entity.id.type)],
                model=kind.model,
            )
        return self.related_json(gtype, source, sub_sets, many=False)


def plan_operation(
    schema: strawberry.Schema,
    operation: OperationDefinitionNode,
    fragments: dict[str, FragmentDefinitionNode],
    variables: VariableValues,
    principal: Principal,
    ctx: Context | None = None,
) -> list[tuple[str, Any]]:
    """(response key, SELECT producing that key's JSON) for each root field, in order.

    `ctx` is what specs read through `schema.compiled.sql.context()` (the principal,
    the request's base URL); afterwards `ctx.personal` says whether they did.
    """
    if operation.operation.value != "query":
        raise NotCompilable("only queries are compiled")
    query_type = schema._schema.query_type
    assert query_type is not None
    planner = Planner(schema, principal, variables, fragments)
    out: list[tuple[str, Any]] = []
    with planning(ctx or Context(principal)):
        groups = planner.collect(query_type, [operation.selection_set])
        for key, nodes in groups.items():
            # Text, not json: the driver would decode json, and the text goes out as it is.
            out.append((key, select(sql_cast(planner.root_json(query_type, nodes), Text))))
    return out


__all__ = ["NotCompilable", "plan_operation"]
