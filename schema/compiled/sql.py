"""How a field reads in SQL, declared beside the field: `metadata=sql(Spec)`.

A field with no declaration reads the row's column of the same (Python) name,
so a new plain field needs nothing here. A field with a resolver must declare
its SQL, or the planner falls back to the ordinary executor for any operation
that selects it (tests/schema/compiled/test_coverage.py lists such fields).

Specs receive the parent `Row` and the field's arguments converted to Python
exactly as its resolver would receive them (filters as Strawberry inputs), so
they call the same condition and ordering functions the resolvers call.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Text, column, func, inspect, literal, select
from sqlalchemy import cast as sql_cast
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import InstrumentedAttribute, aliased
from sqlalchemy.sql import FromClause, Select, visitors
from sqlalchemy.sql.util import ClauseAdapter

from schema.pagination import Ordering
from tenants.principals import Principal, PrincipalKind, Role
from tenants.registry import TenantRef

Args = dict[str, Any]


class NotCompilable(Exception):
    """The planner cannot express this operation; run it on the ordinary executor."""


# The principal's own values a plan may show (the `viewer`): planned with these stand-ins
# and filled in per request (schema/compiled/runner.py), as global-id variables are, so a
# plan that shows who is asking is still one plan for every principal who sees the same
# rows, in every tenant. A stand-in left in an answer would read as nonsense, not as
# another principal's value.
_IDENTITY = uuid.UUID("0c0e7d4a-3b1f-4a55-9f2e-6a8d2b9c4e17")
IDENTITY_STAND_INS: dict[str, Any] = {
    "name": f"steward stand-in name {uuid.uuid5(_IDENTITY, 'name')}",
    "member_id": uuid.uuid5(_IDENTITY, "member_id"),
    "tenant_slug": f"steward stand-in tenant slug {uuid.uuid5(_IDENTITY, 'slug')}",
    "tenant_name": f"steward stand-in tenant name {uuid.uuid5(_IDENTITY, 'tenant')}",
}


def identity_values(principal: Principal) -> dict[str, Any]:
    """The real values behind `IDENTITY_STAND_INS`, for one request."""
    return {
        "name": principal.name,
        "member_id": principal.member_id,
        "tenant_slug": principal.tenant.slug,
        "tenant_name": principal.tenant.name,
    }


class Context:
    """The request being planned, for specs whose SQL depends on it (`context()`).

    Reading `principal` or `base_url` makes the plan this request's own: the runner
    then caches it under the principal's identity and the base URL too. Reading
    `tenant` binds it to the tenant (plans are otherwise shared by every tenant, their
    schema filled in at execution). `identity` gives stand-ins for the principal's own
    values, filled in per request, so the plan stays shared. `is_staff`, `kind`, `role`
    and `client_organisation_id` are part of every plan's cache key.
    """

    __slots__ = ("_base_url", "_principal", "personal", "tenant_bound")

    def __init__(self, principal: Principal, base_url: str = "") -> None:
        self._principal = principal
        self._base_url = base_url
        self.personal = False
        self.tenant_bound = False

    @property
    def principal(self) -> Principal:
        self.personal = True
        return self._principal

    @property
    def base_url(self) -> str:
        """The request's base URL without a trailing slash, as resolvers build URLs."""
        self.personal = True
        return self._base_url

    @property
    def tenant(self) -> TenantRef:
        self.tenant_bound = True
        return self._principal.tenant

    @property
    def identity(self) -> dict[str, Any]:
        """Stand-ins for the principal's name, member id and tenant slug and name."""
        return IDENTITY_STAND_INS

    @property
    def is_staff(self) -> bool:
        return self._principal.is_staff

    @property
    def kind(self) -> PrincipalKind:
        return self._principal.kind

    @property
    def role(self) -> Role:
        return self._principal.role

    @property
    def client_organisation_id(self) -> uuid.UUID | None:
        return self._principal.client_organisation_id


_CONTEXT: ContextVar[Context] = ContextVar("steward_compiled_context")


def context() -> Context:
    """The request being planned; only valid while the planner runs (`planning`)."""
    return _CONTEXT.get()


@contextmanager
def planning(ctx: Context) -> Iterator[Context]:
    token = _CONTEXT.set(ctx)
    try:
        yield ctx
    finally:
        _CONTEXT.reset(token)


@dataclass(frozen=True, slots=True)
class Row:
    """An object's row in SQL: an aliased ORM entity, or a FROM clause with columns."""

    entity: Any
    model: type[Any] | None = None

    def col(self, name: str) -> Any:
        if isinstance(self.entity, FromClause):
            return self.entity.c[name]
        return getattr(self.entity, name)

    @classmethod
    def of(cls, model: type[Any]) -> Row:
        return cls(aliased(model), model)

    def adapt(self, *conditions: Any) -> list[Any]:
        """Conditions written against the model's table, rewritten for this row's alias.

        A subquery inside a condition (an EXISTS over assignments) reads the row from
        wherever the row is in the enclosing query, often several levels up, where
        SQLAlchemy's implicit correlation does not reach: it is correlated explicitly.
        """
        adapter = ClauseAdapter(inspect(self.entity).selectable)

        def correlated(element: Any, **_: Any) -> Any:
            if isinstance(element, Select):
                return element.correlate(self.entity)
            return None

        traverse: Any = visitors.replacement_traverse
        return [traverse(adapter.traverse(c), {}, correlated) for c in conditions]


