"""One declaration per entity of its writable fields, from which writes are checked and applied.

An entity's `Changes` lists its scalar fields once, each as a `Rule`: the Python name (the
model attribute and the GraphQL input field, camelCased by the API in one place), how a given
value is checked, whether it may be null, and its default on create. From that one list:

- `check` validates exactly the fields given (an update) or all of them with their defaults
  (a create), collecting every error under the field's Python name;
- `create` / `update` / `archive` do the write with the optimistic version check, the no-op
  rule (an update that changes nothing writes no event and keeps `version`) and the audit event,
  whose diff is derived from the model snapshot;
- the API's update inputs are derived from the create inputs (`schema/mutation_support.py`),
  and the resolvers pass the given input fields through as they are.

Rules that span fields (a date range, a parent's client) stay with the entity, as `cross`
checks run on the merged view of the current row and the changes; what needs the database
or knows the one write (a case-insensitive unique name) is a `verify` step of create/update.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Generic, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from tenants.base import TenantBase
from tenants.errors import DomainError, validation
from tenants.services.audit import Actor, add_audited, apply_audited
from tenants.services.persistence import load_target, utcnow
from tenants.services.validation import TEXT_MAX, Collector

M = TypeVar("M", bound=TenantBase)
E = TypeVar("E", bound=StrEnum)

# (collector, field name, a given non-null value) -> the value to store.
Check = Callable[[Collector, str, Any], Any]
# (collector, the row as it will be: current values overlaid with the changes) -> None.
CrossCheck = Callable[[Collector, Mapping[str, Any]], None]
# (collector, the checked changes) -> None: what only one write knows, or needs the database
# for (a case-insensitive unique name), after the rules and before anything is raised.
Verify = Callable[[Collector, dict[str, Any]], Awaitable[None]]


def keep(c: Collector, field: str, value: Any) -> Any:
    """No check beyond the GraphQL type (dates, booleans, ids already decoded)."""
    return value


def text(c: Collector, field: str, value: str) -> str:
    return c.text(field, value)


def optional_text(c: Collector, field: str, value: str) -> str | None:
    return c.optional_text(field, value)


def long_text(c: Collector, field: str, value: str) -> str | None:
    return c.optional_text(field, value, max_length=TEXT_MAX, multiline=True)


def email(c: Collector, field: str, value: str) -> str | None:
    return c.email(field, value)


def one_of(enum_cls: type[E]) -> Check:
    """A member of `enum_cls` (or its stored value)."""

    def check(c: Collector, field: str, value: object) -> E:
        return c.enum(field, enum_cls, value)

    return check


def between(low: int, high: int) -> Check:
    """An integer within [low, high]."""

    def check(c: Collector, field: str, value: int) -> int:
        return c.int_range(field, value, low, high)

    return check


@dataclass(frozen=True, slots=True)
class Rule:
    """One writable scalar field of an entity."""

    name: str
    check: Check = keep
    # May the field be null? A null for a non-nullable field is a VALIDATION error on it.
    nullable: bool = True
    # The value a create takes when the field is omitted or null.
    default: Any = None
    # The model attribute when it is not `name` (`client_organisation_id` is `client_id`).
    column: str | None = None

    @property
    def attribute(self) -> str:
        return self.column or self.name


class Changes(Generic[M]):
    """The writable fields of `model`, and the writes that follow from them."""

    def __init__(self, model: type[M], *rules: Rule, cross: Iterable[CrossCheck] = ()) -> None:
        self.model = model
        self.rules = {rule.name: rule for rule in rules}
        self.cross = tuple(cross)

    def check(
        self, c: Collector, values: Mapping[str, Any], current: M | None = None
    ) -> dict[str, Any]:
        """Checked model attributes for `values`: every field when creating (`current` None,
        omitted fields take their defaults), only the given ones when updating."""
        unknown = set(values) - set(self.rules)
        if unknown:
            raise TypeError(f"{self.model.__name__}: no rule for {sorted(unknown)}")
        changes: dict[str, Any] = {}
        for name, rule in self.rules.items():
            if name not in values and current is not None:
                continue  # an update leaves an omitted field as it is
            value = values.get(name)
            if value is None and current is None:
                value = rule.default  # a create: omitted or null takes the default
            changes[rule.attribute] = self._checked(c, rule, value)
        merged = {} if current is None else self._values_of(current)
        merged |= changes
        for cross in self.cross:
            cross(c, merged)
        return changes

    def refuse_null(self, values: Mapping[str, Any]) -> None:
        """Raise, alone, a VALIDATION error on the first given null of a field that may not be
        null, before the row is read: for entities whose updates always answered a null so
        (and not with the other fields' errors, or a NOT_FOUND or CONFLICT)."""
        for name, rule in self.rules.items():
            if name in values and values[name] is None and not rule.nullable:
                raise validation(name, "must not be null")

    def _values_of(self, obj: M) -> dict[str, Any]:
        return {rule.attribute: getattr(obj, rule.attribute) for rule in self.rules.values()}

    @staticmethod
    def _checked(c: Collector, rule: Rule, value: Any) -> Any:
        if value is None:
            if not rule.nullable:
                c.add(rule.name, "must not be null")
            return None
        return rule.check(c, rule.name, value)

    def checked_or_raise(
        self, values: Mapping[str, Any], current: M | None = None, *, c: Collector | None = None
    ) -> dict[str, Any]:
        """`check`, raising every error at once (with any already in `c`)."""
        c = c or Collector()
        changes = self.check(c, values, current)
        c.raise_if_any()
        return changes

    async def _verified(
        self,
        values: Mapping[str, Any],
        current: M | None,
        c: Collector | None,
        verify: Verify | None,
    ) -> dict[str, Any]:
        c = c or Collector()
        changes = self.check(c, values, current)
        if verify is not None:
            await verify(c, changes)
        c.raise_if_any()
        return changes

    async def create(
        self,
        session: AsyncSession,
        *,
        actor: Actor,
        values: Mapping[str, Any],
        fixed: Mapping[str, Any] | None = None,
        c: Collector | None = None,
        constraints: Mapping[str, DomainError] | None = None,
        verify: Verify | None = None,
    ) -> M:
        """Check `values`, insert the row (plus the caller's `fixed` attributes) and audit it."""
        changes = await self._verified(values, None, c, verify)
        obj = self.model(**changes, **(fixed or {}))
        await add_audited(session, obj, actor=actor, action="create", constraints=constraints)
        return obj

    async def update(
        self,
        session: AsyncSession,
        obj: M,
        *,
        actor: Actor,
        values: Mapping[str, Any],
        c: Collector | None = None,
        constraints: Mapping[str, DomainError] | None = None,
        verify: Verify | None = None,
    ) -> M:
        """Check the given `values` against `obj`, apply those that differ and audit the change."""
        changes = await self._verified(values, obj, c, verify)
        await apply_audited(
            session, obj, changes, actor=actor, action="update", constraints=constraints
        )
        return obj

    async def load(
        self, session: AsyncSession, id_: Any, *, expected_version: int, field: str = "id"
    ) -> M:
        """The live row a write changes: NOT_FOUND, archived or a stale version raise."""
        return await load_target(
            session, self.model, id_, expected_version=expected_version, field=field
        )

    async def archive(
        self, session: AsyncSession, id_: Any, *, actor: Actor, expected_version: int
    ) -> M:
        """Archive a live row (a VALIDATION error on `id` if it is archived already)."""
        obj = await self.load(session, id_, expected_version=expected_version)
        await apply_audited(session, obj, {"archived_at": utcnow()}, actor=actor, action="archive")
        return obj
