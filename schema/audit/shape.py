"""Each node type's API shape for the audit trail, derived from the type itself.

A plain field reads the column of its Python name; a `to_one` field reads its foreign
key (an id of the target's node type); a JSON document field reads its column; an
object built from several columns (an agreement's clause) names each `field.subfield`. So the
audit trail names a column by the API field that shows it, and follows every rename.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import inspect
from strawberry.types.base import get_object_definition
from strawberry.utils.str_converters import to_camel_case

from schema.compiled.sql import Related
from tenants.services.audit_shape import ApiField, register_shape


def _api_name(field: Any) -> str:
    name: str = field.graphql_name or to_camel_case(field.python_name)
    return name


def api_fields(cls: type[Any], model: type[Any]) -> list[ApiField]:
    """The fields of Strawberry type `cls` that read one column of `model`."""
    definition = get_object_definition(cls, strict=True)
    columns = {a.key for a in inspect(model).column_attrs}
    out: list[ApiField] = []
    for field in definition.fields:
        metadata: dict[str, Any] = dict(field.metadata or {})
        spec = metadata.get("sql")
        if isinstance(spec, Related) and spec.column is not None and spec.column in columns:
            out.append(ApiField(spec.column, _api_name(field), spec.target))
        elif isinstance(spec, Related) and spec.parts:
            # An object read from several columns: each as `field.subfield`.
            prefix = _api_name(field)
            out.extend(
                ApiField(col, f"{prefix}.{to_camel_case(sub)}")
                for sub, col in spec.parts.items()
                if col in columns
            )
        elif spec is None and field.base_resolver is None and field.python_name in columns:
            out.append(ApiField(field.python_name, _api_name(field)))
    return out


def register_audit_shape(cls: type[Any], model: type[Any], node_name: str) -> None:
    register_shape(model, node_name, api_fields(cls, model))
