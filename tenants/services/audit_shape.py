"""How an object's columns read in the audit trail: by API field name, with global ids.

The mapping is not written here per entity: the API layer registers, for each node
type, which column each of its fields reads and which model a foreign key points at
(derived from the Strawberry type and its compiled-SQL metadata, `schema/audit/shape.py`),
so a field renamed in the API is renamed in new audit events too. A model with no
registered shape (a settings singleton such as the report schedule) falls back to one
rule: camelCase attribute names, foreign keys (from the table's ForeignKey metadata)
as global ids of the model they point at.
"""

from __future__ import annotations

import copy
import uuid
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from sqlalchemy import inspect

from tenants.global_ids import global_id


@dataclass(frozen=True, slots=True)
class ApiField:
    """One API field of a model: the ORM attribute it reads and, for a foreign key,
    the model whose global id the value is."""

    attr: str
    name: str
    target: type[Any] | None = None


@dataclass(frozen=True, slots=True)
class ApiShape:
    node_name: str
    fields: dict[str, ApiField]  # by ORM attribute


_SHAPES: dict[type[Any], ApiShape] = {}

# Change on every write, or name the object itself: noise in a diff.
NOISE = frozenset({"id", "version", "createdAt", "updatedAt"})


def register_shape(model: type[Any], node_name: str, fields: list[ApiField]) -> None:
    """Called by the API layer for each node type it registers."""
    _SHAPES[model] = ApiShape(node_name, {f.attr: f for f in fields})


def shaped_models() -> list[type[Any]]:
    """Every model the API layer registered a shape for."""
    return list(_SHAPES)


def shape_of(model: type[Any]) -> ApiShape | None:
    return _SHAPES.get(model)


def node_name_of(model: type[Any]) -> str:
    """The API type name of `model` (its class name when it is no node type)."""
    shape = _SHAPES.get(model)
    return shape.node_name if shape is not None else model.__name__


def global_ids_of(model: type[Any], ids: list[uuid.UUID]) -> list[str]:
    """Global ids of `model` rows, for audit details that list related objects."""
    name = node_name_of(model)
    return [global_id(name, i) for i in ids]


def camel(name: str) -> str:
    """`snake_case` as the API spells it (`lowerCamelCase`); camelCase stays as it is."""
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def json_value(value: Any) -> Any:
    """A value as the API shows it: enums by member name, decimals as numbers, documents
    with camelCase keys, bytes by their size."""
    if isinstance(value, Enum):
        return value.name
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bytes):
        return f"<{len(value)} bytes>"
    if isinstance(value, dict):
        return {camel(str(k)): json_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [json_value(v) for v in value]
    return str(value)


def _as_id(target: type[Any], value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, list | tuple):
        return [_as_id(target, v) for v in value]
    return global_id(node_name_of(target), value)


def _foreign_target(model: type[Any], attr: str) -> type[Any] | None:
    """The mapped model a column's ForeignKey points at (fallback shapes only)."""
    prop = inspect(model).attrs.get(attr)
    columns = getattr(prop, "columns", ())
    for fk in (fk for col in columns for fk in col.foreign_keys):
        for mapper in inspect(model).registry.mappers:
            if fk.column.table is mapper.local_table:
                return mapper.class_  # type: ignore[no-any-return]
    return None


def _column_attrs(model: type[Any]) -> frozenset[str]:
    return frozenset(a.key for a in inspect(model).column_attrs)


def api_values(model: type[Any], values: dict[str, Any] | None) -> dict[str, Any] | None:
    """`values` (by ORM attribute, as `snapshot` takes them) by API field name, JSON-safe.

    Columns the API does not show are left out (ciphertexts, digests); keys that are no
    column (facts a service adds, such as `sessions_revoked`) are kept, camelCased.
    """
    if values is None:
        return None
    shape = _SHAPES.get(model)
    columns = _column_attrs(model)
    out: dict[str, Any] = {}
    for key, value in values.items():
        if shape is not None and key in shape.fields:
            field = shape.fields[key]
            name, target = field.name, field.target
        elif key in columns:
            if shape is not None:
                continue
            name, target = camel(key), _foreign_target(model, key)
        else:
            name, target = camel(key), None
        out[name] = _as_id(target, value) if target is not None else json_value(value)
    return out


def snapshot(obj: Any) -> dict[str, Any]:
    """The loaded column values of `obj`, keyed by ORM attribute (services redact by it).

    Unloaded (expired or deferred) attributes are left out rather than loaded, so a
    snapshot never issues SQL; documents are copied, so a later in-place edit of the
    object does not rewrite the 'before' side.
    """
    state = inspect(obj)
    loaded = state.dict
    return {
        attr.key: copy.deepcopy(loaded[attr.key])
        for attr in state.mapper.column_attrs
        if attr.key in loaded
    }


def diff(before: dict[str, Any] | None, after: dict[str, Any] | None) -> list[dict[str, Any]]:
    """`[{field, before, after}]` of the API fields that differ, by field name.

    A create lists the fields it set (not null), a delete the fields the object had.
    """
    old, new = before or {}, after or {}
    changes = []
    for name in sorted(old.keys() | new.keys()):
        if name in NOISE:
            continue
        was, now = old.get(name), new.get(name)
        if was != now:
            changes.append({"field": name, "before": was, "after": now})
    return changes


def facts(values: dict[str, Any]) -> list[dict[str, Any]]:
    """`diff(None, values)` for an event about no tenant row (a login, an API token):
    keys camelCased, values as the API shows them (ids must already be global ids)."""
    return diff(None, {camel(k): json_value(v) for k, v in values.items()})