@dataclass(frozen=True, slots=True)
class Source:
    """Where an object (or a list of them) comes from, relative to its parent row.

    `model`, when set, is a table the principal's visibility rule is applied to
    (schema/scoping.py), exactly as the ordinary path's loaders apply it.
    """

    row: Row
    froms: Sequence[Any] = ()
    where: Sequence[Any] = ()
    order_by: Sequence[Any] = ()
    model: type[Any] | None = None


@dataclass(frozen=True, slots=True)
class Expr:
    """A leaf value: an SQL expression over the parent row, rendered by the field's type."""

    build: Callable[[Row, Args], Any]


@dataclass(frozen=True, slots=True)
class Related:
    """An object, or a list of objects, read from `Source`.

    `column` names the parent row's column the object is read from, when it is one
    (a foreign key, a JSON document) and `target` the model a foreign key points at;
    `parts` maps the subfields of an object built from several parent columns to them.
    The audit trail names a changed column by the API field that reads it from these.
    """

    build: Callable[[Row, Args], Source]
    column: str | None = None
    target: type[Any] | None = None
    parts: Mapping[str, str] | None = None


@dataclass(frozen=True, slots=True)
class Page:
    """A Relay connection over `model`, keyset-paginated as schema/pagination.py does.

    `parent` is the model's column pointing at the parent row's `parent_key`
    (None for a root connection); `conditions` and `ordering` are the resolver's
    own functions of the arguments.
    """

    model: type[Any]
    parent: InstrumentedAttribute[Any] | None
    conditions: Callable[[Args], Sequence[Any]] = lambda _: ()
    ordering: Callable[[Args], Ordering] | None = None
    parent_key: str = "id"
    # Extra SQL conditions that need the parent row (rare; e.g. via a join table).
    parent_conditions: Callable[[Row, Row], Sequence[Any]] | None = field(default=None)


Spec = Expr | Related | Page


def sql(spec: Spec) -> dict[str, Any]:
    """The field metadata that carries `spec` to the planner."""
    return {"sql": spec}


def to_one(model: type[Any], fk: str) -> Related:
    """The `model` row whose id is the parent's `fk` column (null when absent or invisible)."""

    def build(row: Row, _: Args) -> Source:
        target = Row.of(model)
        return Source(
            target, froms=[target.entity], where=[target.entity.id == row.col(fk)], model=model
        )

    return Related(build, column=fk, target=model)


def same_row() -> Related:
    """An object type that reads more columns of the parent's own row."""
    return Related(lambda row, _: Source(row))


def lateral_row(*columns: Any, where: Sequence[Any] = (), froms: Sequence[Any] = ()) -> Source:
    """One computed row (a LATERAL subquery) whose labelled columns an object type reads."""
    stmt = select(*columns)
    if froms:
        stmt = stmt.select_from(*froms)
    # Subqueries here read their parent row from an enclosing query at any depth;
    # correlate_except makes that explicit (SQLAlchemy's implicit correlation stops
    # at the nearest enclosing FROM).
    lat = stmt.where(*where).correlate_except(*froms).lateral()
    return Source(Row(lat), froms=[lat])


def json_object(document: Any, keys: Sequence[str]) -> Source:
    """A JSON document's keys as the columns of one row (missing keys read as null)."""
    return lateral_row(*(document[k].label(k) for k in keys))


def json_rows(array: Any, keys: Sequence[str]) -> Source:
    """The objects of a JSON array as rows, in array order."""
    elements = (
        func.jsonb_array_elements(array)
        .table_valued(column("value", JSONB), with_ordinality="ord")
        .render_derived()
    )
    lat = (
        select(*(elements.c.value[k].label(k) for k in keys), elements.c.ord.label("ord"))
        .select_from(elements)
        .correlate_except(elements)
        .lateral()
    )
    return Source(Row(lat), froms=[lat], order_by=[lat.c.ord])


def document_rows(column: str, keys: Sequence[str]) -> Related:
    """A list field read from the JSON array in the parent row's `column`."""
    return Related(lambda row, _: json_rows(row.col(column), keys), column=column)


def document_object(column: str, keys: Sequence[str]) -> Related:
    """An object field read from the JSON document in the parent row's `column`."""
    return Related(lambda row, _: json_object(row.col(column), keys), column=column)


def json_text(value: Any) -> Any:
    """A JSONB scalar as text (`#>> '{}'`), e.g. an enum stored in a document."""
    return value.op("#>>")(sql_cast(literal("{}"), ARRAY(Text)))
