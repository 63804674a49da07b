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
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
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
    false,
    func,
    literal,
    null,
    select,
    true,
    tuple_,
)
from sqlalchemy import cast as sql_cast
from sqlalchemy.dialects.postgresql import JSON, JSONB, aggregate_order_by, array
from strawberry.types.arguments import convert_arguments

from schema.compiled import encode
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
from schema.pagination import DEFAULT_PAGE_SIZE, check_first, decode_cursor
from schema.scoping import visible
from tenants.principals import Principal

BACKREF = "strawberry-definition"
# Response keys become column names, which PostgreSQL cuts at 63 bytes.
MAX_KEY_BYTES = 63
EMPTY_ARRAY = sql_cast(literal("[]"), JSON)
EMPTY_OBJECT = sql_cast(literal("{}"), JSON)


def json_object_sql(pairs: list[tuple[str, Any]]) -> Any:
    """`{"key": value, ...}` in this order, compact: row_to_json of a one-row subquery."""
    if not pairs:
        return EMPTY_OBJECT
    for key, _ in pairs:
        if len(key.encode()) > MAX_KEY_BYTES:
            raise NotCompilable("a response key longer than a PostgreSQL identifier")
    # The values read rows of enclosing queries at any depth: correlate them all.
    row = select(*(value.label(key) for key, value in pairs)).correlate_except().lateral()
    return select(func.row_to_json(row.table_valued())).select_from(row).scalar_subquery()


def json_array_sql(item: Any, *order_by: Any, where: Any = None) -> Any:
    """`array_to_json(array_agg(item ORDER BY ...))`: compact, unlike json_agg."""
    agg: Any = (
        func.array_agg(aggregate_order_by(item, *order_by)) if order_by else func.array_agg(item)
    )
    if where is not None:
        agg = agg.filter(where)
    return func.array_to_json(agg)


FieldGroups = dict[str, list[FieldNode]]


