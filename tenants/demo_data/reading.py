"""Reads a client's demo engagement from its TOML file into the shapes of `spec`.

The files are pure data, keyed by the field names of the spec dataclasses: a table is
one dataclass, an array one tuple, a string an enum member where the field is an enum,
and a table of numbers the (key, score) pairs of an assessment. A field left out takes
its default, or None where it has none (TOML has no null).
"""

from __future__ import annotations

import tomllib
import types
from dataclasses import MISSING, fields, is_dataclass
from enum import Enum
from functools import cache
from pathlib import Path
from typing import Any, Union, get_args, get_origin, get_type_hints

from tenants.demo_data.spec import ClientSpec


def read_client(path: Path) -> ClientSpec:
    """The ClientSpec a TOML file declares."""
    with path.open("rb") as file:
        built = _build(ClientSpec, tomllib.load(file))
    assert isinstance(built, ClientSpec)
    return built


@cache
def _hints(cls: type) -> dict[str, Any]:
    return get_type_hints(cls)


def _build(cls: type, data: dict[str, Any]) -> object:
    unknown = set(data) - {f.name for f in fields(cls)}
    if unknown:
        raise ValueError(f"{cls.__name__} has no field {sorted(unknown)}")
    values: dict[str, Any] = {}
    for f in fields(cls):
        if f.name in data:
            values[f.name] = _convert(_hints(cls)[f.name], data[f.name])
        elif f.default is MISSING and f.default_factory is MISSING:
            values[f.name] = None
    return cls(**values)


def _convert(kind: Any, value: Any) -> Any:
    origin = get_origin(kind)
    if origin in (Union, types.UnionType):  # `X | None`: the value is an X
        (inner,) = (arg for arg in get_args(kind) if arg is not type(None))
        return _convert(inner, value)
    if origin is tuple:
        inner = get_args(kind)[0]
        if isinstance(value, dict):  # (key, score) pairs
            return tuple(value.items())
        return tuple(_convert(inner, item) for item in value)
    if is_dataclass(kind) and isinstance(kind, type):
        return _build(kind, value)
    if isinstance(kind, type) and issubclass(kind, Enum):
        return kind(value)
    return value