def _unwrap(t: GraphQLOutputType) -> tuple[Any, bool, bool]:
    """(named type, is a list, list items nullable) with NonNull wrappers removed."""
    if isinstance(t, GraphQLNonNull):
        t = t.of_type
    if isinstance(t, GraphQLList):
        inner = t.of_type
        nullable_items = not isinstance(inner, GraphQLNonNull)
        if isinstance(inner, GraphQLNonNull):
            inner = inner.of_type
        if isinstance(inner, GraphQLList | GraphQLNonNull):
            raise NotCompilable("nested lists")
        return inner, True, nullable_items
    return t, False, True


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
        named, is_list, _ = _unwrap(gfield.type)
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
        if kind == "Decimal":
            return encode.decimal_sql(value)
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
        try:
            size = check_first(args.get("first", DEFAULT_PAGE_SIZE))
            ordering = spec.ordering(args) if spec.ordering else None
            after = args.get("after")
            cursor = (
                decode_cursor(after, ordering)
                if (after is not None and ordering is not None)
                else None
            )
        except GraphQLError as exc:
            raise NotCompilable(f"argument error: {exc.message}") from exc
        if ordering is None:
            raise NotCompilable("a connection without an ordering")
        model = spec.model
        base = [visible(model, self.principal), *spec.conditions(args)]

        def scoped(row: Row) -> list[Any]:
            conds = row.adapt(*base)
            if spec.parent is not None:
                assert parent is not None
                conds.append(getattr(row.entity, spec.parent.key) == parent.col(spec.parent_key))
            if spec.parent_conditions is not None:
                assert parent is not None
                conds.extend(spec.parent_conditions(row, parent))
            return conds

        groups = self.collect(conn_type, sub_sets)
        node_type: GraphQLObjectType = _unwrap(
            _unwrap(conn_type.fields["edges"].type)[0].fields["node"].type
        )[0]
        ranked = Row.of(model)
        sort_col = getattr(ranked.entity, ordering.column.key)
        order = (
            [sort_col.desc(), ranked.entity.id.desc()]
            if ordering.descending
            else [sort_col.asc(), ranked.entity.id.asc()]
        )
        page_where = scoped(ranked)
        if cursor is not None:
            left = tuple_(sort_col, ranked.entity.id)
            right = tuple_(
                literal(cursor[0], sort_col.type), literal(cursor[1], ranked.entity.id.type)
            )
            page_where.append(left < right if ordering.descending else left > right)
        rn = func.row_number().over(order_by=order).label("rn")
        page = (
            select(ranked.entity.id.label("id"), rn)
            .where(*page_where)
            .order_by(*order)
            .limit(size + 1)
            .correlate_except(ranked.entity)
        )
        page_sq = page.lateral("page") if parent is not None else page.subquery("page")
        row = Row.of(model)
        in_page = page_sq.c.rn <= size
        cursor_sql = self.cursor_sql(row, ordering)

        # One row of aggregates over the page: what edges and pageInfo are built from.
        aggregates: dict[str, Any] = {}

        def aggregate(name: str, value: Any) -> Any:
            aggregates.setdefault(name, value)
            return name

        pairs: list[tuple[str, Any]] = []
        for key, nodes in groups.items():
            name = nodes[0].name.value
            if name == "__typename":
                pairs.append((key, literal(conn_type.name)))
            elif name == "totalCount":
                counted = Row.of(model)
                pairs.append(
                    (
                        key,
                        select(func.count())
                        .select_from(counted.entity)
                        .where(*scoped(counted))
                        .correlate_except(counted.entity)
                        .scalar_subquery(),
                    )
                )
            elif name == "edges":
                edge_type: GraphQLObjectType = _unwrap(conn_type.fields["edges"].type)[0]
                edge_groups = self.collect(
                    edge_type, [n.selection_set for n in nodes if n.selection_set]
                )
                edge_pairs: list[tuple[str, Any]] = []
                for ekey, enodes in edge_groups.items():
                    ename = enodes[0].name.value
                    if ename == "__typename":
                        edge_pairs.append((ekey, literal(edge_type.name)))
                    elif ename == "cursor":
                        edge_pairs.append((ekey, cursor_sql))
                    elif ename == "node":
                        node_groups = self.collect(
                            node_type, [n.selection_set for n in enodes if n.selection_set]
                        )
                        edge_pairs.append((ekey, self.object_json(node_type, row, node_groups)))
                    else:
                        raise NotCompilable(f"edge field {ename}")
                edges = func.coalesce(
                    json_array_sql(json_object_sql(edge_pairs), page_sq.c.rn, where=in_page),
                    EMPTY_ARRAY,
                )
                pairs.append((key, ("agg", aggregate(f"edges_{len(aggregates)}", edges))))
            elif name == "pageInfo":
                info_type: GraphQLObjectType = _unwrap(conn_type.fields["pageInfo"].type)[0]
                info_groups = self.collect(
                    info_type, [n.selection_set for n in nodes if n.selection_set]
                )
                info: list[tuple[str, Any]] = []
                for ikey, inodes in info_groups.items():
                    iname = inodes[0].name.value
                    if iname == "__typename":
                        info.append((ikey, literal(info_type.name)))
                    elif iname == "hasNextPage":
                        info.append((ikey, ("agg", aggregate("has_next", func.count() > size))))
                    elif iname == "hasPreviousPage":
                        info.append((ikey, true() if after is not None else false()))
                    elif iname == "startCursor":
                        first_agg = func.array_agg(
                            aggregate_order_by(cursor_sql, page_sq.c.rn.asc())
                        ).filter(in_page)
                        info.append((ikey, ("agg", aggregate("start_cursor", first_agg[1]))))
                    elif iname == "endCursor":
                        last_agg = func.array_agg(
                            aggregate_order_by(cursor_sql, page_sq.c.rn.desc())
                        ).filter(in_page)
                        info.append((ikey, ("agg", aggregate("end_cursor", last_agg[1]))))
                    else:
                        raise NotCompilable(f"pageInfo field {iname}")
                pairs.append((key, ("info", info)))
            else:
                raise NotCompilable(f"connection field {name}")
        if not aggregates:
            # Nothing aggregates the page (only totalCount, __typename): one object, not
            # one per row of the page (nor none for an empty page).
            return json_object_sql(
                [(k, json_object_sql(v[1]) if isinstance(v, tuple) else v) for k, v in pairs]
            )
        agg_row = (
            select(*(value.label(name) for name, value in aggregates.items()))
            .select_from(page_sq.join(row.entity, row.entity.id == page_sq.c.id))
            .correlate_except(page_sq, row.entity)
            .lateral()
        )

        def resolve(value: Any) -> Any:
            if isinstance(value, tuple) and value[0] == "agg":
                return agg_row.c[value[1]]
            if isinstance(value, tuple) and value[0] == "info":
                return json_object_sql([(k, resolve(v)) for k, v in value[1]])
            return value

        top = json_object_sql([(k, resolve(v)) for k, v in pairs])
        if top is EMPTY_OBJECT:
            return top
        return select(top).select_from(agg_row).scalar_subquery()

    def cursor_sql(self, row: Row, ordering: Any) -> Any:
        """`encode_cursor(value, id)` in SQL: base64url of `[value, "id"]` as JSON text."""
        column = row.col(ordering.column.key)
        python_type = ordering.column.type.python_type
        from datetime import date, datetime

        if python_type is datetime:
            value: Any = encode.datetime_sql(column)
        elif python_type is date:
            value = encode.date_sql(column)
        else:
            value = column
        array = sql_cast(func.json_build_array(value, sql_cast(row.col("id"), Text)), Text)
        return encode.base64url_sql(array)

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
        named, is_list, _ = _unwrap(gfield.type)
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
